package conformance

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
)

// The Repoint check: a client implementing [facade.Repointer] re-points a
// zone as its listing returned it with the fewest requests the API needs
// (Provider.Repoint.Requests), sends nothing on bad input (a zone not from
// this provider, without name or ID, bad primaries), and, for a zone
// deleted since the listing, either re-creates it with the wanted
// primaries (Repoint.Recreates: the provider's update is an upsert) or
// fails with ErrNotFound creating nothing.

var (
	repointA = facade.Primary{Addr: netip.MustParseAddr("192.0.2.31")}
	repointB = facade.Primary{Addr: netip.MustParseAddr("192.0.2.32")}
	repointC = facade.Primary{Addr: netip.MustParseAddr("192.0.2.33")}
)

func testRepoint(t *testing.T, p Provider) {
	r, ok := p.Client.(facade.Repointer)
	if !ok {
		t.Skip("the client implements no facade.Repointer")
	}
	ctx := t.Context()
	c := p.Client
	// The account objects for A, B and C exist (other.example uses C), so
	// that the counts below are those of re-pointing alone.
	_, err := c.CreateZone(ctx, "repoint.example", []facade.Primary{repointA, repointB})
	require.NoError(t, err)
	_, err = c.CreateZone(ctx, "other.example", []facade.Primary{repointC})
	require.NoError(t, err)
	_, cur := countName(listed(t, ctx, c), "repoint.example")
	require.Equal(t, "repoint.example", cur.Name)

	steps := []struct {
		name           string
		want           []facade.Primary
		added, dropped int
	}{
		{"replace one", []facade.Primary{repointA, repointC}, 1, 1},
		{"drop one", []facade.Primary{repointC}, 0, 1},
		{"add two", []facade.Primary{repointA, repointB, repointC}, 2, 0},
		{"same", []facade.Primary{repointC, repointB, repointA}, 0, 0},
	}
	for _, s := range steps {
		before := p.requests()
		z, err := r.RepointZone(ctx, cur, s.want)
		require.NoError(t, err, s.name)
		if p.Repoint.Requests != nil && before >= 0 {
			assert.Equal(t, p.Repoint.Requests(s.added, s.dropped), p.requests()-before, "%s: requests of a re-pointing with a warm cache", s.name)
		}
		checkZone(t, c, "RepointZone "+s.name, z, "repoint.example", s.want)
		assert.Equal(t, cur.ID, z.ID, "%s: the zone keeps its ID", s.name)
		got, err := c.GetZone(ctx, "repoint.example")
		require.NoError(t, err)
		checkZone(t, c, "GetZone after RepointZone "+s.name, got, "repoint.example", s.want)
		cur = z // a zone RepointZone returned is a valid current too
	}
	other, err := c.GetZone(ctx, "other.example")
	require.NoError(t, err)
	checkZone(t, c, "the other zone is untouched", other, "other.example", []facade.Primary{repointC})

	t.Run("BadInput", func(t *testing.T) {
		bad := []struct {
			name      string
			current   func(z facade.Zone) facade.Zone
			primaries []facade.Primary
			kind      error
		}{
			{"other provider", func(z facade.Zone) facade.Zone { z.Provider = "elsewhere"; return z }, []facade.Primary{repointA}, facade.ErrInvalidInput},
			{"zero zone", func(facade.Zone) facade.Zone { return facade.Zone{} }, []facade.Primary{repointA}, facade.ErrInvalidInput},
			{"no name", func(z facade.Zone) facade.Zone { z.Name = ""; return z }, []facade.Primary{repointA}, facade.ErrInvalidInput},
			{"invalid name", func(z facade.Zone) facade.Zone { z.Name = "bad..example"; return z }, []facade.Primary{repointA}, facade.ErrInvalidInput},
			{"no ID", func(z facade.Zone) facade.Zone { z.ID = ""; return z }, []facade.Primary{repointA}, facade.ErrInvalidInput},
			{"no primaries", func(z facade.Zone) facade.Zone { return z }, nil, facade.ErrInvalidInput},
			{"unspecified primary", func(z facade.Zone) facade.Zone { return z }, []facade.Primary{{Addr: netip.MustParseAddr("0.0.0.0")}}, facade.ErrInvalidInput},
			{"duplicate primaries", func(z facade.Zone) facade.Zone { return z }, []facade.Primary{repointA, repointA}, facade.ErrInvalidInput},
		}
		if !p.SupportsPorts {
			bad = append(bad, struct {
				name      string
				current   func(z facade.Zone) facade.Zone
				primaries []facade.Primary
				kind      error
			}{"port", func(z facade.Zone) facade.Zone { return z }, []facade.Primary{{Addr: repointA.Addr, Port: 5353}}, facade.ErrUnsupported})
		}
		for _, b := range bad {
			p.noRequests(t, b.name, func() {
				_, err := r.RepointZone(ctx, b.current(cur), b.primaries)
				fe := requireOpErr(t, c, err, b.kind, "RepointZone")
				if b.kind == facade.ErrUnsupported {
					assert.NotErrorIs(t, fe, facade.ErrInvalidInput, b.name)
				}
			})
		}
		got, err := c.GetZone(ctx, "repoint.example")
		require.NoError(t, err)
		checkZone(t, c, "after bad input", got, "repoint.example", cur.Primaries)
	})

	t.Run("DeletedSinceListing", func(t *testing.T) {
		_, err := c.CreateZone(ctx, "gone.example", []facade.Primary{repointA})
		require.NoError(t, err)
		_, gone := countName(listed(t, ctx, c), "gone.example")
		require.NoError(t, c.DeleteZone(ctx, "gone.example"))
		z, err := r.RepointZone(ctx, gone, []facade.Primary{repointB})
		if !p.Repoint.Recreates {
			requireOpErr(t, c, err, facade.ErrNotFound, "RepointZone")
			_, err = c.GetZone(ctx, "gone.example")
			require.ErrorIs(t, err, facade.ErrNotFound, "nothing was re-created")
			return
		}
		require.NoError(t, err, "an upsert re-creates the zone")
		checkZone(t, c, "re-created", z, "gone.example", []facade.Primary{repointB})
		got, err := c.GetZone(ctx, "gone.example")
		require.NoError(t, err)
		assert.Equal(t, gone.ID, got.ID, "re-created under the listed ID")
		checkZone(t, c, "GetZone of the re-created zone", got, "gone.example", []facade.Primary{repointB})
	})
}

package neutral

import (
	"context"
	"errors"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
)

func TestObjectsOffer(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	o := newObjects()
	o.Offer([]obj{{3, "a"}, {1, "a"}})
	var lists atomic.Int32
	v, found, err := o.Find(t.Context(), c, "op", lister([]obj{{9, "a"}}, &lists), func(x obj) bool { return x.key == "a" })
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, 1, v.id, "the least offered object")
	assert.Zero(t, lists.Load(), "an offered listing needs no listing of its own")
	o.Offer([]obj{{5, "b"}})
	_, found, err = o.Find(t.Context(), c, "op", lister(nil, &lists), func(x obj) bool { return x.key == "b" })
	require.NoError(t, err)
	assert.False(t, found, "a loaded cache ignores offers")
}

func TestCurrent(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	good := facade.Zone{Provider: "test", ID: "1", Name: "Example.COM."}
	n, err := Current(c, "RepointZone", "test", good)
	require.NoError(t, err)
	assert.Equal(t, "example.com", n)
	for name, z := range map[string]facade.Zone{
		"provider": {Provider: "other", ID: "1", Name: "example.com"},
		"name":     {Provider: "test", ID: "1", Name: "a..b"},
		"id":       {Provider: "test", Name: "example.com"},
	} {
		_, err := Current(c, "RepointZone", "test", z)
		require.ErrorIs(t, err, facade.ErrInvalidInput, name)
		var fe *facade.Error
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "RepointZone", fe.Operation, name)
	}
}

func TestRepoint(t *testing.T) {
	t.Parallel()
	notFound := httpErr(404, facade.ErrNotFound, false)
	tests := []struct {
		name     string
		fast     error
		wantFull bool
		want     error
	}{
		{"fast succeeds", nil, false, nil},
		{"zone differs", notFound, true, nil},
		{"outcome unknown", httpErr(404, facade.ErrNotFound, true), false, facade.ErrNotFound},
		{"other error", facade.NewError(facade.ErrUnexpectedResponse, errors.New("x")), false, facade.ErrUnexpectedResponse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			full := false
			_, err := Repoint(t.Context(), func(context.Context) (facade.Zone, error) { return facade.Zone{}, tc.fast },
				func(context.Context) (facade.Zone, error) { full = true; return facade.Zone{}, nil },
				func(err error) bool { return Differs(err, facade.ErrNotFound) })
			assert.Equal(t, tc.wantFull, full)
			if tc.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestRepointed(t *testing.T) {
	t.Parallel()
	cur := facade.Zone{Provider: "test", ID: "1", Name: "Example.com", Nameservers: []string{"ns1"}, Primaries: []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1")}}}
	z := Repointed(cur, "example.com", []facade.Primary{{Addr: netip.MustParseAddr("::ffff:192.0.2.2")}})
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.2"), Port: 53}}, z.Primaries)
	z.Nameservers[0] = "changed"
	assert.Equal(t, "ns1", cur.Nameservers[0], "the result shares no slice with current")
}

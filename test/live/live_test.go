//go:build live

// The live tests run the secondary-zone lifecycle against the real provider
// APIs. It is behind the "live" build tag and needs credentials; providers
// whose credentials are absent are skipped:
//
//	IONOS_TOKEN                                   IONOS Cloud DNS
//	DNSIMPLE_TOKEN, DNSIMPLE_ACCOUNT              DNSimple (DNSIMPLE_SANDBOX=1 for the sandbox)
//	CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID   Cloudflare (secondary DNS needs an Enterprise plan)
//	SECDNS_LIVE_ZONE                              the zone to create and delete, e.g. secdns-live.example.com:
//	                                              it must not exist, and must be one you may create
//	SECDNS_LIVE_PRIMARIES                         comma-separated primaries, e.g. 192.0.2.1,[2001:db8::1]:53
//
// Run with:
//
//	go test -tags live -count=1 -v ./test/live
//
// The test creates the zone, reads it back, changes its primaries, triggers a
// transfer, reads the transfer status and deletes the zone; it deletes the
// zone on failure too.

package live

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
)

// providers returns the providers whose credentials are set.
func providers(t *testing.T) map[string]facade.SecondaryDNS {
	t.Helper()
	out := map[string]facade.SecondaryDNS{}
	if tok := os.Getenv("IONOS_TOKEN"); tok != "" {
		c, err := ionos.New(tok)
		require.NoError(t, err)
		out["ionos"] = c
	}
	if tok, acct := os.Getenv("DNSIMPLE_TOKEN"), os.Getenv("DNSIMPLE_ACCOUNT"); tok != "" && acct != "" {
		id, err := strconv.ParseInt(acct, 10, 64)
		require.NoError(t, err, "DNSIMPLE_ACCOUNT")
		var opts []facade.Option
		if os.Getenv("DNSIMPLE_SANDBOX") == "1" {
			opts = append(opts, dnsimple.WithSandbox())
		}
		c, err := dnsimple.New(tok, id, opts...)
		require.NoError(t, err)
		out["dnsimple"] = c
	}
	if tok, acct := os.Getenv("CLOUDFLARE_API_TOKEN"), os.Getenv("CLOUDFLARE_ACCOUNT_ID"); tok != "" && acct != "" {
		c, err := cloudflare.New(tok, acct)
		require.NoError(t, err)
		out["cloudflare"] = c
	}
	return out
}

func TestLiveLifecycle(t *testing.T) {
	zone := os.Getenv("SECDNS_LIVE_ZONE")
	if zone == "" {
		t.Skip("set SECDNS_LIVE_ZONE (and provider credentials) to run live tests")
	}
	var primaries []facade.Primary
	for _, s := range strings.Split(os.Getenv("SECDNS_LIVE_PRIMARIES"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			p, err := facade.ParsePrimary(s)
			require.NoError(t, err, "SECDNS_LIVE_PRIMARIES")
			primaries = append(primaries, p)
		}
	}
	require.NotEmpty(t, primaries, "set SECDNS_LIVE_PRIMARIES")
	ps := providers(t)
	if len(ps) == 0 {
		t.Skip("no provider credentials set")
	}
	for name, p := range ps {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			z, err := p.CreateZone(ctx, zone, primaries, facade.WithWaitUntilAvailable())
			require.NoError(t, err, "CreateZone")
			t.Cleanup(func() {
				if err := p.DeleteZone(context.Background(), zone); err != nil && !errors.Is(err, facade.ErrNotFound) {
					t.Errorf("cleanup: DeleteZone: %v", err)
				}
			})
			t.Logf("created %s (id %s, state %s)", z.Name, z.ID, z.State)

			got, err := p.GetZone(ctx, zone)
			require.NoError(t, err, "GetZone")
			assert.Equal(t, z.ID, got.ID)
			assert.Len(t, got.Primaries, len(primaries))

			got, err = p.SetPrimaries(ctx, zone, primaries[:1])
			require.NoError(t, err, "SetPrimaries")
			assert.Len(t, got.Primaries, 1)

			if err := p.Transfer(ctx, zone); err != nil && !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("Transfer: %v", err)
			}
			st, err := p.TransferStatus(ctx, zone)
			require.NoError(t, err, "TransferStatus")
			t.Logf("transfer status: last %v, serial %d, primaries %+v", st.LastTransfer, st.Serial, st.Primaries)

			require.NoError(t, p.DeleteZone(ctx, zone), "DeleteZone")
			_, err = p.GetZone(ctx, zone)
			assert.ErrorIs(t, err, facade.ErrNotFound, "GetZone after DeleteZone")
		})
	}
}

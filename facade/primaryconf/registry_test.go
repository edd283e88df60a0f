package primaryconf_test

import (
	"errors"
	"flag"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// registryMaxAge, when set (e.g. -registry.maxage=180), makes
// TestRegistryFresh fail on registry facts checked more than that many days
// before today. make registry-check sets it; the default run skips the check
// so that the suite does not start failing with the calendar.
var registryMaxAge = flag.Int("registry.maxage", 0, "fail if a registry fact was checked more than this many days ago (0: skip)")

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func TestRegistryFresh(t *testing.T) {
	if *registryMaxAge <= 0 {
		t.Skip("pass -registry.maxage=DAYS (make registry-check) to check the registry's check dates")
	}
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	require.NoError(t, reg.CheckFresh(time.Now(), time.Duration(*registryMaxAge)*24*time.Hour))
}

// TestDefaultRegistry pins the facts gathered for issue 14, as selected on
// dates around Cloudflare's change of transfer sources.
func TestDefaultRegistry(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	assert.Equal(t, []string{"cloudflare", "dnsimple", "ionos"}, reg.Names())

	cfNew := prefixes("104.30.167.163/32", "104.30.167.173/32", "2a09:bac0:1000:c47::/64")
	cfOld := prefixes("198.41.144.240/28", "198.41.150.240/28", "2a06:98c0:3601::/48", "2a06:98c0:1401::/48")
	tests := []struct {
		provider, date string
		transfer       []netip.Prefix
		notify         []string
		tsig           bool
	}{
		{"cloudflare", "2026-12-01", cfNew, []string{"172.65.30.82", "172.65.50.145", "2606:4700:60:0:317:26ee:3bdf:5774", "2606:4700:60:0:35a:4be3:4144:c5ee"}, true},
		{"cloudflare", "2026-11-30", append(append([]netip.Prefix{}, cfNew...), cfOld...), []string{"172.65.30.82", "172.65.50.145", "2606:4700:60:0:317:26ee:3bdf:5774", "2606:4700:60:0:35a:4be3:4144:c5ee"}, true},
		{"cloudflare", "2026-04-14", cfOld, []string{"172.65.30.82", "172.65.50.145", "2606:4700:60:0:317:26ee:3bdf:5774", "2606:4700:60:0:35a:4be3:4144:c5ee"}, true},
		{"dnsimple", "2026-12-01", prefixes("3.12.234.2/32", "2600:1f16:ae2:e900:f05c:9438:865f:64a0/128"), nil, false},
		{"ionos", "2026-12-01", nil, []string{"212.227.123.25", "2001:8d8:fe:53::5cd:25"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.provider+"/"+tt.date, func(t *testing.T) {
			t.Parallel()
			n, err := reg.Needs(tt.provider, day(tt.date), 0)
			require.NoError(t, err)
			assert.Equal(t, tt.transfer, n.AllowTransferFrom)
			assert.Equal(t, tt.transfer != nil, n.TransferSourcesKnown)
			var notify []string
			for _, a := range n.NotifyTo {
				notify = append(notify, a.String())
			}
			assert.Equal(t, tt.notify, notify)
			assert.Equal(t, tt.tsig, n.TSIG)
			assert.Equal(t, uint16(53), n.NotifyPort)
			assert.NotEmpty(t, n.Sources)
			for _, s := range n.Sources {
				assert.True(t, strings.HasPrefix(s.URL, "https://"), s.URL)
				if !s.Confirmed {
					assert.NotEmpty(t, s.Note, "an unconfirmed fact says why")
				}
			}
		})
	}

	ionos, ok := reg.Provider("ionos")
	require.True(t, ok)
	require.NotNil(t, ionos.TransferSourcesUnknown, "IONOS transfer sources are recorded as unknown")
	assert.False(t, ionos.TransferSourcesUnknown.Confirmed)
	assert.Contains(t, ionos.TransferSourcesUnknown.Note, "not stated in the documentation")
}

func TestNeedsString(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	tests := []struct {
		provider string
		at       time.Time
		maxAge   time.Duration
		want     []string
		stale    bool
	}{
		{"cloudflare", day("2026-12-01"), 0, []string{"Cloudflare: the primary must allow zone transfers from 104.30.167.163, 104.30.167.173, 2a09:bac0:1000:c47::/64", "send NOTIFY to 172.65.30.82", "TSIG supported", "(registry as of 2026-12-01)"}, false},
		{"ionos", day("2026-12-01"), 0, []string{"not documented", "send NOTIFY to 212.227.123.25, 2001:8d8:fe:53::5cd:25"}, false},
		{"DNSimple", day("2027-12-01"), 30 * 24 * time.Hour, []string{"3.12.234.2", "STALE:", "oldest 2026-12-01"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			t.Parallel()
			n, err := reg.Needs(tt.provider, tt.at, tt.maxAge)
			require.NoError(t, err)
			assert.Equal(t, tt.stale, n.Stale)
			for _, w := range tt.want {
				assert.Contains(t, n.String(), w)
			}
		})
	}
	_, err = reg.Needs("route53", day("2026-12-01"), 0)
	require.ErrorIs(t, err, facade.ErrInvalidInput)
	assert.Contains(t, err.Error(), `unknown provider "route53" (the registry knows cloudflare, dnsimple, ionos)`)
}

func TestStale(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	const maxAge = 90 * 24 * time.Hour
	require.NoError(t, reg.CheckFresh(day("2026-12-01"), maxAge))
	require.NoError(t, reg.CheckFresh(day("2027-03-01"), maxAge), "90 days after the check date is not yet stale")
	err = reg.CheckFresh(day("2027-03-02"), maxAge)
	require.ErrorIs(t, err, primaryconf.ErrStale)
	assert.Contains(t, err.Error(), "cloudflare: https://developers.cloudflare.com/dns/zone-setups/zone-transfers/access-control-lists/cloudflare-ip-addresses/ checked 2026-12-01 (91 days ago)")
	stale := reg.Stale(day("2027-03-02"), maxAge)
	providers := map[string]bool{}
	for _, s := range stale {
		providers[s.Provider] = true
		assert.Equal(t, 91, s.AgeDays)
	}
	assert.Equal(t, map[string]bool{"cloudflare": true, "dnsimple": true, "ionos": true}, providers)
}

// validRegistry is a minimal registry; tests break one thing at a time.
const validRegistry = `{"schema": 1, "providers": [{
  "name": "p", "title": "P",
  "transfer_sources": [{"prefixes": ["127.0.0.1/32"], "from": "2026-01-01", "until": "2026-02-01",
    "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}}],
  "notify_targets": [{"prefixes": ["127.0.0.2/32"], "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}}],
  "notify_port": {"value": "53", "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}},
  "primary_port": {"value": "any", "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}},
  "tsig": {"value": "yes", "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}},
  "dnssec": {"value": "unknown", "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": false, "note": "not said"}}
}]}`

func TestParseRejects(t *testing.T) {
	t.Parallel()
	_, err := primaryconf.Parse([]byte(validRegistry))
	require.NoError(t, err)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown field", `"title": "P"`, `"title": "P", "extra": 1`, "unknown field"},
		{"schema", `"schema": 1`, `"schema": 2`, "schema 2"},
		{"bad prefix", `"127.0.0.1/32"`, `"127.0.0.1"`, "no '/'"},
		{"host bits", `"127.0.0.1/32"`, `"127.0.0.1/8"`, "host bits"},
		{"notify range", `"127.0.0.2/32"`, `"127.0.0.0/24"`, "a NOTIFY target is one address"},
		{"bad date", `"from": "2026-01-01"`, `"from": "1 Jan 2026"`, "want YYYY-MM-DD"},
		{"window", `"until": "2026-02-01"`, `"until": "2025-12-01"`, "is not before until"},
		{"http source", `"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}}],
  "notify_targets"`, `"url": "http://example.org/p", "checked": "2026-01-01", "confirmed": true}}],
  "notify_targets"`, "must be an https page"},
		{"unconfirmed without note", `"confirmed": false, "note": "not said"`, `"confirmed": false`, "needs a note"},
		{"tsig value", `"tsig": {"value": "yes"`, `"tsig": {"value": "maybe"`, "want yes, no or unknown"},
		{"port", `"value": "53"`, `"value": "99999"`, "port"},
		{"both transfer fields", `"notify_targets":`, `"transfer_sources_unknown": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": false, "note": "n"}, "notify_targets":`, "exactly one of transfer_sources"},
		{"no notify", `"notify_targets": [{"prefixes": ["127.0.0.2/32"], "source": {"url": "https://example.org/p", "checked": "2026-01-01", "confirmed": true}}],`, ``, "one of notify_targets and notify_targets_none"},
		{"name", `"name": "p"`, `"name": "P Q"`, "lower-case word"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := strings.Replace(validRegistry, tt.old, tt.new, 1)
			require.NotEqual(t, validRegistry, in, "the test must change the registry")
			_, err := primaryconf.Parse([]byte(in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	dup := strings.Replace(validRegistry, `}]}`, `}, `+validRegistry[strings.Index(validRegistry, `{
  "name"`):len(validRegistry)-2]+`]}`, 1)
	_, err = primaryconf.Parse([]byte(dup))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "listed twice")
	assert.False(t, errors.Is(err, primaryconf.ErrStale))
}

package primaryconf_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testSecret is a made-up TSIG secret (base64 of 32 bytes).
const testSecret = "dGVzdC1zZWNyZXQtZm9yLXByaW1hcnljb25mLXRlc3Q="

// goldenCase is one configuration rendered for every server kind.
type goldenCase struct {
	name string
	req  primaryconf.Request
}

func goldenCases() []goldenCase {
	d := day("2026-12-01")
	zones := []string{"example.com", "Example.NET."}
	cfKey := &facade.TSIG{Name: "cloudflare-xfr.", Algorithm: "hmac-sha256", Secret: testSecret}
	return []goldenCase{
		{"cloudflare", primaryconf.Request{Providers: []string{"cloudflare"}, Zones: zones, Date: d}},
		{"cloudflare-tsig", primaryconf.Request{Providers: []string{"cloudflare"}, Zones: zones, Date: d, TSIG: cfKey, IncludeSecret: true}},
		{"cloudflare-before-switch", primaryconf.Request{Providers: []string{"cloudflare"}, Date: day("2026-11-30")}},
		{"dnsimple", primaryconf.Request{Providers: []string{"dnsimple"}, Zones: zones, Date: d}},
		{"ionos", primaryconf.Request{Providers: []string{"ionos"}, Zones: zones, Date: d, AllowIncomplete: true}},
		{"all", primaryconf.Request{Providers: []string{"ionos", "dnsimple", "cloudflare"}, Zones: zones, Date: d, AllowIncomplete: true,
			TSIG: cfKey, TSIGProviders: []string{"cloudflare"}, SecretFrom: primaryconf.SecretRef{File: "/etc/secdns/cloudflare-xfr.secret"}}},
	}
}

func build(t *testing.T, req primaryconf.Request) *primaryconf.Config {
	t.Helper()
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	c, err := reg.Build(req)
	require.NoError(t, err)
	return c
}

// TestGolden renders each case for each server and compares with
// testdata/golden/<case>.<server>; go test -run TestGolden -update rewrites
// them. The files double as the sample configurations in
// docs/PRIMARY-CONFIG.md.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, gc := range goldenCases() {
		for _, s := range primaryconf.Servers() {
			t.Run(gc.name+"/"+string(s), func(t *testing.T) {
				t.Parallel()
				got, err := build(t, gc.req).Render(s)
				require.NoError(t, err)
				again, err := build(t, gc.req).Render(s)
				require.NoError(t, err)
				require.Equal(t, string(got), string(again), "rendering is deterministic")
				path := filepath.Join("testdata", "golden", gc.name+"."+string(s))
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test -run TestGolden -update")
				assert.Equal(t, string(want), string(got))
			})
		}
	}
}

// TestProviderOrderDoesNotMatter: the same providers and zones in another
// order (and with duplicates) give the same bytes.
func TestProviderOrderDoesNotMatter(t *testing.T) {
	t.Parallel()
	a := primaryconf.Request{Providers: []string{"dnsimple", "cloudflare"}, Zones: []string{"b.example", "a.example"}, Date: day("2026-12-01")}
	b := primaryconf.Request{Providers: []string{"Cloudflare", "dnsimple", "cloudflare"}, Zones: []string{"a.example", "B.example.", "b.example"}, Date: day("2026-12-01")}
	for _, s := range primaryconf.Servers() {
		x, err := build(t, a).Render(s)
		require.NoError(t, err)
		y, err := build(t, b).Render(s)
		require.NoError(t, err)
		assert.Equal(t, string(x), string(y), s)
	}
}

// TestEveryAddressHasItsSource: each address line is preceded by a comment
// naming the provider, a page and a check date.
func TestEveryAddressHasItsSource(t *testing.T) {
	t.Parallel()
	c := build(t, goldenCases()[5].req)
	for _, s := range primaryconf.Servers() {
		out, err := c.Render(s)
		require.NoError(t, err)
		for _, addr := range []string{"104.30.167.163", "2a09:bac0:1000:c47::/64", "3.12.234.2", "172.65.50.145", "212.227.123.25", "2001:8d8:fe:53::5cd:25"} {
			i := bytes.Index(out, []byte(addr))
			require.GreaterOrEqual(t, i, 0, "%s: %s missing", s, addr)
			before := string(out[:i])
			last := before[strings.LastIndex(before, "# "):]
			assert.Regexp(t, `(Cloudflare|DNSimple|IONOS Cloud DNS) (transfer sources|NOTIFY targets).*: https://\S+, checked 2026-12-01`, last, "%s: %s", s, addr)
		}
	}
}

func TestSecretOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	key := &facade.TSIG{Name: "k.", Algorithm: "HMAC-SHA256", Secret: testSecret}
	with := build(t, primaryconf.Request{Providers: []string{"cloudflare"}, Date: day("2026-12-01"), TSIG: key, IncludeSecret: true})
	without := build(t, primaryconf.Request{Providers: []string{"cloudflare"}, Date: day("2026-12-01"), TSIG: key, SecretFrom: primaryconf.SecretRef{Env: "CF_TSIG"}})
	for _, s := range primaryconf.Servers() {
		w, err := with.Render(s)
		require.NoError(t, err)
		assert.Contains(t, string(w), testSecret, s)
		assert.Contains(t, string(w), "hmac-sha256", s)
		wo, err := without.Render(s)
		require.NoError(t, err)
		assert.NotContains(t, string(wo), testSecret, s)
		assert.Contains(t, string(wo), "Secret NOT included", s)
		assert.Contains(t, string(wo), "$CF_TSIG", s)
	}
	assert.NotContains(t, (*without.TSIG).Secret.Reveal(), testSecret, "the config value does not keep an unrequested secret")
}

func TestBuildRejects(t *testing.T) {
	t.Parallel()
	d := day("2026-12-01")
	key := &facade.TSIG{Name: "k.", Algorithm: "hmac-sha256", Secret: testSecret}
	tests := []struct {
		name string
		req  primaryconf.Request
		want string
	}{
		{"no provider", primaryconf.Request{Date: d}, "no provider given (the registry knows cloudflare, dnsimple, ionos)"},
		{"no date", primaryconf.Request{Providers: []string{"cloudflare"}}, "no date"},
		{"unknown provider", primaryconf.Request{Providers: []string{"route53"}, Date: d}, `unknown provider "route53"`},
		{"TSIG for dnsimple", primaryconf.Request{Providers: []string{"cloudflare", "dnsimple"}, Date: d, TSIG: key}, "TSIG requested for a provider without TSIG support: dnsimple (registry: TSIG no;"},
		{"TSIG for ionos", primaryconf.Request{Providers: []string{"ionos"}, Date: d, TSIG: key, AllowIncomplete: true}, "TSIG requested for a provider without TSIG support: ionos"},
		{"TSIG for unselected", primaryconf.Request{Providers: []string{"dnsimple"}, Date: d, TSIG: key, TSIGProviders: []string{"cloudflare"}}, "not among the selected providers"},
		{"TSIG providers without key", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIGProviders: []string{"cloudflare"}}, "no TSIG key"},
		{"bad key name", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIG: &facade.TSIG{Name: `k"; }`, Algorithm: "hmac-sha256"}}, "TSIG key name"},
		{"bad algorithm", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIG: &facade.TSIG{Name: "k", Algorithm: "gost"}}, "unsupported"},
		{"bad secret", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, IncludeSecret: true, TSIG: &facade.TSIG{Name: "k", Algorithm: "hmac-sha256", Secret: "not base64!"}}, "not valid base64"},
		{"two secret sources", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIG: key, SecretFrom: primaryconf.SecretRef{File: "/f", Env: "E"}}, "not both"},
		{"bad env name", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIG: key, SecretFrom: primaryconf.SecretRef{Env: `X"; rm -rf /`}}, "TSIG secret environment variable"},
		{"control chars in file", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, TSIG: key, SecretFrom: primaryconf.SecretRef{File: "/x\nallow-axfr-ips=0.0.0.0/0"}}, "control characters"},
		{"bad zone", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, Zones: []string{"exa mple.com"}}, "invalid input"},
		{"bad zone file", primaryconf.Request{Providers: []string{"cloudflare"}, Date: d, ZoneFile: `/x/"%s`}, "zone file pattern"},
	}
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := reg.Build(tt.req)
			require.ErrorIs(t, err, facade.ErrInvalidInput)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), testSecret)
		})
	}
}

// TestIONOSIsNeverSilentlyIncomplete: without AllowIncomplete, IONOS is an
// ErrIncomplete error; with it, every rendering says what is missing.
func TestIONOSIsNeverSilentlyIncomplete(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Default()
	require.NoError(t, err)
	req := primaryconf.Request{Providers: []string{"cloudflare", "ionos"}, Date: day("2026-12-01")}
	c, err := reg.Build(req)
	require.ErrorIs(t, err, primaryconf.ErrIncomplete)
	assert.Contains(t, err.Error(), "ionos: the addresses its zone transfers come from are unknown")
	require.NotNil(t, c, "the configuration comes with the error, for callers that want to show it")
	req.AllowIncomplete = true
	c, err = reg.Build(req)
	require.NoError(t, err)
	require.Len(t, c.Gaps, 1)
	for _, s := range primaryconf.Servers() {
		out, err := c.Render(s)
		require.NoError(t, err)
		assert.Contains(t, string(out), "# GAP: ionos: the addresses its zone transfers come from are unknown", s)
		assert.Contains(t, string(out), "IONOS Cloud DNS: transfer source addresses UNKNOWN, not allowed here", s)
	}
}

func TestUnknownServer(t *testing.T) {
	t.Parallel()
	_, err := primaryconf.ParseServer("djbdns")
	require.ErrorIs(t, err, facade.ErrInvalidInput)
	assert.Contains(t, err.Error(), `unknown server type "djbdns": use bind, knot, nsd or powerdns`)
	c := build(t, primaryconf.Request{Providers: []string{"dnsimple"}, Date: day("2026-12-01")})
	_, err = c.Render("djbdns")
	require.ErrorIs(t, err, facade.ErrInvalidInput)
	for in, want := range map[string]primaryconf.Server{"named": primaryconf.BIND, "BIND": primaryconf.BIND, "knot": primaryconf.Knot, "nsd": primaryconf.NSD, "pdns": primaryconf.PowerDNS, "PowerDNS": primaryconf.PowerDNS} {
		got, err := primaryconf.ParseServer(in)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
}

func TestStaleFactsAreFlaggedInOutput(t *testing.T) {
	t.Parallel()
	c := build(t, primaryconf.Request{Providers: []string{"dnsimple"}, Date: day("2027-12-01")})
	out, err := c.Render(primaryconf.BIND)
	require.NoError(t, err)
	assert.Contains(t, string(out), "# NOTE: dnsimple: STALE fact: https://support.dnsimple.com/articles/secondary-dns-dnsimple-as-secondary/ was checked 2026-12-01 (365 days ago)")
}

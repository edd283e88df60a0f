package fleet_test

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

func TestParseConfigExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/fleet.yaml")
	require.NoError(t, err)
	cfg, err := fleet.ParseConfig("fleet.yaml", data)
	require.NoError(t, err)

	require.Len(t, cfg.Providers, 3)
	cf, ok := cfg.Provider("cloudflare")
	require.True(t, ok)
	assert.True(t, cf.Owned)
	assert.Equal(t, fleet.Rate{Requests: 1200, Per: 5 * 60e9}, cf.Rate)
	io, _ := cfg.Provider("ionos")
	assert.False(t, io.Owned)

	require.Len(t, cfg.Zones, 3)
	com, net, org := cfg.Zones[0], cfg.Zones[1], cfg.Zones[2]
	assert.Equal(t, "example.com", com.Name)
	assert.Equal(t, []string{"cloudflare", "dnsimple", "ionos"}, com.Providers)
	assert.Equal(t, "192.0.2.1", com.Primaries[0].String())
	assert.Equal(t, "2001:db8::1", com.Primaries[1].String())
	assert.Empty(t, com.Key)
	assert.Equal(t, "192.0.2.7", net.Primaries[0].String())
	assert.Equal(t, []string{"cloudflare"}, org.Providers)
	assert.Equal(t, "transfer", org.Key)
	assert.Equal(t, uint16(5353), org.Primaries[0].Port)

	env := func(name string) (string, bool) {
		if name == "SECDNS_TSIG_TRANSFER" {
			return "c2VjcmV0LXNlY3JldA==", true
		}
		return "", false
	}
	keys, err := cfg.Resolve(env, os.ReadFile)
	require.NoError(t, err)
	assert.Equal(t, "transfer-key.", keys["transfer"].Name)
	assert.Equal(t, "c2VjcmV0LXNlY3JldA==", keys["transfer"].Secret.Reveal())

	_, err = cfg.Resolve(func(string) (string, bool) { return "", false }, os.ReadFile)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SECDNS_TSIG_TRANSFER is not set")

	_, _, err = cf.Credentials(env, func(string) ([]byte, error) { return nil, &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist} })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "providers.cloudflare: token")
	tok, acct, err := cf.Credentials(env, func(string) ([]byte, error) { return []byte("tok-123\n"), nil })
	require.NoError(t, err)
	assert.Equal(t, "tok-123", tok.Reveal())
	assert.Equal(t, "023e105f4ecef8ad9ca31a8372d0c353", acct)
}

// TestParseConfigProblems checks that every problem is reported at once,
// each at its line.
func TestParseConfigProblems(t *testing.T) {
	t.Parallel()
	const head = `providers:
  io:
    type: ionos
    token_env: T
  ds:
    type: dnsimple
    token_env: T
    account: "1"
  cf:
    type: cloudflare
    token_env: T
    account: "a"
keys:
  k:
    secret_env: S
`
	tests := []struct {
		name string
		body string
		want []string // "line: fragment"
	}{
		{"unknown keys everywhere", head + `colour: red
defaults:
  primaries: [192.0.2.1]
  primaryz: [1.2.3.4]
zones:
  a.example: {primaries: [192.0.2.2], provider: [io]}
`, []string{"16: unknown key \"colour\"", "19: unknown key \"primaryz\"", "21: unknown key \"provider\""}},
		{"duplicate zones, also after normalising", head + `defaults: {primaries: [192.0.2.1]}
zones:
  a.example: {}
  A.Example.: {}
  b.example: {}
  b.example: {}
`, []string{"19: zone a.example given twice (first at line 18)", "21: \"b.example\" given twice"}},
		{"invalid names and addresses", head + `defaults: {primaries: [192.0.2.1]}
zones:
  bad..example: {}
  -x.example: {}
  c.example: {primaries: [300.1.1.1, "192.0.2.1:0", "::"]}
  d.example: {primaries: []}
`, []string{"18: zone \"bad..example\": empty label", "19: zone \"-x.example\"", "20: zone", "21: zones.d.example.primaries: at least one primary"}},
		{"provider cannot do it", head + `defaults: {primaries: [192.0.2.1]}
zones:
  tsig.example: {tsig: k}
  port.example: {primaries: ["192.0.2.1:5353"], providers: [io, cf]}
  fine.example: {tsig: k, providers: [cf]}
`, []string{"18: provider ds (dnsimple) cannot authenticate transfers with TSIG", "18: provider io (ionos) cannot authenticate transfers with TSIG", "19: provider io (ionos) transfers from port 53 only, not 192.0.2.1:5353"}},
		{"references", head + `defaults: {primaries: [192.0.2.1], providers: [io, nowhere]}
zones:
  a.example: {tsig: nokey, providers: [cf]}
  b.example: {providers: [cf, cf]}
`, []string{"16: defaults.providers: unknown provider \"nowhere\"", "18: zones.a.example.tsig: unknown TSIG key \"nokey\"", "19: \"cf\" listed twice"}},
		{"secrets never inline, providers complete", `providers:
  cf:
    type: cloudflare
    token_env: T
  io:
    type: route53
keys:
  k:
    secret: c2VjcmV0
zones:
  a.example: {}
`, []string{"2: cloudflare needs account or account_env", "5: give exactly one of token_env and token_file", "6: unknown provider type \"route53\"", "8: give exactly one of secret_env and secret_file", "9: secrets are never written in the file", "11: no primaries"}},
		{"catalog section", head + `catalog:
  zone: bad..catalog
  primary: 192.0.2.1:5300
  tsig: k
  transfer_tsig: nokey
  colour: red
`, []string{"17: catalog.zone", "18: catalog: provider io (ionos) transfers from port 53 only, not 192.0.2.1:5300",
			"19: catalog: provider ds (dnsimple) cannot authenticate", "20: unknown TSIG key \"nokey\"", "21: unknown key \"colour\""}},
		{"catalog needs zone and primary", head + `catalog: {providers: [cf]}
`, []string{"16: catalog: zone is required", "16: catalog: primary is required"}},
		{"private and impossible primaries", head + `zones:
  a.example: {primaries: [10.0.0.1], providers: [cf]}
  b.example: {primaries: [224.0.0.1]}
`, []string{"17: provider cf: primary 10.0.0.1: private address", "18: zones.b.example.primaries: primary 224.0.0.1: multicast"}},
		{"wrong shapes", head + `defaults: [1]
zones:
  a.example: {primaries: 192.0.2.1}
`, []string{"16: defaults: must be a mapping", "18: zones.a.example.primaries: must be a list"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := fleet.ParseConfig("f.yaml", []byte(tc.body))
			require.Error(t, err)
			var ce *fleet.ConfigError
			require.True(t, errors.As(err, &ce), "%v", err)
			assert.ErrorIs(t, err, facade.ErrInvalidInput)
			msg := err.Error()
			for _, w := range tc.want {
				line, frag, _ := strings.Cut(w, ": ")
				assert.Contains(t, msg, "f.yaml:"+line+":", "want a problem at line %s in\n%s", line, msg)
				found := false
				for _, p := range ce.Problems {
					if strings.Contains(p.Msg, frag) && strconv.Itoa(p.Line) == line {
						found = true
					}
				}
				assert.True(t, found, "want %q at line %s in\n%s", frag, line, msg)
			}
			assert.GreaterOrEqual(t, len(ce.Problems), len(tc.want))
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/fleet.yaml")
	require.NoError(t, err)
	data = append(data, `catalog:
  zone: catalog.example.
  primary: 192.0.2.1
  transfer_tsig: transfer
  providers: [cloudflare, ionos]
`...)
	cfg, err := fleet.ParseConfig("fleet.yaml", data)
	require.NoError(t, err)
	out := cfg.Marshal()
	again, err := fleet.ParseConfig("marshalled", out)
	require.NoError(t, err, "%s", out)
	assert.Equal(t, cfg.Zones, again.Zones)
	assert.Equal(t, cfg.Keys, again.Keys)
	assert.Equal(t, cfg.Providers, again.Providers)
	require.NotNil(t, again.Catalog)
	assert.Equal(t, cfg.Catalog, again.Catalog)
	assert.Equal(t, "catalog.example", again.Catalog.Zone)
	assert.Equal(t, "192.0.2.1", again.Catalog.Source.Primaries[0].String())
	assert.Equal(t, []string{"cloudflare", "ionos"}, again.Catalog.Source.Providers)
}

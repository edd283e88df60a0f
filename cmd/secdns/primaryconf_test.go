package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runPC runs secdns in-process with env as its whole environment.
func runPC(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

func TestPrimaryConfigMatchesLibraryGolden(t *testing.T) {
	t.Parallel()
	for _, server := range []string{"bind", "knot", "nsd", "powerdns"} {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			r := runPC(t, nil, "primary-config", "--server", server, "--providers", "dnsimple", "--date", "2026-12-01", "example.com", "Example.NET.")
			require.Equal(t, 0, r.code, r.stderr)
			want, err := os.ReadFile(filepath.Join("..", "..", "facade", "primaryconf", "testdata", "golden", "dnsimple."+server))
			require.NoError(t, err)
			assert.Equal(t, string(want), r.stdout)
			assert.Empty(t, r.stderr)
		})
	}
}

func TestPrimaryConfigBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown server", []string{"--server", "djbdns", "--providers", "dnsimple"}, exitUsage, `unknown server type "djbdns": use bind, knot, nsd or powerdns`},
		{"no server", []string{"--providers", "dnsimple"}, exitUsage, "which server?"},
		{"no providers", []string{"--server", "bind"}, exitUsage, "which providers? pass --providers, e.g. --providers cloudflare,dnsimple,ionos"},
		{"unknown provider", []string{"--server", "bind", "--providers", "route53"}, exitUsage, `unknown provider "route53"`},
		{"ionos incomplete", []string{"--server", "bind", "--providers", "cloudflare,ionos"}, exitFailure, "ionos: the addresses its zone transfers come from are unknown"},
		{"tsig for dnsimple", []string{"--server", "knot", "--providers", "dnsimple", "--tsig-name", "k."}, exitUsage, "TSIG requested for a provider without TSIG support: dnsimple"},
		{"tsig flags without name", []string{"--server", "knot", "--providers", "cloudflare", "--with-secret"}, exitUsage, "without --tsig-name"},
		{"with-secret without source", []string{"--server", "knot", "--providers", "cloudflare", "--tsig-name", "k.", "--with-secret"}, exitUsage, "--with-secret needs --tsig-secret-file or --tsig-secret-env"},
		{"unset env", []string{"--server", "knot", "--providers", "cloudflare", "--tsig-name", "k.", "--with-secret", "--tsig-secret-env", "NOPE"}, exitUsage, "NOPE is empty or unset"},
		{"bad date", []string{"--server", "bind", "--providers", "dnsimple", "--date", "1.12.2026"}, exitUsage, "want YYYY-MM-DD"},
		{"bad zone", []string{"--server", "bind", "--providers", "dnsimple", "exa mple.com"}, exitUsage, "invalid input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runPC(t, nil, append([]string{"primary-config"}, tt.args...)...)
			assert.Equal(t, tt.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.stderr)
			assert.Empty(t, r.stdout, "nothing printed on bad input")
		})
	}
}

func TestPrimaryConfigIncompleteIsMarked(t *testing.T) {
	t.Parallel()
	r := runPC(t, nil, "primary-config", "--server", "nsd", "--providers", "ionos", "--allow-incomplete", "--date", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "# GAP: ionos: the addresses its zone transfers come from are unknown")
	assert.Contains(t, r.stdout, "notify: 212.227.123.25 NOKEY")
	assert.Contains(t, r.stderr, "secdns: warning: ionos: the addresses its zone transfers come from are unknown")
}

func TestPrimaryConfigSecretOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	const secret = "c2VjcmV0LWZvci10aGUtY2xpLXRlc3Q="
	file := filepath.Join(t.TempDir(), "xfr.secret")
	require.NoError(t, os.WriteFile(file, []byte(secret+"\n"), 0o600))
	base := []string{"primary-config", "--server", "bind", "--providers", "cloudflare", "--date", "2026-12-01", "--tsig-name", "xfr.", "example.com"}

	r := runPC(t, nil, append(base, "--tsig-secret-file", file)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, secret)
	assert.Contains(t, r.stdout, "Secret NOT included: replace SECRET-NOT-INCLUDED-replace-with-the-base64-secret with the secret from file "+file)

	r = runPC(t, nil, append(base, "--tsig-secret-file", file, "--with-secret")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `secret "`+secret+`";`)

	r = runPC(t, map[string]string{"XFR_SECRET": secret}, append(base, "--tsig-secret-env", "XFR_SECRET", "--with-secret")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `secret "`+secret+`";`)

	r = runPC(t, map[string]string{"XFR_SECRET": "not base64!"}, append(base, "--tsig-secret-env", "XFR_SECRET", "--with-secret")...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "not valid base64")
	assert.NotContains(t, r.stderr, "not base64!")
}

func TestPrimaryConfigCheckRegistry(t *testing.T) {
	t.Parallel()
	r := runPC(t, nil, "primary-config", "--check-registry", "--date", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "registry: every fact of cloudflare, dnsimple, ionos was checked within 180 days of 2026-12-01")

	r = runPC(t, nil, "primary-config", "--check-registry", "--date", "2027-06-01", "--max-age", "90")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stdout, "stale: dnsimple: https://support.dnsimple.com/articles/secondary-dns-dnsimple-as-secondary/ checked 2026-12-01 (182 days ago)")
	assert.Contains(t, r.stderr, "4 registry pages checked more than 90 days before 2027-06-01")
}

func TestPrimaryConfigShowsRegistry(t *testing.T) {
	t.Parallel()
	r := runPC(t, nil, "primary-config", "--registry", "--date", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{
		"cloudflare (Cloudflare)",
		"  * transfer sources: 104.30.167.163/32, 104.30.167.173/32, 2a09:bac0:1000:c47::/64 from 2026-04-15",
		"    transfer sources: 198.41.144.240/28, 198.41.150.240/28, 2a06:98c0:3601::/48, 2a06:98c0:1401::/48 until 2026-12-01",
		"ionos (IONOS Cloud DNS)\n    transfer sources: UNKNOWN",
		"NOT CONFIRMED",
		"    TSIG: no",
	} {
		assert.Contains(t, r.stdout, want)
	}
	r = runPC(t, nil, "primary-config", "--registry", "--date", "2026-11-30")
	assert.Contains(t, r.stdout, "  * transfer sources: 198.41.144.240/28")
}

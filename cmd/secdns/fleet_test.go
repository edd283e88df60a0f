package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// fleetFakes are three fakes and a providers section reaching them.
type fleetFakes struct {
	io  *fakes.IONOS
	ds  *fakes.DNSimple
	cf  *fakes.Cloudflare
	env []string
	dir string
}

func startFleetFakes(t *testing.T) *fleetFakes {
	t.Helper()
	f := &fleetFakes{
		io:  fakes.StartIONOS(t, fakes.WithProvisioningReads(0)),
		ds:  fakes.StartDNSimple(t),
		cf:  fakes.StartCloudflare(t),
		dir: t.TempDir(),
	}
	f.env = []string{"IO_TOKEN=" + f.io.Token(), "DS_TOKEN=" + f.ds.Token(), "CF_TOKEN=" + f.cf.Token(), "TSIG_SECRET=c2VjcmV0LXNlY3JldA=="}
	return f
}

func (f *fleetFakes) providers(owned bool) string {
	return fmt.Sprintf(`providers:
  io:
    type: ionos
    token_env: IO_TOKEN
    base_url: %q
    owned: %t
    rate: {requests: 60000, per: 1m}
  ds:
    type: dnsimple
    token_env: DS_TOKEN
    account: "%d"
    base_url: %q
    owned: %t
    rate: {requests: 60000, per: 1m}
  cf:
    type: cloudflare
    token_env: CF_TOKEN
    account: %q
    base_url: %q
    owned: %t
    rate: {requests: 60000, per: 1m}
keys:
  transfer:
    name: transfer-key
    secret_env: TSIG_SECRET
`, f.io.URL(), owned, f.ds.AccountID(), f.ds.URL(), owned, f.cf.AccountID(), f.cf.URL(), owned)
}

func (f *fleetFakes) write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func (f *fleetFakes) requests() int {
	return f.io.Stats().Requests + f.ds.Stats().Requests + f.cf.Stats().Requests
}

func zonesYAML(n int, primaries string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "defaults:\n  primaries: [%s]\nzones:\n", primaries)
	for i := range n {
		fmt.Fprintf(&b, "  z%02d.example: {}\n", i)
	}
	return b.String()
}

func TestFleetPlanApply(t *testing.T) {
	t.Parallel()
	f := startFleetFakes(t)
	file := f.write(t, "fleet.yaml", f.providers(true)+zonesYAML(12, "192.0.2.1")+"  tsig.example: {tsig: transfer, providers: [cf]}\n")

	r := secdns(t, f.env, "fleet", "plan", "-f", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `cf\s+cloudflare\s+yes\s+0\s+13\s+0\s+0\s+0\s+0\s+0`, r.stdout)
	assert.Regexp(t, `io\s+ionos\s+yes\s+0\s+12\s`, r.stdout)
	assert.Contains(t, r.stdout, "cf  create  tsig.example")
	assert.Contains(t, r.stdout, "37 change(s)")
	assert.NotContains(t, r.stdout+r.stderr, "c2VjcmV0LXNlY3JldA==")

	planFile := filepath.Join(f.dir, "plan.json")
	r = secdns(t, f.env, "fleet", "plan", "-f", file, "--json", "--out", planFile)
	require.Equal(t, 0, r.code, r.stderr)
	var plan struct {
		Providers []struct {
			Provider string
			Changes  []struct{ Zone, Action string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &plan))
	require.Len(t, plan.Providers, 3)

	r = secdns(t, f.env, "fleet", "apply", "-f", file, "--plan", planFile, "--progress", "lines")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "[37/37]")
	assert.Contains(t, r.stdout, "Applied 37 change(s).")
	assert.Len(t, f.io.Zones(), 12)
	assert.Len(t, f.cf.Zones(), 13)

	// Idempotent.
	r = secdns(t, f.env, "fleet", "apply", "-f", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Nothing to do")

	// Re-point everything: over the threshold, refused before any change.
	file2 := f.write(t, "fleet2.yaml", f.providers(true)+zonesYAML(12, "192.0.2.2")+"  tsig.example: {tsig: transfer, providers: [cf]}\n")
	r = secdns(t, f.env, "fleet", "apply", "-f", file2)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "safety thresholds")
	for _, z := range f.io.Zones() {
		assert.Equal(t, []string{"192.0.2.1"}, z.PrimaryIPs, "unchanged")
	}
	r = secdns(t, f.env, "fleet", "apply", "-f", file2, "--max-change", "1", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"changes": 37}`, r.stdout)

	// Removing zones from the file deletes them (the providers are owned).
	file3 := f.write(t, "fleet3.yaml", f.providers(true)+zonesYAML(10, "192.0.2.2"))
	r = secdns(t, f.env, "fleet", "apply", "-f", file3, "--progress", "none")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, f.io.Zones(), 10)
	assert.Len(t, f.cf.Zones(), 10)
}

func TestFleetImport(t *testing.T) {
	t.Parallel()
	f := startFleetFakes(t)
	file := f.write(t, "fleet.yaml", f.providers(false)+zonesYAML(5, `"192.0.2.1", "2001:db8::1"`)+"  only-cf.example: {primaries: [\"192.0.2.9:5353\"], providers: [cf], tsig: transfer}\n")
	r := secdns(t, f.env, "fleet", "apply", "-f", file)
	require.Equal(t, 0, r.code, r.stderr)

	providersOnly := f.write(t, "providers.yaml", f.providers(false))
	out := filepath.Join(f.dir, "imported.yaml")
	r = secdns(t, f.env, "fleet", "import", "-f", providersOnly, "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(data), `primaries: ["192.0.2.1", "2001:db8::1"]`)
	assert.Contains(t, string(data), `only-cf.example: {primaries: ["192.0.2.9:5353"], providers: [cf], tsig: transfer-key}`)
	assert.Contains(t, string(data), "secret_env: SECDNS_TSIG_TRANSFER_KEY")

	r = secdns(t, append(f.env, "SECDNS_TSIG_TRANSFER_KEY=c2VjcmV0LXNlY3JldA=="), "fleet", "plan", "-f", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Nothing to do", "the imported file describes what the providers hold:\n%s", data)
}

func TestFleetBadFile(t *testing.T) {
	t.Parallel()
	f := startFleetFakes(t)
	file := f.write(t, "bad.yaml", f.providers(false)+`defaults:
  primaries: [192.0.2.1, 192.0.2.300]
zones:
  a.example: {tsig: transfer}
  a.example.: {}
  b..example: {}
  c.example: {primaries: ["192.0.2.1:5353"], providers: [io]}
  d.example: {colour: blue}
`)
	before := f.requests()
	r := secdns(t, f.env, "fleet", "plan", "-f", file)
	assert.Equal(t, exitUsage, r.code)
	for _, want := range []string{
		"bad.yaml:27:26: defaults.primaries: primary \"192.0.2.300\"",
		"bad.yaml:29:21: zones.a.example: provider io (ionos) cannot authenticate transfers with TSIG",
		"bad.yaml:30:3: zone a.example given twice",
		"bad.yaml:31:3: zone \"b..example\": empty label",
		"bad.yaml:32:26: zones.c.example: provider io (ionos) transfers from port 53 only",
		"bad.yaml:33:15: zones.d.example: unknown key \"colour\"",
	} {
		assert.Contains(t, r.stderr, want)
	}
	assert.Equal(t, before, f.requests(), "nothing sent")

	r = secdns(t, f.env, "fleet", "plan", "-f", filepath.Join(f.dir, "missing.yaml"))
	assert.Equal(t, exitUsage, r.code)
	r = secdns(t, f.env, "fleet", "frobnicate")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "unknown subcommand")
}

func TestFleetFake(t *testing.T) {
	t.Parallel()
	f := startFleetFakes(t)
	file := f.write(t, "fleet.yaml", f.providers(false)+zonesYAML(3, "192.0.2.1"))
	r := secdns(t, f.env, "fleet", "apply", "--fake", "-f", file, "--progress", "lines")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "[9/9]")
	assert.Zero(t, f.requests(), "--fake talks to in-process fakes only")
}

// TestFleetSyncOnce serves a catalog zone (TSIG-signed transfers) and runs
// one sync round: the members and the file's own zones are created, a
// broken catalog changes nothing.
func TestFleetSyncOnce(t *testing.T) {
	t.Parallel()
	f := startFleetFakes(t)
	key := facade.TSIG{Name: "transfer-key", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LXNlY3JldA=="}
	srv, err := dnswire.Listen(context.Background(), dnswire.WithTransferTSIG(key))
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	serve := func(members ...string) {
		text := "$TTL 0\n@ SOA invalid. invalid. 1 3600 600 86400 0\n@ NS invalid.\nversion TXT \"2\"\n"
		for i, m := range members {
			text += fmt.Sprintf("u%d.zones PTR %s\n", i, m)
		}
		z, err := dnswire.ParseZone("catalog.invalid.", text)
		require.NoError(t, err)
		srv.SetZone(z)
	}
	file := f.write(t, "fleet.yaml", f.providers(true)+fmt.Sprintf(`catalog:
  zone: catalog.invalid
  primary: %q
  transfer_tsig: transfer
  primaries: [192.0.2.53]
  providers: [cf, ds]
zones:
  static.example: {primaries: [192.0.2.1]}
`, srv.Addr()))

	serve("a.example.", "b.example.")
	r := secdns(t, f.env, "fleet", "sync", "--once", "-f", file)
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	assert.Contains(t, r.stdout, "start: catalog catalog.invalid: 2 member(s); created 7, re-pointed 0, re-created 0, deleted 0: ok")
	assert.Len(t, f.cf.Zones(), 3)
	assert.Len(t, f.io.Zones(), 1, "static.example only")

	serve("a.example.", "a.example.")
	r = secdns(t, f.env, "fleet", "sync", "--once", "-f", file)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stdout, "member zone a.example is listed twice")
	assert.Len(t, f.cf.Zones(), 3, "nothing deleted")

	serve("b.example.")
	r = secdns(t, f.env, "fleet", "sync", "--once", "-f", file)
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	assert.Contains(t, r.stdout, "deleted 2: ok")
	assert.Len(t, f.cf.Zones(), 2)
}

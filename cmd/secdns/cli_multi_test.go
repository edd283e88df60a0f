package main

// End-to-end tests of the operator features for several providers: -p
// lists, repeated -p and all; the config file; status side by side;
// version; JSON errors. Each CLI run is a separate invocation of the built
// binary against fakes started by the test.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
)

// multiEnv is the three fakes and a config file reaching them: IONOS and
// Cloudflare through environment variables the file names (not the
// conventional ones), DNSimple through a token file.
type multiEnv struct {
	targets []target
	config  string
	env     []string
}

func startMulti(t *testing.T) *multiEnv {
	t.Helper()
	tgs := startTargets(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "dnsimple-token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(tgs[1].token+"\n"), 0o600))
	account := func(tg target, key string) string {
		for _, kv := range tg.env {
			if v, ok := strings.CutPrefix(kv, key+"="); ok {
				return v
			}
		}
		t.Fatalf("no %s in %v", key, tg.env)
		return ""
	}
	cfg := "providers:\n" +
		"  ionos:\n" +
		"    token_env: MY_IONOS_TOKEN\n" +
		"    base_url: " + tgs[0].url + "\n" +
		"  dnsimple:\n" +
		"    token_file: " + tokenFile + "\n" +
		"    account: \"" + account(tgs[1], "DNSIMPLE_ACCOUNT") + "\"\n" +
		"    base_url: " + tgs[1].url + "\n" +
		"  edge:\n" +
		"    type: cloudflare\n" +
		"    token_env: EDGE_TOKEN\n" +
		"    account_env: EDGE_ACCOUNT\n" +
		"    base_url: " + tgs[2].url + "\n"
	path := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return &multiEnv{
		targets: tgs,
		config:  path,
		env: []string{"MY_IONOS_TOKEN=" + tgs[0].token, "EDGE_TOKEN=" + tgs[2].token,
			"EDGE_ACCOUNT=" + account(tgs[2], "CLOUDFLARE_ACCOUNT_ID")},
	}
}

// run runs secdns with the config file.
func (m *multiEnv) run(t *testing.T, args ...string) result {
	t.Helper()
	r := secdns(t, m.env, append([]string{"--config", m.config}, args...)...)
	for _, tg := range m.targets {
		assert.NotContains(t, r.stdout+r.stderr, tg.token, "args %v", args)
	}
	return r
}

func (m *multiEnv) zones() []int {
	var out []int
	for _, tg := range m.targets {
		out = append(out, tg.zones())
	}
	return out
}

func decodeResults(t *testing.T, s string) []providerResultJSON {
	t.Helper()
	var rs []providerResultJSON
	require.NoError(t, json.Unmarshal([]byte(s), &rs), s)
	return rs
}

func decodeStatus(t *testing.T, s string) statusJSON {
	t.Helper()
	var st statusJSON
	require.NoError(t, json.Unmarshal([]byte(s), &st), s)
	return st
}

// jsonErrors decodes stderr written with --json: one {"error": {...}} per
// line, each with every key of the documented shape.
func jsonErrors(t *testing.T, stderr string) []errorJSON {
	t.Helper()
	var out []errorJSON
	for line := range strings.Lines(stderr) {
		var raw map[string]map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &raw), "stderr line %q", line)
		inner, ok := raw["error"]
		require.True(t, ok, line)
		for _, k := range []string{"provider", "operation", "kind", "status", "message", "request_id", "exit_code"} {
			assert.Contains(t, inner, k, line)
		}
		var e map[string]errorJSON
		require.NoError(t, json.Unmarshal([]byte(line), &e))
		out = append(out, e["error"])
	}
	return out
}

func TestMultiProviderLifecycle(t *testing.T) {
	t.Parallel()
	m := startMulti(t)

	// -p all: every provider of the config file, in its order.
	r := m.run(t, "-p", "all", "create", "Example.COM", "192.0.2.1", "2001:db8::1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int{1, 1, 1}, m.zones())
	for _, h := range []string{"== ionos ==", "== dnsimple ==", "== edge (cloudflare) =="} {
		assert.Contains(t, r.stdout, h)
	}
	assert.Less(t, strings.Index(r.stdout, "== ionos =="), strings.Index(r.stdout, "== edge (cloudflare) =="))

	r = m.run(t, "-p", "all", "--json", "get", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	rs := decodeResults(t, r.stdout)
	require.Len(t, rs, 3)
	for i, want := range []struct{ name, typ string }{{"ionos", "ionos"}, {"dnsimple", "dnsimple"}, {"edge", "cloudflare"}} {
		assert.Equal(t, want.name, rs[i].Provider)
		assert.Equal(t, want.typ, rs[i].Type)
		assert.Equal(t, 0, rs[i].ExitCode)
		var z zoneJSON
		require.NoError(t, json.Unmarshal(rs[i].Result, &z))
		assert.Equal(t, "example.com", z.Name)
		assert.Equal(t, want.typ, z.Provider)
	}

	// status: side by side, agreeing; n/a where a provider reports nothing.
	r = m.run(t, "-p", "all", "--json", "status", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	st := decodeStatus(t, r.stdout)
	assert.True(t, st.Agree, "%v", st.Disagreements)
	assert.Empty(t, st.Disagreements)
	require.Len(t, st.Providers, 3)
	for _, row := range st.Providers {
		assert.True(t, row.Found, row.Provider)
		assert.Equal(t, []string{"192.0.2.1:53", "[2001:db8::1]:53"}, row.Primaries, row.Provider)
		assert.Equal(t, "ready", row.Readiness, row.Provider)
	}
	assert.Nil(t, st.Providers[0].Serial, "IONOS reports no serial")
	assert.Nil(t, st.Providers[0].LastTransfer, "IONOS reports no last transfer")
	assert.NotNil(t, st.Providers[0].PrimaryStatus, "IONOS reports per-primary status")
	assert.NotNil(t, st.Providers[2].Serial, "Cloudflare reports the serial")

	r = m.run(t, "-p", "all", "status", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "the providers agree")
	assert.Regexp(t, `(?m)^Serial\s+n/a\s+n/a\s+\d+`, r.stdout)
	assert.Regexp(t, `(?m)^\s+ionos\s+dnsimple\s+edge \(cloudflare\)`, r.stdout)

	// A comma list acts on those only.
	r = m.run(t, "-p", "ionos,edge", "set-primaries", "example.com", "192.0.2.9")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 2, strings.Count(r.stdout, "192.0.2.9"), r.stdout)

	r = m.run(t, "-p", "all", "--json", "status", "example.com")
	assert.Equal(t, exitDisagree, r.code, r.stderr)
	st = decodeStatus(t, r.stdout)
	assert.False(t, st.Agree)
	require.NotEmpty(t, st.Disagreements)
	assert.Contains(t, st.Disagreements[0], "primaries differ")
	r = m.run(t, "-p", "all", "status", "example.com")
	assert.Equal(t, exitDisagree, r.code, r.stderr)
	assert.Contains(t, r.stdout, "DISAGREE")
	r = m.run(t, "-p", "ionos,edge", "status", "example.com")
	assert.Equal(t, 0, r.code, "those two agree: %s", r.stdout)

	// Transfer: DNSimple has no trigger (6); the worst outcome is the exit
	// code, and the others still ran.
	r = m.run(t, "-p", "all", "--json", "transfer", "example.com")
	assert.Equal(t, exitUnsupported, r.code, r.stderr)
	rs = decodeResults(t, r.stdout)
	require.Len(t, rs, 3)
	assert.Equal(t, []int{0, exitUnsupported, 0}, []int{rs[0].ExitCode, rs[1].ExitCode, rs[2].ExitCode})
	require.NotNil(t, rs[1].Error)
	assert.Equal(t, "unsupported", rs[1].Error.Kind)
	errs := jsonErrors(t, r.stderr)
	require.Len(t, errs, 1)
	assert.Equal(t, "dnsimple", errs[0].Provider)
	assert.Equal(t, "unsupported", errs[0].Kind)

	// Repeated -p accumulates (it used to keep the last one).
	r = m.run(t, "-p", "ionos", "-p", "edge", "delete", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int{0, 1, 0}, m.zones())

	// Missing at two providers: not found is the worst outcome.
	r = m.run(t, "-p", "all", "status", "example.com")
	assert.Equal(t, exitNotFound, r.code, r.stderr)
	assert.Contains(t, r.stdout, "does not exist at ionos")
	assert.Equal(t, 2, strings.Count(r.stderr, "\n"), "one line per failed provider: %q", r.stderr)

	r = m.run(t, "-p", "dnsimple", "delete", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int{0, 0, 0}, m.zones())
}

func TestProviderSelection(t *testing.T) {
	t.Parallel()
	m := startMulti(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantMsg  string
	}{
		{"several providers in the file and no -p", []string{"list"}, exitUsage, "which provider?"},
		{"a provider given twice", []string{"-p", "ionos", "-p", "ionos", "list"}, exitUsage, "provider ionos given twice"},
		{"all with others", []string{"-p", "all,ionos", "list"}, exitUsage, "-p all stands alone"},
		{"unknown name", []string{"-p", "ionos,edgy", "list"}, exitUsage, `unknown provider "edgy"`},
		{"token flag with several", []string{"-p", "ionos,edge", "--token", "x", "list"}, exitUsage, "apply to one provider"},
		{"provider objects on several", []string{"-p", "edge,ionos", "peers", "list"}, exitUsage, "one provider at a time"},
		{"a bad zone name once, not per provider", []string{"-p", "all", "get", "exa mple.org"}, exitUsage, "exa mple.org"},
	}
	for _, tt := range tests {
		r := m.run(t, tt.args...)
		assert.Equal(t, tt.wantCode, r.code, "%s: %s", tt.name, r.stderr)
		assert.Contains(t, r.stderr, tt.wantMsg, tt.name)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%s: one line: %q", tt.name, r.stderr)
		assert.Empty(t, r.stdout, tt.name)
	}
	for _, tg := range m.targets {
		assert.Zero(t, tg.requests(), "%s: nothing sent", tg.provider)
	}

	// A config name works for provider objects when it is of their type.
	r := m.run(t, "-p", "edge", "--json", "peers", "list")
	require.Equal(t, 0, r.code, r.stderr)

	// verify reads -p like the zone commands; one account per type.
	two := filepath.Join(t.TempDir(), "two.yaml")
	require.NoError(t, os.WriteFile(two, []byte("providers:\n  cloudflare: {}\n  edge: {type: cloudflare}\n"), 0o600))
	r = secdns(t, nil, "--config", two, "-p", "all", "verify", "--primary", "192.0.2.1", "example.com")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "one account per provider type")
	r = m.run(t, "-p", "edgy", "verify", "--primary", "192.0.2.1", "example.com")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, `unknown provider "edgy"`)

	// Without a config file, -p all is every provider whose token is set
	// (here: the fakes), and nothing with no token at all.
	r = secdns(t, nil, "--fake", "-p", "all", "--json", "list")
	require.Equal(t, 0, r.code, r.stderr)
	rs := decodeResults(t, r.stdout)
	require.Len(t, rs, 3)
	for i, p := range []string{"ionos", "dnsimple", "cloudflare"} {
		assert.Equal(t, p, rs[i].Provider)
		var zs []zoneJSON
		require.NoError(t, json.Unmarshal(rs[i].Result, &zs))
		require.Len(t, zs, 1)
		assert.Equal(t, seedZone, zs[0].Name)
	}
	r = secdns(t, nil, "-p", "all", "list")
	assert.Equal(t, exitAuth, r.code, r.stderr)
	assert.Contains(t, r.stderr, "no provider configured")

	// Comma lists and repeated -p without a config file.
	r = secdns(t, nil, "--fake", "-p", "ionos,dnsimple", "-p", "cloudflare", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 3, strings.Count(r.stdout, seedZone), r.stdout)
	r = secdns(t, []string{"SECDNS_PROVIDER=ionos,cloudflare"}, "--fake", "--json", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, decodeResults(t, r.stdout), 2)
}

func TestConfigFile(t *testing.T) {
	t.Parallel()
	m := startMulti(t)
	ionos := m.targets[0]
	write := func(t *testing.T, body string) string {
		p := filepath.Join(t.TempDir(), "config.yaml")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
	const hex = "dnsimpletest_8f3c2a9b71e04d5c6b2a"
	tests := []struct {
		name     string
		body     string
		secret   string // must not appear in the output
		wantCode int
		wantMsgs []string
	}{
		{name: "inline token", body: "providers:\n  ionos:\n    base_url: http://127.0.0.1:1\n    token: " + jwt + "\n", secret: jwt,
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:4:5:", "providers.ionos.token: tokens are never written in the config file"}},
		{name: "token in token_env", body: "providers:\n  dnsimple:\n    token_env: " + hex + "\n    account: \"1\"\n", secret: hex,
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:3:16:", "must be the NAME of an environment variable"}},
		{name: "token in token_file", body: "providers:\n  ionos:\n    token_file: " + hex + "\n", secret: hex,
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:3:17:", "not the token itself"}},
		{name: "unknown key", body: "providers:\n  ionos:\n    token_env: IONOS_TOKEN\n    tokn_file: /x\n",
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:4:5:", `providers.ionos: unknown key "tokn_file"`}},
		{name: "unknown top-level key", body: "providers:\n  ionos: {}\ndefault: ionos\n",
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:3:1:", `file: unknown key "default"`}},
		{name: "unknown type", body: "providers:\n  edge:\n    type: route53\n",
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:3:11:", `unknown provider type "route53"`}},
		{name: "no type for a free name", body: "providers:\n  edge:\n    token_env: EDGE_TOKEN\n",
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:2:3:", "type is required"}},
		{name: "every problem at once", body: "providers:\n  ionos:\n    tokn: x\n  edge:\n    type: nope\n",
			wantCode: exitUsage, wantMsgs: []string{"config.yaml:3:5:", "config.yaml:5:11:"}},
		{name: "not YAML", body: "providers: [\n", wantCode: exitUsage, wantMsgs: []string{"not valid YAML"}},
		{name: "variable not set", body: "providers:\n  ionos:\n    token_env: NOT_SET_TOKEN\n    base_url: " + ionos.url + "\n",
			wantCode: exitAuth, wantMsgs: []string{"provider ionos", "environment variable NOT_SET_TOKEN (token) is not set"}},
		{name: "token file missing", body: "providers:\n  ionos:\n    token_file: /nonexistent/secdns-token\n    base_url: " + ionos.url + "\n",
			wantCode: exitAuth, wantMsgs: []string{"reading token_file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(t, tt.body)
			r := secdns(t, m.env, "--config", path, "-p", "ionos", "list")
			assert.Equal(t, tt.wantCode, r.code, r.stderr)
			for _, msg := range tt.wantMsgs {
				assert.Contains(t, r.stderr, msg)
			}
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			assert.Empty(t, r.stdout)
			if tt.secret != "" {
				assert.NotContains(t, r.stderr, tt.secret)
			}
		})
	}
	assert.Zero(t, ionos.requests(), "nothing sent")

	// An explicit config file that does not exist is an error; the
	// conventional one that does not exist is no config (environment).
	r := secdns(t, m.env, "--config", "/nonexistent/secdns.yaml", "-p", "ionos", "list")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "/nonexistent/secdns.yaml")
	r = secdns(t, append([]string{"HOME=" + t.TempDir()}, ionos.env...), "--base-url", ionos.url, "list")
	assert.Equal(t, 0, r.code, r.stderr)

	// The conventional locations and $SECDNS_CONFIG; a single provider in
	// the file needs no -p.
	one := "providers:\n  ionos:\n    token_env: MY_IONOS_TOKEN\n    base_url: " + ionos.url + "\n"
	xdg := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(xdg, "secdns"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(xdg, "secdns", "config.yaml"), []byte(one), 0o600))
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".config", "secdns"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".config", "secdns", "config.yaml"), []byte(one), 0o600))
	for name, env := range map[string][]string{
		"XDG_CONFIG_HOME": {"XDG_CONFIG_HOME=" + xdg, "HOME=/nonexistent"},
		"HOME":            {"HOME=" + home},
		"SECDNS_CONFIG":   {"SECDNS_CONFIG=" + write(t, one), "HOME=/nonexistent"},
	} {
		r := secdns(t, append(env, m.env...), "--json", "list")
		assert.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
		var zs []zoneJSON
		assert.NoError(t, json.Unmarshal([]byte(r.stdout), &zs), name)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := secdns(t, nil, "version")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "secdns "+facade.Version)
	assert.Contains(t, r.stdout, runtime.Version())
	assert.Contains(t, r.stdout, "module github.com/secondarydns/secondarydns-go")

	r = secdns(t, nil, "--json", "version")
	require.Equal(t, 0, r.code, r.stderr)
	var v versionJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	assert.Equal(t, facade.Version, v.Version)
	assert.Equal(t, runtime.Version(), v.Go)
	assert.Equal(t, "github.com/secondarydns/secondarydns-go", v.Module)
	assert.True(t, slices.ContainsFunc(v.Dependencies, func(d string) bool { return strings.HasPrefix(d, "github.com/oapi-codegen/runtime@") }), "%v", v.Dependencies)

	r = secdns(t, nil, "version", "extra")
	assert.Equal(t, exitUsage, r.code)
}

func TestJSONErrors(t *testing.T) {
	t.Parallel()
	tgs := startTargets(t)
	ionos, dns := tgs[0], tgs[1]
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		want     errorJSON // Message is checked with Contains
	}{
		{name: "unknown command", args: []string{"--json", "frobnicate"}, wantCode: exitUsage,
			want: errorJSON{Kind: "usage", Message: `unknown command "frobnicate"`}},
		{name: "unknown flag", args: []string{"list", "--json", "--nope"}, wantCode: exitUsage,
			want: errorJSON{Kind: "usage", Message: "nope"}},
		{name: "demo refuses --json", args: []string{"--json", "demo"}, wantCode: exitUsage,
			want: errorJSON{Kind: "usage", Message: "demo does not support --json"}},
		{name: "missing credentials", env: []string{"SECDNS_PROVIDER=ionos"}, args: []string{"--json", "list"}, wantCode: exitAuth,
			want: errorJSON{Kind: "credentials", Provider: "ionos", Message: "missing IONOS token"}},
		{name: "not found", env: ionos.env, args: []string{baseURLFlag(ionos), "--json", "get", "nothere.example"}, wantCode: exitNotFound,
			want: errorJSON{Kind: "not_found", Provider: "ionos", Operation: "GetZone", Message: "not found"}},
		{name: "not found with a status", env: dns.env, args: []string{baseURLFlag(dns), "--json", "get", "nothere.example"}, wantCode: exitNotFound,
			want: errorJSON{Kind: "not_found", Provider: "dnsimple", Status: 404, Message: "not found"}},
		{name: "unauthorized", env: replaceToken(dns.env, "wrong-token"), args: []string{baseURLFlag(dns), "--json", "list"}, wantCode: exitAuth,
			want: errorJSON{Kind: "unauthorized", Provider: "dnsimple", Status: 401, Message: "unauthorized"}},
		{name: "transfer unsupported", env: dns.env, args: []string{baseURLFlag(dns), "--json", "transfer", "example.com"}, wantCode: exitUnsupported,
			want: errorJSON{Kind: "unsupported", Provider: "dnsimple", Operation: "Transfer", Message: "unsupported"}},
		{name: "invalid input", env: dns.env, args: []string{baseURLFlag(dns), "--json", "create", "example.com", "300.1.1.1"}, wantCode: exitUsage,
			want: errorJSON{Kind: "usage", Message: "300.1.1.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := secdns(t, tt.env, tt.args...)
			assert.Equal(t, tt.wantCode, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			errs := jsonErrors(t, r.stderr)
			require.Len(t, errs, 1)
			e := errs[0]
			assert.Equal(t, tt.wantCode, e.ExitCode)
			assert.Equal(t, tt.want.Kind, e.Kind)
			assert.Equal(t, tt.want.Provider, e.Provider)
			assert.Contains(t, e.Message, tt.want.Message)
			if tt.want.Operation != "" {
				assert.Equal(t, tt.want.Operation, e.Operation)
			}
			assert.Equal(t, tt.want.Status, e.Status)
			for _, tg := range tgs {
				assert.NotContains(t, r.stderr, tg.token)
			}
		})
	}
}

// TestFakeServeAllProviders: `fake serve` and a config file naming its
// three fakes let an operator try -p all across separate commands.
func TestFakeServeAllProviders(t *testing.T) {
	t.Parallel()
	fs := startFakeServe(t, append([]string{"--json"}, freePorts...)...)
	var got struct {
		Fakes []servedFake `json:"fakes"`
	}
	require.NoError(t, json.Unmarshal([]byte(fs.lines[0]), &got))
	require.Len(t, got.Fakes, 3)
	var cfg strings.Builder
	cfg.WriteString("providers:\n")
	var env []string
	for _, f := range got.Fakes {
		fmt.Fprintf(&cfg, "  %s:\n    base_url: %s\n", f.Provider, f.BaseURL)
		env = append(env, envList(f.Env)...)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg.String()), 0o600))

	r := secdns(t, env, "--config", path, "-p", "all", "create", "example.com", "192.0.2.1")
	require.Equal(t, 0, r.code, r.stderr)
	r = secdns(t, env, "--config", path, "-p", "all", "--json", "status", "example.com")
	require.Equal(t, 0, r.code, "created by the previous command at all three: %s", r.stderr)
	st := decodeStatus(t, r.stdout)
	assert.True(t, st.Agree, "%v", st.Disagreements)
	require.Len(t, st.Providers, 3)
	r = secdns(t, env, "--config", path, "-p", "all", "delete", "example.com")
	require.Equal(t, 0, r.code, r.stderr)
	r = secdns(t, env, "--config", path, "-p", "all", "get", "example.com")
	assert.Equal(t, exitNotFound, r.code, r.stderr)
	assert.Equal(t, 3, strings.Count(r.stderr, "\n"), "one line per provider: %s", r.stderr)

	code, _ := fs.stop(t, syscall.SIGTERM)
	assert.Equal(t, 0, code, fs.stderr.String())
}

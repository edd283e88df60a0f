package main

// These tests build the secdns binary and run it as a user would, against
// fakes started by the test: output, --json, exit codes, and that bad input
// is refused with one clear line and nothing created.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// binary is the secdns binary built by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "secdns-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "secdns")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building secdns: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// secdns runs the binary with only the given environment (plus PATH).
func secdns(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// target is a fake provider plus the flags and environment that reach it.
type target struct {
	provider string
	url      string
	env      []string
	token    string
	zones    func() int
	requests func() int
}

// baseURLFlag points the binary at the fake, as a user pointing at a mirror
// would.
func baseURLFlag(tg target) string { return "--base-url=" + tg.url }

func TestLifecycle(t *testing.T) {
	t.Parallel()
	for _, tg := range startTargets(t) {
		t.Run(tg.provider, func(t *testing.T) {
			t.Parallel()
			url := baseURLFlag(tg)

			r := secdns(t, tg.env, url, "create", "Example.COM.", "192.0.2.1", "192.0.2.2")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "Zone:")
			assert.Contains(t, r.stdout, "example.com")
			assert.Equal(t, 1, tg.zones())

			r = secdns(t, tg.env, url, "--json", "get", "example.com")
			require.Equal(t, 0, r.code, r.stderr)
			var z zoneJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &z))
			assert.Equal(t, "example.com", z.Name)
			assert.Equal(t, tg.provider, z.Provider)
			assert.Len(t, z.Primaries, 2)

			r = secdns(t, tg.env, url, "set-primaries", "example.com", "192.0.2.3")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "192.0.2.3")

			r = secdns(t, tg.env, url, "transfer", "example.com")
			if tg.provider == "dnsimple" {
				assert.Equal(t, exitUnsupported, r.code, "DNSimple has no transfer API: %s", r.stderr)
				assert.Contains(t, r.stderr, "unsupported")
			} else {
				require.Equal(t, 0, r.code, r.stderr)
				assert.Contains(t, r.stdout, "transfer of example.com requested")
			}

			r = secdns(t, tg.env, url, "--json", "status", "example.com")
			require.Equal(t, 0, r.code, r.stderr)
			var st statusJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
			assert.Equal(t, "example.com", st.Zone)

			r = secdns(t, tg.env, url, "--json", "list")
			require.Equal(t, 0, r.code, r.stderr)
			var zs []zoneJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &zs))
			require.Len(t, zs, 1)
			assert.Equal(t, "example.com", zs[0].Name)

			r = secdns(t, tg.env, url, "list")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Regexp(t, `(?m)^NAME\s+STATE\s+PRIMARIES`, r.stdout)

			r = secdns(t, tg.env, url, "delete", "example.com")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, "deleted example.com\n", r.stdout)

			r = secdns(t, tg.env, url, "get", "example.com")
			assert.Equal(t, exitNotFound, r.code)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			assert.Contains(t, r.stderr, "not found")
		})
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	for _, tg := range startTargets(t) {
		t.Run(tg.provider, func(t *testing.T) {
			t.Parallel()
			url := baseURLFlag(tg)
			tests := []struct {
				name     string
				env      []string
				args     []string
				wantCode int
				wantMsg  string
				sends    bool // whether a request may reach the provider
			}{
				{name: "invalid IP", env: tg.env, args: []string{url, "create", "example.org", "300.1.1.1"}, wantCode: exitUsage, wantMsg: "300.1.1.1"},
				{name: "invalid port", env: tg.env, args: []string{url, "create", "example.org", "192.0.2.1:70000"}, wantCode: exitUsage, wantMsg: "70000"},
				{name: "invalid zone name", env: tg.env, args: []string{url, "create", "exa mple.org", "192.0.2.1"}, wantCode: exitUsage, wantMsg: "exa mple.org"},
				{name: "no primaries", env: tg.env, args: []string{url, "create", "example.org"}, wantCode: exitUsage, wantMsg: "usage: secdns create"},
				{name: "unknown provider", env: tg.env, args: []string{url, "--provider", "route53", "list"}, wantCode: exitUsage, wantMsg: `unknown provider "route53"`},
				{name: "missing token", env: []string{"SECDNS_PROVIDER=" + tg.provider}, args: []string{url, "list"}, wantCode: exitAuth, wantMsg: "missing"},
				{name: "wrong token", env: replaceToken(tg.env, "wrong-token"), args: []string{url, "list"}, wantCode: exitAuth, wantMsg: "unauthorized", sends: true},
				{name: "zone that does not exist", env: tg.env, args: []string{url, "get", "nothere.example"}, wantCode: exitNotFound, wantMsg: "not found", sends: true},
				{name: "delete a zone that does not exist", env: tg.env, args: []string{url, "delete", "nothere.example"}, wantCode: exitNotFound, wantMsg: "not found", sends: true},
				{name: "unknown command", env: tg.env, args: []string{url, "frobnicate"}, wantCode: exitUsage, wantMsg: `unknown command "frobnicate"`},
				{name: "unknown flag", env: tg.env, args: []string{url, "list", "--nope"}, wantCode: exitUsage, wantMsg: "nope"},
			}
			for _, tt := range tests {
				before := tg.requests()
				r := secdns(t, tt.env, tt.args...)
				assert.Equal(t, tt.wantCode, r.code, "%s: stderr %q", tt.name, r.stderr)
				assert.Contains(t, r.stderr, tt.wantMsg, tt.name)
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%s: one line, got %q", tt.name, r.stderr)
				assert.Empty(t, r.stdout, tt.name)
				assert.NotContains(t, r.stderr, tg.token, tt.name)
				if !tt.sends {
					assert.Equal(t, before, tg.requests(), "%s: nothing may be sent", tt.name)
				}
				assert.Equal(t, 0, tg.zones(), "%s: nothing created", tt.name)
			}
		})
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	t.Parallel()
	for _, tg := range startTargets(t) {
		t.Run(tg.provider, func(t *testing.T) {
			t.Parallel()
			url := baseURLFlag(tg)
			for _, args := range [][]string{
				{url, "-v", "create", "example.net", "192.0.2.1"},
				{url, "-v", "--json", "get", "example.net"},
				{url, "-v", "get", "missing.example"},
				{url, "-v", "delete", "example.net"},
			} {
				r := secdns(t, tg.env, args...)
				assert.NotContains(t, r.stdout+r.stderr, tg.token, "args %v", args)
				assert.NotContains(t, r.stdout+r.stderr, "Bearer", "args %v", args)
			}
		})
	}
}

func TestProviderObjects(t *testing.T) {
	t.Parallel()
	targets := startTargets(t)
	t.Run("dnsimple primaries", func(t *testing.T) {
		t.Parallel()
		tg := targets[1]
		url := baseURLFlag(tg)
		r := secdns(t, tg.env, url, "create", "example.com", "192.0.2.1")
		require.Equal(t, 0, r.code, r.stderr)
		r = secdns(t, tg.env, url, "--json", "primaries", "create", "backup", "192.0.2.9:5353")
		require.Equal(t, 0, r.code, r.stderr)
		var ps []primaryServerJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &ps))
		require.Len(t, ps, 1)
		assert.Equal(t, uint16(5353), ps[0].Port)
		id := strconv.FormatInt(ps[0].ID, 10)

		r = secdns(t, tg.env, url, "primaries", "link", id, "example.com")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "example.com")
		r = secdns(t, tg.env, url, "primaries", "list")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "backup")
		r = secdns(t, tg.env, url, "primaries", "unlink", id, "example.com")
		require.Equal(t, 0, r.code, r.stderr)
		r = secdns(t, tg.env, url, "primaries", "delete", id)
		require.Equal(t, 0, r.code, r.stderr)
		r = secdns(t, tg.env, url, "primaries", "get", id)
		assert.Equal(t, exitNotFound, r.code, r.stderr)
		r = secdns(t, tg.env, url, "primaries", "get", "abc")
		assert.Equal(t, exitUsage, r.code, r.stderr)
		r = secdns(t, targets[2].env, baseURLFlag(targets[2]), "primaries", "list")
		assert.Equal(t, exitUsage, r.code, "primaries is DNSimple only")
	})
	t.Run("cloudflare peers and tsig", func(t *testing.T) {
		t.Parallel()
		tg := targets[2]
		url := baseURLFlag(tg)
		const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="
		env := append(append([]string{}, tg.env...), "SECDNS_TSIG_SECRET="+secret)
		r := secdns(t, env, url, "--json", "tsig", "create", "transfer-key")
		require.Equal(t, 0, r.code, r.stderr)
		assert.NotContains(t, r.stdout, secret)
		var ks []tsigJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &ks))
		require.Len(t, ks, 1)

		r = secdns(t, env, url, "--json", "peers", "create", "ns1", "192.0.2.7", "--tsig-id", ks[0].ID)
		require.Equal(t, 0, r.code, r.stderr)
		var peers []peerJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &peers))
		require.Len(t, peers, 1)
		assert.Equal(t, ks[0].ID, peers[0].TSIGID)

		r = secdns(t, env, url, "peers", "list")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "ns1")
		r = secdns(t, env, url, "tsig", "list")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "transfer-key")
		assert.NotContains(t, r.stdout, secret)
		r = secdns(t, env, url, "peers", "delete", peers[0].ID)
		require.Equal(t, 0, r.code, r.stderr)
		r = secdns(t, env, url, "tsig", "delete", ks[0].ID)
		require.Equal(t, 0, r.code, r.stderr)
		r = secdns(t, tg.env, url, "tsig", "create", "k2")
		assert.Equal(t, exitUsage, r.code, "the secret must come from the environment")
	})
}

func TestFakeModeAndDemo(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"ionos", "dnsimple", "cloudflare"} {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			r := secdns(t, nil, "--provider", p, "--fake", "--json", "list")
			require.Equal(t, 0, r.code, r.stderr)
			var zs []zoneJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &zs))
			require.Len(t, zs, 1)
			assert.Equal(t, seedZone, zs[0].Name)

			r = secdns(t, nil, "--provider", p, "--fake", "create", "example.com", "192.0.2.1", "--wait")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "example.com")
		})
	}
	t.Run("demo", func(t *testing.T) {
		t.Parallel()
		r := secdns(t, nil, "demo")
		require.Equal(t, 0, r.code, r.stderr)
		for _, want := range []string{"== IONOS Cloud DNS", "== DNSimple", "== Cloudflare", "deleted: reading it back now reports not found", "Done:"} {
			assert.Contains(t, r.stdout, want)
		}
		assert.Equal(t, 3, strings.Count(r.stdout, "deleted: reading it back now reports not found"))
	})
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := secdns(t, nil, "help")
	require.Equal(t, 0, r.code)
	for _, c := range commands() {
		assert.Contains(t, r.stdout, c.name)
		cr := secdns(t, nil, c.name, "--help")
		assert.Equal(t, 0, cr.code, c.name)
		assert.Contains(t, cr.stdout, "Usage: secdns", c.name)
		assert.Contains(t, cr.stdout, c.summary, c.name)
	}
	r = secdns(t, nil)
	assert.Equal(t, exitUsage, r.code)
}

// startTargets starts a fake of each provider and returns how to reach it.
func startTargets(t *testing.T) []target {
	ionos := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
	dns := fakes.StartDNSimple(t)
	cf := fakes.StartCloudflare(t)
	return []target{
		{
			provider: "ionos",
			env:      []string{"SECDNS_PROVIDER=ionos", "IONOS_TOKEN=" + ionos.Token()},
			url:      ionos.URL(),
			token:    ionos.Token(),
			zones:    func() int { return len(ionos.Zones()) },
			requests: func() int { return ionos.Stats().Requests },
		},
		{
			provider: "dnsimple",
			env:      []string{"SECDNS_PROVIDER=dnsimple", "DNSIMPLE_TOKEN=" + dns.Token(), "DNSIMPLE_ACCOUNT=" + strconv.Itoa(dns.AccountID())},
			url:      dns.URL(),
			token:    dns.Token(),
			zones:    func() int { return len(dns.Zones()) },
			requests: func() int { return dns.Stats().Requests },
		},
		{
			provider: "cloudflare",
			env:      []string{"SECDNS_PROVIDER=cloudflare", "CLOUDFLARE_API_TOKEN=" + cf.Token(), "CLOUDFLARE_ACCOUNT_ID=" + cf.AccountID()},
			url:      cf.URL(),
			token:    cf.Token(),
			zones:    func() int { return len(cf.Zones()) },
			requests: func() int { return cf.Stats().Requests },
		},
	}
}

func replaceToken(env []string, token string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "IONOS_TOKEN", "DNSIMPLE_TOKEN", "CLOUDFLARE_API_TOKEN":
			kv = k + "=" + token
		}
		out = append(out, kv)
	}
	return out
}

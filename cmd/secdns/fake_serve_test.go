package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
)

// freePorts are the flags that put every fake of `fake serve` on a free
// loopback port.
var freePorts = []string{"--ionos-addr", "127.0.0.1:0", "--dnsimple-addr", "127.0.0.1:0", "--cloudflare-addr", "[::1]:0"}

// fakeServer is a running `secdns fake serve` process.
type fakeServer struct {
	cmd    *exec.Cmd
	stdout *bufio.Reader
	stderr *strings.Builder
	lines  []string // what it printed up to its ready line
}

// startFakeServe starts the binary's `fake serve` with args and reads its
// output up to the ready line (text) or the first line (--json). It fails
// the test if the process ends first.
func startFakeServe(t *testing.T, args ...string) *fakeServer {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"fake", "serve"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	fs := &fakeServer{cmd: cmd, stdout: bufio.NewReader(out), stderr: &strings.Builder{}}
	cmd.Stderr = fs.stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	jsonOut := slices.Contains(args, "--json")
	for {
		line, err := fs.stdout.ReadString('\n')
		require.NoError(t, err, "fake serve ended before it was ready; printed %q, stderr %q", fs.lines, fs.stderr.String())
		line = strings.TrimRight(line, "\n")
		fs.lines = append(fs.lines, line)
		if jsonOut || line == fakeReadyLine {
			return fs
		}
	}
}

// stop sends sig and returns the exit code and what the process printed
// after its ready line.
func (fs *fakeServer) stop(t *testing.T, sig os.Signal) (int, string) {
	t.Helper()
	require.NoError(t, fs.cmd.Process.Signal(sig))
	rest, err := io.ReadAll(fs.stdout)
	require.NoError(t, err)
	err = fs.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(rest)
	}
	require.NoError(t, err)
	return 0, string(rest)
}

// reach parses the printed shell lines: the environment to export and, per
// provider, the flags selecting its fake.
func (fs *fakeServer) reach(t *testing.T) (env []string, flags map[string][]string) {
	t.Helper()
	flags = map[string][]string{}
	for _, line := range fs.lines {
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			env = append(env, strings.Fields(rest)...)
			continue
		}
		require.True(t, strings.HasPrefix(line, "#"), "every other line is a shell comment: %q", line)
		if rest, ok := strings.CutPrefix(line, "#   secdns "); ok {
			f := strings.Fields(rest)
			require.GreaterOrEqual(t, len(f), 4, line)
			require.Equal(t, "-p", f[0], line)
			flags[f[1]] = f[:len(f)-1] // without the example command
		}
	}
	return env, flags
}

// TestFakeServe runs `fake serve` as an operator would and drives a zone's
// life on each fake through separate secdns invocations: the state lasts
// across them (create, then get finds it, delete, then get exits 3).
func TestFakeServe(t *testing.T) {
	t.Parallel()
	fs := startFakeServe(t, freePorts...)
	env, flags := fs.reach(t)
	assert.Len(t, env, 5, "IONOS token, DNSimple token and account, Cloudflare token and account")
	require.Len(t, flags, 3)
	assert.NotContains(t, strings.Join(fs.lines, "\n"), "--timeout", "the global --timeout's default does not bound fake serve")

	for _, p := range []string{"ionos", "dnsimple", "cloudflare"} {
		t.Run(p, func(t *testing.T) {
			// Not parallel: the subtests share the server, which the parent
			// stops once they are done.
			f := flags[p]
			require.NotEmpty(t, f)
			if p == "cloudflare" {
				assert.Contains(t, f[3], "http://[::1]:", "an IPv6 loopback address is served too")
			}

			r := secdns(t, env, append(f, "create", "example.com", "192.0.2.1")...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "example.com")

			r = secdns(t, env, append(f, "--json", "get", "example.com")...)
			require.Equal(t, 0, r.code, "the zone created by the previous command is still there: %s", r.stderr)
			var z zoneJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &z))
			assert.Equal(t, "example.com", z.Name)
			assert.Equal(t, p, z.Provider)
			require.Len(t, z.Primaries, 1)
			assert.Contains(t, z.Primaries[0], "192.0.2.1")

			r = secdns(t, env, append(f, "create", "example.com", "192.0.2.2")...)
			assert.NotEqual(t, 0, r.code, "a second create of the same zone is refused")

			r = secdns(t, env, append(f, "delete", "example.com")...)
			require.Equal(t, 0, r.code, r.stderr)

			r = secdns(t, env, append(f, "get", "example.com")...)
			assert.Equal(t, exitNotFound, r.code, r.stderr)

			r = secdns(t, env, append(f, "--json", "list")...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.JSONEq(t, "[]", r.stdout)

			r = secdns(t, nil, append(f, "list")...)
			assert.Equal(t, exitAuth, r.code, "without the printed token: %s", r.stderr)
		})
	}

	code, rest := fs.stop(t, syscall.SIGTERM)
	assert.Equal(t, 0, code, fs.stderr.String())
	assert.Empty(t, rest)
}

// TestFakeServeDNS checks --dns: a zone created at the served Cloudflare fake
// (by an SDK program, as the CLI refuses loopback primaries) with a primary on
// loopback is transferred by the fake's DNS side and served at the printed
// address.
func TestFakeServeDNS(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	pri, err := primary.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pri.Close() })
	const zone, serial = "example.com", 2026120107
	_, err = pri.SetZone(zone, primary.ExampleZone(zone, serial))
	require.NoError(t, err)
	priAddr := netip.MustParseAddrPort(pri.Addr())

	fs := startFakeServe(t, append([]string{"--json", "--dns"}, freePorts...)...)
	var got struct {
		Fakes []servedFake `json:"fakes"`
	}
	require.NoError(t, json.Unmarshal([]byte(fs.lines[0]), &got))
	var cf servedFake
	for _, f := range got.Fakes {
		if f.Provider == "cloudflare" {
			cf = f
		}
	}
	require.NotEmpty(t, cf.DNS)
	c, err := cloudflare.New(cf.Env["CLOUDFLARE_API_TOKEN"], cf.Env["CLOUDFLARE_ACCOUNT_ID"],
		facade.WithBaseURL(cf.BaseURL), facade.WithPrivatePrimaries())
	require.NoError(t, err)
	_, err = c.CreateZone(ctx, zone, []facade.Primary{{Addr: priAddr.Addr(), Port: priAddr.Port()}})
	require.NoError(t, err)

	// Wait for the event (the DNS side serves the primary's serial); the
	// deadline only turns a hang into a failure.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var soa dnswire.SOA
	for {
		soa, err = dnswire.QuerySOA(wctx, cf.DNS, zone)
		if (err == nil && soa.Serial == serial) || wctx.Err() != nil {
			break
		}
		select {
		case <-wctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
	require.NoError(t, err, "the fake's DNS side never served the zone")
	assert.Equal(t, uint32(serial), soa.Serial)

	code, _ := fs.stop(t, syscall.SIGTERM)
	assert.Equal(t, 0, code, fs.stderr.String())
}

// TestFakeServeJSON checks the --json form, the DNS side, and that Ctrl-C
// (SIGINT) and a --timeout given after the command are honoured.
func TestFakeServeJSON(t *testing.T) {
	t.Parallel()
	fs := startFakeServe(t, append([]string{"--json", "--dns"}, freePorts...)...)
	var got struct {
		Ready bool         `json:"ready"`
		Fakes []servedFake `json:"fakes"`
	}
	require.NoError(t, json.Unmarshal([]byte(fs.lines[0]), &got))
	assert.True(t, got.Ready)
	require.Len(t, got.Fakes, 3)
	for _, f := range got.Fakes {
		assert.Equal(t, []string{"-p", f.Provider, "--base-url", f.BaseURL}, f.Args)
		assert.NotEmpty(t, f.DNS, f.Provider)
		r := secdns(t, envList(f.Env), append(f.Args, "list")...)
		assert.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "no secondary zones")
	}
	code, _ := fs.stop(t, os.Interrupt)
	assert.Equal(t, 0, code, fs.stderr.String())

	fs = startFakeServe(t, append([]string{"--timeout", "1h"}, freePorts...)...)
	assert.Contains(t, strings.Join(fs.lines, "\n"), "--timeout 1h0m0s")
	code, _ = fs.stop(t, os.Interrupt)
	assert.Equal(t, 0, code, fs.stderr.String())
}

func envList(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// TestFakeServeRefuses checks that the fakes are never reachable from
// another machine and that a bad invocation is a usage error.
func TestFakeServeRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "all interfaces", args: []string{"fake", "serve", "--ionos-addr", ":0"}, want: "loopback only"},
		{name: "unspecified address", args: []string{"fake", "serve", "--dnsimple-addr", "0.0.0.0:0"}, want: "loopback only"},
		{name: "public address", args: []string{"fake", "serve", "--cloudflare-addr", "192.0.2.1:5382"}, want: "loopback only"},
		{name: "host name", args: []string{"fake", "serve", "--ionos-addr", "example.com:5380"}, want: "loopback only"},
		{name: "no port", args: []string{"fake", "serve", "--ionos-addr", "127.0.0.1"}, want: "--ionos-addr"},
		{name: "unknown subcommand", args: []string{"fake", "start"}, want: "usage: secdns fake serve"},
		{name: "no subcommand", args: []string{"fake"}, want: "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := secdns(t, nil, tt.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
}

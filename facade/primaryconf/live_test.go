package primaryconf_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// loopbackRegistry has two providers whose transfers come from loopback
// addresses: "keyed" (TSIG) from 127.0.0.1, "plain" from 127.0.0.3.
const loopbackRegistry = `{"schema": 1, "providers": [
 {"name": "keyed", "title": "Keyed",
  "transfer_sources": [{"prefixes": ["127.0.0.1/32"], "source": {"url": "https://example.org/keyed", "checked": "2026-12-01", "confirmed": true}}],
  "notify_targets_none": {"url": "https://example.org/keyed", "checked": "2026-12-01", "confirmed": true},
  "primary_port": {"value": "any", "source": {"url": "https://example.org/keyed", "checked": "2026-12-01", "confirmed": true}},
  "tsig": {"value": "yes", "source": {"url": "https://example.org/keyed", "checked": "2026-12-01", "confirmed": true}},
  "dnssec": {"value": "yes", "source": {"url": "https://example.org/keyed", "checked": "2026-12-01", "confirmed": true}}},
 {"name": "plain", "title": "Plain",
  "transfer_sources": [{"prefixes": ["127.0.0.3/32"], "source": {"url": "https://example.org/plain", "checked": "2026-12-01", "confirmed": true}}],
  "notify_targets_none": {"url": "https://example.org/plain", "checked": "2026-12-01", "confirmed": true},
  "primary_port": {"value": "any", "source": {"url": "https://example.org/plain", "checked": "2026-12-01", "confirmed": true}},
  "tsig": {"value": "no", "source": {"url": "https://example.org/plain", "checked": "2026-12-01", "confirmed": true}},
  "dnssec": {"value": "no", "source": {"url": "https://example.org/plain", "checked": "2026-12-01", "confirmed": true}}}
]}`

// zoneText is the test zone served by the primaries.
func zoneText(zone string) string {
	return fmt.Sprintf("$ORIGIN %s.\n@ 3600 IN SOA ns1 hostmaster 2026120101 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 127.0.0.1\nwww 3600 IN A 192.0.2.80\n", zone)
}

// liveServer says how to run one kind of primary with a generated
// configuration: the program, its configuration around the generated part,
// its arguments and the log line that says the zone is served.
type liveServer struct {
	kind    primaryconf.Server
	program string
	conf    func(dir string, port int, generated []byte) string
	args    func(conf string) []string
	ready   func(zone string) string
}

func liveServers() []liveServer {
	return []liveServer{
		{
			kind: primaryconf.Knot, program: "knotd",
			conf: func(dir string, port int, generated []byte) string {
				return fmt.Sprintf("server:\n  rundir: %s\n  listen: 127.0.0.1@%d\n\nlog:\n  - target: stderr\n    any: info\n\ndatabase:\n  storage: %s\n\ntemplate:\n  - id: default\n    storage: %s\n    journal-content: none\n\n%s", dir, port, dir, dir, generated)
			},
			args:  func(conf string) []string { return []string{"-c", conf} },
			ready: func(zone string) string { return "[" + zone + ".] loaded" },
		},
		{
			kind: primaryconf.BIND, program: "named",
			conf: func(dir string, port int, generated []byte) string {
				return fmt.Sprintf("options {\n\tdirectory %q;\n\tlisten-on port %d { 127.0.0.1; };\n\tlisten-on-v6 { none; };\n\tpid-file %q;\n\tsession-keyfile %q;\n\tmanaged-keys-directory %q;\n\trecursion no;\n\tdnssec-validation no;\n\tnotify no;\n};\ncontrols { };\n\n%s",
					dir, port, filepath.Join(dir, "named.pid"), filepath.Join(dir, "session.key"), dir, generated)
			},
			args:  func(conf string) []string { return []string{"-g", "-c", conf} },
			ready: func(string) string { return "running" },
		},
		{
			kind: primaryconf.NSD, program: "nsd",
			conf: func(dir string, port int, generated []byte) string {
				return fmt.Sprintf("server:\n\tip-address: 127.0.0.1@%d\n\tzonesdir: %q\n\tpidfile: %q\n\txfrdfile: %q\n\tzonelistfile: %q\n\txfrdir: %q\n\tdatabase: \"\"\n\tusername: \"\"\n\tchroot: \"\"\n\tverbosity: 2\nremote-control:\n\tcontrol-enable: no\n\n%s",
					port, dir, filepath.Join(dir, "nsd.pid"), filepath.Join(dir, "xfrd.state"), filepath.Join(dir, "zone.list"), dir, generated)
			},
			args:  func(conf string) []string { return []string{"-d", "-c", conf} },
			ready: func(string) string { return "nsd started" },
		},
	}
}

// start runs the server in the foreground with the generated
// configuration on a free loopback port and returns the port once its log
// says it serves the zone. It stops the server on cleanup.
func (ls liveServer) start(t *testing.T, generated []byte, dir, zone string) int {
	t.Helper()
	bin := needTool(t, ls.program)
	port := freeLoopbackPort(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, zone+".zone"), []byte(zoneText(zone)), 0o600))
	cf := filepath.Join(dir, "primary.conf")
	require.NoError(t, os.WriteFile(cf, []byte(ls.conf(dir, port, generated)), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, ls.args(cf)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = pw, pw
	require.NoError(t, cmd.Start())
	_ = pw.Close()
	exited := make(chan struct{})
	var log strings.Builder
	ready := make(chan struct{})
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(pr)
		seen := false
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if !seen && strings.Contains(sc.Text(), ls.ready(zone)) {
				seen = true
				close(ready)
			}
		}
		_ = cmd.Wait()
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("%s log:\n%s", ls.program, log.String())
		}
	})
	deadline := time.NewTimer(2 * time.Minute) // only against a hang; success waits for the log line
	defer deadline.Stop()
	select {
	case <-ready:
	case <-exited:
		t.Fatalf("%s exited before serving %s:\n%s", ls.program, zone, log.String())
	case <-deadline.C:
		t.Fatalf("%s did not serve %s", ls.program, zone)
	}
	// Some servers log readiness before their TCP listener answers: wait
	// until a SOA query over TCP does (bounded by the same deadline).
	for {
		if _, ok := soaOverTCP(t, port, zone); ok {
			break
		}
		select {
		case <-exited:
			t.Fatalf("%s exited:\n%s", ls.program, log.String())
		case <-deadline.C:
			t.Fatalf("%s does not answer SOA over TCP", ls.program)
		case <-time.After(20 * time.Millisecond): // pace the probes; not an assertion
		}
	}
	return port
}

// soaOverTCP asks for the zone's SOA over TCP and reports whether the
// answer came.
func soaOverTCP(t *testing.T, port int, zone string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, needTool(t, "kdig"), "@127.0.0.1", "-p", fmt.Sprint(port), "+tcp", "+retry=0", "+timeout=5", "SOA", zone+".").CombinedOutput()
	return string(out), err == nil && strings.Contains(string(out), "status: NOERROR") && strings.Contains(string(out), "\tSOA\t")
}

// axfr runs kdig from source address src with an optional TSIG key
// ("alg:name:secret") and returns its output and whether the transfer
// delivered the zone (closing SOA seen, no error).
func axfr(t *testing.T, port int, src, key, zone string) (string, bool) {
	t.Helper()
	kdig := needTool(t, "kdig")
	args := []string{"-b", src, "@127.0.0.1", "-p", fmt.Sprint(port), "+tcp", "+retry=0", "+timeout=10", "AXFR", zone + "."}
	if key != "" {
		args = append([]string{"-y", key}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, kdig, args...).CombinedOutput()
	s := string(out)
	return s, err == nil && strings.Count(s, "\tSOA\t") >= 2 && !strings.Contains(s, ";; ERROR") && !strings.Contains(s, "WARNING")
}

// TestServersEnforceGeneratedACL starts Knot, BIND and NSD with the
// configuration generated from a loopback registry and transfers the zone
// from allowed and disallowed addresses, with the right key, a wrong key
// and none.
func TestServersEnforceGeneratedACL(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Parse([]byte(loopbackRegistry))
	require.NoError(t, err)
	const zone = "acl-test.example"
	const right = "hmac-sha256:keyed-xfr.:" + testSecret
	const wrong = "hmac-sha256:keyed-xfr.:d3Jvbmctc2VjcmV0LWQzSnZibWN0YzJWamNtVjA="
	tests := []struct {
		name, src, key string
		ok             bool
	}{
		{"keyed provider's address with the right key", "127.0.0.1", right, true},
		{"keyed provider's address with a wrong key", "127.0.0.1", wrong, false},
		{"keyed provider's address without a key", "127.0.0.1", "", false},
		{"another address with the right key", "127.0.0.2", right, false},
		{"plain provider's address without a key", "127.0.0.3", "", true},
		{"another address without a key", "127.0.0.4", "", false},
		{"again: keyed provider's address with the right key", "127.0.0.1", right, true},
	}
	for _, ls := range liveServers() {
		t.Run(string(ls.kind), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			c, err := reg.Build(primaryconf.Request{Providers: []string{"keyed", "plain"}, Zones: []string{zone}, Date: day("2026-12-01"),
				TSIG: &facade.TSIG{Name: "keyed-xfr.", Algorithm: "hmac-sha256", Secret: testSecret}, TSIGProviders: []string{"keyed"}, IncludeSecret: true,
				ZoneFile: filepath.Join(dir, "%s.zone")})
			require.NoError(t, err)
			generated, err := c.Render(ls.kind)
			require.NoError(t, err)
			port := ls.start(t, generated, dir, zone)
			for _, tt := range tests {
				out, ok := axfr(t, port, tt.src, tt.key, zone)
				assert.Equal(t, tt.ok, ok, "%s: AXFR from %s:\n%s", tt.name, tt.src, out)
				if tt.ok {
					assert.Contains(t, out, "www."+zone+".")
				} else {
					assert.NotContains(t, out, "192.0.2.80", "no record leaks on a refused transfer")
				}
				t.Logf("%s: %s: %s", ls.kind, tt.name, summary(out))
			}
		})
	}
}

// summary is kdig's status line or its error.
func summary(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, ";; ERROR") || strings.HasPrefix(l, ";; WARNING") || strings.HasPrefix(l, ";; Received") {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(out)
}

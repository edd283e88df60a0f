package primaryconf_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// startKnot runs knotd in the foreground with the generated configuration
// plus a server section on a free loopback port, and returns the port once
// knotd has loaded the zone. It stops knotd on cleanup.
func startKnot(t *testing.T, generated []byte, dir, zone string) int {
	t.Helper()
	knotd := needTool(t, "knotd")
	port := freeLoopbackPort(t)
	zf := filepath.Join(dir, zone+".zone")
	require.NoError(t, os.WriteFile(zf, []byte(fmt.Sprintf("$ORIGIN %s.\n@ 3600 IN SOA ns1 hostmaster 2026120101 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 127.0.0.1\nwww 3600 IN A 192.0.2.80\n", zone)), 0o600))
	conf := fmt.Sprintf("server:\n  rundir: %s\n  listen: 127.0.0.1@%d\n\nlog:\n  - target: stderr\n    any: info\n\ndatabase:\n  storage: %s\n\ntemplate:\n  - id: default\n    storage: %s\n    journal-content: none\n\n%s", dir, port, dir, dir, generated)
	cf := filepath.Join(dir, "knot.conf")
	require.NoError(t, os.WriteFile(cf, []byte(conf), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, knotd, "-c", cf)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = pw, pw
	require.NoError(t, cmd.Start())
	_ = pw.Close()
	exited := make(chan struct{})
	var log strings.Builder
	loaded := make(chan struct{})
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(pr)
		once := false
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "["+zone+".] loaded") {
				once = true
				close(loaded)
			}
		}
		_ = cmd.Wait()
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("knotd log:\n%s", log.String())
		}
	})
	deadline := time.NewTimer(2 * time.Minute) // only against a hang; success waits for the log line
	defer deadline.Stop()
	select {
	case <-loaded:
	case <-exited:
		t.Fatalf("knotd exited before loading %s:\n%s", zone, log.String())
	case <-deadline.C:
		t.Fatalf("knotd did not load %s", zone)
	}
	return port
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

// TestKnotEnforcesGeneratedACL starts Knot with the ACL generated from a
// loopback registry and transfers the zone from allowed and disallowed
// addresses, with the right key, a wrong key and none.
func TestKnotEnforcesGeneratedACL(t *testing.T) {
	t.Parallel()
	reg, err := primaryconf.Parse([]byte(loopbackRegistry))
	require.NoError(t, err)
	const zone = "acl-test.example"
	dir := t.TempDir()
	c, err := reg.Build(primaryconf.Request{Providers: []string{"keyed", "plain"}, Zones: []string{zone}, Date: day("2026-12-01"),
		TSIG: &facade.TSIG{Name: "keyed-xfr.", Algorithm: "hmac-sha256", Secret: testSecret}, TSIGProviders: []string{"keyed"}, IncludeSecret: true,
		ZoneFile: filepath.Join(dir, "%s.zone")})
	require.NoError(t, err)
	generated, err := c.Render(primaryconf.Knot)
	require.NoError(t, err)
	port := startKnot(t, generated, dir, zone)

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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok := axfr(t, port, tt.src, tt.key, zone)
			assert.Equal(t, tt.ok, ok, "AXFR from %s:\n%s", tt.src, out)
			if tt.ok {
				assert.Contains(t, out, "www."+zone+".")
			} else {
				assert.NotContains(t, out, "192.0.2.80", "no record leaks on a refused transfer")
			}
			t.Logf("AXFR from %s (key %v): %s", tt.src, tt.key != "", summary(out))
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

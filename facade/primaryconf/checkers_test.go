package primaryconf_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// tools maps each checker to the Debian package that ships it.
var tools = map[string]string{
	"named-checkconf": "bind9-utils",
	"knotc":           "knot",
	"nsd-checkconf":   "nsd",
	"pdns_server":     "pdns-server and pdns-backend-bind",
	"named":           "bind9",
	"nsd":             "nsd",
	"kdig":            "knot-dnsutils",
	"pdns_control":    "pdns-server",
}

// needTool returns the path of a server's program. Outside CI a missing
// program skips the test with a how-to; with CI=true it fails.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} { // not on every user's PATH
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	msg := fmt.Sprintf("%s not installed (Debian: apt-get install %s)", name, tools[name])
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI must install it", msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkCtx bounds a checker run; a hung checker fails the test rather than
// the whole package.
func checkCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// runChecker feeds conf to server s's own checker and returns its error
// and output.
func runChecker(t *testing.T, s primaryconf.Server, conf []byte) (string, error) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "primary.conf")
	require.NoError(t, os.WriteFile(file, conf, 0o600))
	var cmd *exec.Cmd
	switch s {
	case primaryconf.BIND:
		cmd = exec.CommandContext(checkCtx(t), needTool(t, "named-checkconf"), file)
	case primaryconf.Knot:
		cmd = exec.CommandContext(checkCtx(t), needTool(t, "knotc"), "-c", file, "conf-check")
	case primaryconf.NSD:
		cmd = exec.CommandContext(checkCtx(t), needTool(t, "nsd-checkconf"), file)
	case primaryconf.PowerDNS:
		return runPDNS(t, dir, conf)
	default:
		t.Fatalf("no checker for %s", s)
	}
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// freeLoopbackPort returns a port that was free for both TCP and UDP on
// 127.0.0.1 a moment ago.
func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		_ = l.Close()
		if err == nil {
			_ = u.Close()
			return port
		}
	}
	t.Fatal("no free loopback port")
	return 0
}

// runPDNS starts pdns_server with conf plus test-only settings (bind
// backend with the example zones, loopback high port, its own directory)
// and returns nil once it says it is ready to answer, after stopping it;
// an error with its output if it exits first.
func runPDNS(t *testing.T, dir string, conf []byte) (string, error) {
	t.Helper()
	bin := needTool(t, "pdns_server")
	if !fileExists("/usr/lib/x86_64-linux-gnu/pdns/libbindbackend.so") && !fileExists("/usr/lib/aarch64-linux-gnu/pdns/libbindbackend.so") {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdns bind backend not installed; CI must install pdns-backend-bind")
		}
		t.Skip("pdns bind backend not installed (Debian: apt-get install pdns-backend-bind)")
	}
	var named strings.Builder
	for _, z := range []string{"example.com", "example.net"} {
		zf := filepath.Join(dir, z+".zone")
		soa := fmt.Sprintf("$ORIGIN %s.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 127.0.0.1\n", z)
		require.NoError(t, os.WriteFile(zf, []byte(soa), 0o600))
		fmt.Fprintf(&named, "zone %q { type master; file %q; };\n", z, zf)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "named.conf"), []byte(named.String()), 0o600))
	var last string
	for range 3 { // a port taken between probe and bind: try another
		port := freeLoopbackPort(t)
		full := string(conf) + fmt.Sprintf(`
# test-only settings
launch=bind
bind-config=%s
local-address=127.0.0.1
local-port=%d
socket-dir=%s
daemon=no
guardian=no
write-pid=no
webserver=no
api=no
loglevel=6
`, filepath.Join(dir, "named.conf"), port, dir)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "pdns.conf"), []byte(full), 0o600))
		out, err := startAndStopPDNS(t, bin, dir)
		if err == nil {
			// What pdns made of the settings (e.g. that += appended).
			diff, derr := exec.CommandContext(checkCtx(t), bin, "--config-dir="+dir, "--config=diff").CombinedOutput()
			return out + "\n--- effective settings:\n" + string(diff), derr
		}
		if !strings.Contains(out, "Address already in use") {
			return out, err
		}
		last = out
	}
	return last, errors.New("pdns_server: no free port")
}

func startAndStopPDNS(t *testing.T, bin, dir string) (string, error) {
	ctx := checkCtx(t)
	cmd := exec.CommandContext(ctx, bin, "--config-dir="+dir)
	cmd.Dir = dir
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = pw, pw
	require.NoError(t, cmd.Start())
	_ = pw.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "ready to distribute questions") {
			// Ready: stop it cleanly and wait for it to go.
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			for sc.Scan() {
				out.WriteString(sc.Text() + "\n")
			}
			<-exited
			return out.String(), nil
		}
	}
	err = <-exited
	if err == nil {
		err = errors.New("pdns_server exited before it was ready")
	}
	return out.String(), err
}

// TestServersAcceptGeneratedConfig feeds every golden case (with its
// secret) to each server's own checker.
func TestServersAcceptGeneratedConfig(t *testing.T) {
	t.Parallel()
	for _, gc := range goldenCases() {
		for _, s := range primaryconf.Servers() {
			t.Run(gc.name+"/"+string(s), func(t *testing.T) {
				t.Parallel()
				req := gc.req
				if req.TSIG != nil {
					req.IncludeSecret = true
				}
				conf, err := build(t, req).Render(s)
				require.NoError(t, err)
				out, err := runChecker(t, s, conf)
				require.NoError(t, err, "%s rejected the generated configuration:\n%s\n--- configuration:\n%s", s, out, conf)
				if s == primaryconf.PowerDNS {
					assertPDNSEffective(t, string(conf), out)
				}
				t.Logf("%s accepted %s: %s", s, gc.name, lastLine(out))
			})
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if l := lines[len(lines)-1]; l != "" {
		return l
	}
	return "(no output: ok)"
}

// TestServersRejectBrokenConfig shows that the checkers can fail: the
// placeholder that stands in for an unrequested TSIG secret is refused, and
// PowerDNS refuses a setting it does not know.
func TestServersRejectBrokenConfig(t *testing.T) {
	t.Parallel()
	all := goldenCases()[5].req // TSIG without the secret
	for _, s := range primaryconf.Servers() {
		t.Run(string(s), func(t *testing.T) {
			t.Parallel()
			conf, err := build(t, all).Render(s)
			require.NoError(t, err)
			if s == primaryconf.PowerDNS {
				conf = append(conf, "no-such-setting=1\n"...)
			}
			out, err := runChecker(t, s, conf)
			require.Error(t, err, "%s accepted a broken configuration:\n%s", s, out)
			t.Logf("%s refused as expected: %s", s, lastLine(out))
			if s != primaryconf.PowerDNS {
				assert.NotEmpty(t, out)
			}
		})
	}
}

// assertPDNSEffective checks that every address the configuration gives
// allow-axfr-ips and also-notify (with = or +=) is in pdns's effective
// setting.
func assertPDNSEffective(t *testing.T, conf, out string) {
	t.Helper()
	_, eff, ok := strings.Cut(out, "--- effective settings:")
	require.True(t, ok)
	effective := map[string]string{}
	for _, l := range strings.Split(eff, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			effective[k] = v
		}
	}
	for _, l := range strings.Split(conf, "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		k = strings.TrimSuffix(k, "+")
		if k != "allow-axfr-ips" && k != "also-notify" {
			continue
		}
		for _, a := range strings.Split(v, ",") {
			if a != "" {
				assert.Contains(t, effective[k], a, "pdns's effective %s", k)
			}
		}
	}
}

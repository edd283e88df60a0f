// Package knotd starts Knot DNS (knotd) as a real primary for tests: an
// unprivileged server on a free loopback port (UDP and TCP) with a generated
// configuration, zones given as text, an optional TSIG key, optional NOTIFY
// targets and extra raw configuration; [Knot.Knotc] drives it; t.Cleanup
// stops it.
//
// Where knotd is not installed the test is skipped with a message saying how
// to install it, except when the environment has CI=true: then it fails.
package knotd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// HowTo is the message a skipped test shows.
const HowTo = "knotd (Knot DNS) not found: install it to run the tests against a real primary " +
	"(Debian/Ubuntu: apt-get install knot knot-dnsutils); with CI=true a missing knotd fails the test"

// startTimeout bounds the wait for knotd to be ready; knotd usually starts in
// well under a second, the bound only keeps a broken start from hanging.
const startTimeout = 60 * time.Second

// TransferACL is the id of the harness's ACL that allows transfers (see
// [WithZoneACL] for adding others) and NotifyID the prefix of the ids of the
// remotes that are the NOTIFY targets (NotifyID-0, NotifyID-1, ...). The key of [WithKey] has its name as its id.
const (
	TransferACL = "harness-transfer"
	NotifyID    = "harness-notify"
)

// Option configures [Start].
type Option func(*config) error

type zone struct{ name, text string }

type config struct {
	zones         []zone
	key           *facade.TSIG
	unsigned      bool
	notify        []string
	raw           []string
	zoneACL       []string
	noDefaultACL  bool
	startDeadline time.Duration
}

// WithZone serves zone name from text (master-file format; relative names
// are relative to name).
func WithZone(name, text string) Option {
	return func(c *config) error {
		name = strings.TrimSuffix(strings.ToLower(name), ".") + "."
		if name == "." || strings.ContainsAny(name, " \t\n/\"") {
			return fmt.Errorf("knotd: zone name %q invalid", name)
		}
		c.zones = append(c.zones, zone{name: name, text: text})
		return nil
	}
}

// WithKey defines the TSIG key (its id is its name) and makes
// transfers require it. The secret goes into the config file only.
func WithKey(key facade.TSIG) Option {
	return func(c *config) error {
		if err := key.Validate(); err != nil {
			return err
		}
		c.key = &key
		return nil
	}
}

// WithUnsignedTransfers also allows transfers without TSIG from loopback
// when [WithKey] is given (without a key they are always allowed).
func WithUnsignedTransfers() Option {
	return func(c *config) error { c.unsigned = true; return nil }
}

// WithNotify makes knotd send NOTIFY for every zone to the "ip:port" targets.
func WithNotify(targets ...string) Option {
	return func(c *config) error {
		for _, t := range targets {
			if _, _, err := net.SplitHostPort(t); err != nil {
				return fmt.Errorf("knotd: notify target %q: %w", t, err)
			}
		}
		c.notify = append(c.notify, targets...)
		return nil
	}
}

// WithConfig appends raw knot.conf text (e.g. acl: and key: sections;
// Knot merges repeated sections).
func WithConfig(raw string) Option {
	return func(c *config) error { c.raw = append(c.raw, raw); return nil }
}

// WithZoneACL adds ACL ids (defined with [WithConfig]) to every zone.
func WithZoneACL(ids ...string) Option {
	return func(c *config) error { c.zoneACL = append(c.zoneACL, ids...); return nil }
}

// WithoutDefaultACL leaves out the harness's own transfer ACL, so that only
// ACLs given with [WithZoneACL] apply.
func WithoutDefaultACL() Option {
	return func(c *config) error { c.noDefaultACL = true; return nil }
}

// Knot is a running knotd.
type Knot struct {
	// Addr is the "ip:port" knotd serves DNS on, UDP and TCP.
	Addr string
	// Dir holds the configuration (knot.conf), zone files and the control
	// socket.
	Dir string
	// Version is knotd's version, e.g. "3.2.6".
	Version string
	// Startup is how long the start took, from exec to ready (every zone
	// loaded and the control socket up).
	Startup time.Duration

	conf, sock, knotc string
	cmd               *exec.Cmd
	exited            chan struct{}
	log               *logBuffer
}

// Binaries returns the paths of knotd and knotc, or an error if either is
// missing. /usr/sbin is searched too (it is not on every user's PATH).
func Binaries() (knotd, knotc string, err error) {
	find := func(name string) (string, error) {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		for _, dir := range []string{"/usr/sbin", "/usr/local/sbin"} {
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p, nil
			}
		}
		return "", fmt.Errorf("%s not found", name)
	}
	if knotd, err = find("knotd"); err != nil {
		return "", "", err
	}
	knotc, err = find("knotc")
	return knotd, knotc, err
}

// Require skips the test with [HowTo] when knotd is absent, or fails it when
// CI=true. It returns the paths of knotd and knotc.
func Require(t testing.TB) (knotd, knotc string) {
	t.Helper()
	return require(t, Binaries, os.Getenv("CI") == "true")
}

// require is Require with the lookup and the CI flag given.
func require(t testing.TB, find func() (string, string, error), ci bool) (knotd, knotc string) {
	t.Helper()
	knotd, knotc, err := find()
	if err != nil {
		if ci {
			t.Fatalf("%v; CI=true requires Knot DNS: apt-get install knot knot-dnsutils", err)
		} else {
			t.Skipf("%v. %s", err, HowTo)
		}
		return "", ""
	}
	return knotd, knotc
}

// Start starts knotd with opts and stops it on t.Cleanup. It fails the test
// if the configuration does not pass `knotc conf-check` or knotd does not
// come up.
func Start(t testing.TB, opts ...Option) *Knot {
	t.Helper()
	knotdPath, knotcPath := Require(t)
	var c config
	for _, o := range opts {
		if err := o(&c); err != nil {
			t.Fatalf("knotd: %v", err)
		}
	}
	var last error
	for attempt := 0; attempt < 5; attempt++ {
		k, err := start(t, knotdPath, knotcPath, &c)
		if err == nil {
			t.Logf("knotd %s ready on %s in %s", k.Version, k.Addr, k.Startup.Round(time.Millisecond))
			return k
		}
		last = err
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	t.Fatalf("knotd: %v", last)
	return nil
}

var errPortTaken = errors.New("port taken")

// start runs one attempt on a fresh port.
func start(t testing.TB, knotdPath, knotcPath string, c *config) (*Knot, error) {
	dir, err := os.MkdirTemp("", "knotd-")
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	k := &Knot{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: dir,
		conf: filepath.Join(dir, "knot.conf"), sock: filepath.Join(dir, "knot.sock"),
		knotc: knotcPath, exited: make(chan struct{}), log: newLogBuffer(),
	}
	for _, z := range c.zones {
		if err := os.WriteFile(k.ZoneFile(z.name), []byte(z.text), 0o600); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(k.conf, []byte(render(dir, port, c)), 0o600); err != nil {
		return nil, err
	}
	if out, err := k.Knotc("conf-check"); err != nil {
		return nil, fmt.Errorf("generated configuration rejected by knotc conf-check: %v\n%s", err, out)
	}
	if out, err := exec.Command(knotdPath, "--version").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) > 0 {
			k.Version = f[len(f)-1]
		}
	}

	begin := time.Now()
	k.cmd = exec.Command(knotdPath, "-c", k.conf)
	k.cmd.Dir = dir
	k.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := k.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	k.cmd.Stdout = k.cmd.Stderr
	if err := k.cmd.Start(); err != nil {
		return nil, fmt.Errorf("exec knotd: %w", err)
	}
	go func() {
		k.log.copy(stderr)
		_ = k.cmd.Wait()
		close(k.exited)
		k.log.close()
	}()
	t.Cleanup(k.stop)

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	want := []string{"control, binding to"}
	for _, z := range c.zones {
		want = append(want, "["+z.name+"] loaded")
	}
	for _, w := range want {
		if _, err := k.WaitLog(ctx, w); err != nil {
			k.stop()
			logs := k.log.String()
			if strings.Contains(logs, "cannot bind") || strings.Contains(logs, "Address already in use") {
				return nil, fmt.Errorf("%w: %s", errPortTaken, k.Addr)
			}
			return nil, fmt.Errorf("not ready (%s): %v\nknotd log:\n%s", w, err, logs)
		}
	}
	k.Startup = time.Since(begin)
	return k, nil
}

// render writes knot.conf.
func render(dir string, port int, c *config) string {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "server:\n    rundir: %s\n    listen: 127.0.0.1@%d\n", q(dir), port)
	fmt.Fprintf(&b, "    tcp-reuseport: off\n")
	b.WriteString("log:\n  - target: stderr\n    any: info\n")
	fmt.Fprintf(&b, "database:\n    storage: %s\n", q(dir))
	fmt.Fprintf(&b, "control:\n    listen: %s\n", q(filepath.Join(dir, "knot.sock")))
	if c.key != nil {
		fmt.Fprintf(&b, "key:\n  - id: %s\n    algorithm: %s\n    secret: %s\n", keyID(c.key),
			strings.ToLower(strings.TrimSuffix(c.key.Algorithm, ".")), c.key.Secret.Reveal())
	}
	var acls []string
	if !c.noDefaultACL {
		b.WriteString("acl:\n")
		if c.key != nil {
			fmt.Fprintf(&b, "  - id: %s\n    address: [127.0.0.0/8, ::1]\n    key: %s\n    action: transfer\n", TransferACL, keyID(c.key))
			acls = append(acls, TransferACL)
		}
		if c.key == nil || c.unsigned {
			fmt.Fprintf(&b, "  - id: %s-unsigned\n    address: [127.0.0.0/8, ::1]\n    action: transfer\n", TransferACL)
			acls = append(acls, TransferACL+"-unsigned")
		}
	}
	acls = append(acls, c.zoneACL...)
	// One remote per target: Knot treats the addresses of one remote as
	// alternatives and notifies only the first that answers.
	var notifyIDs []string
	if len(c.notify) > 0 {
		b.WriteString("remote:\n")
		for i, n := range c.notify {
			host, p, _ := net.SplitHostPort(n)
			id := fmt.Sprintf("%s-%d", NotifyID, i)
			notifyIDs = append(notifyIDs, id)
			fmt.Fprintf(&b, "  - id: %s\n    address: %s@%s\n", id, host, p)
		}
	}
	fmt.Fprintf(&b, "template:\n  - id: default\n    storage: %s\n    zonefile-sync: -1\n    journal-content: changes\n", q(dir))
	for _, r := range c.raw {
		b.WriteString(r)
		if !strings.HasSuffix(r, "\n") {
			b.WriteByte('\n')
		}
	}
	if len(c.zones) > 0 {
		b.WriteString("zone:\n")
	}
	for _, z := range c.zones {
		fmt.Fprintf(&b, "  - domain: %s\n    file: %s\n", q(z.name), q(filepath.Join(dir, z.name+"zone")))
		if len(acls) > 0 {
			fmt.Fprintf(&b, "    acl: [%s]\n", strings.Join(acls, ", "))
		}
		if len(notifyIDs) > 0 {
			fmt.Fprintf(&b, "    notify: [%s]\n", strings.Join(notifyIDs, ", "))
		}
	}
	return b.String()
}

// freePort returns a loopback port free for both TCP and UDP right now.
func freePort() (int, error) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", ln.Addr().String())
		_ = ln.Close()
		if err == nil {
			_ = pc.Close()
			return port, nil
		}
	}
	return 0, errors.New("no free loopback port for TCP and UDP")
}

// ZoneFile is the path of the zone file of zone name.
func (k *Knot) ZoneFile(name string) string {
	return filepath.Join(k.Dir, strings.TrimSuffix(strings.ToLower(name), ".")+".zone")
}

// Config returns the generated knot.conf (it holds the TSIG secret: do not
// log it).
func (k *Knot) Config() string {
	b, _ := os.ReadFile(k.conf)
	return string(b)
}

// Knotc runs knotc against this knotd with args (e.g. "zone-status",
// "example.com") and returns its output; a failure's error includes it.
func (k *Knot) Knotc(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	full := append([]string{"-c", k.conf, "-s", k.sock, "-t", "30"}, args...)
	out, err := exec.CommandContext(ctx, k.knotc, full...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("knotc %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// WaitLog waits until knotd has logged a line containing substr (at any time
// since its start) and returns that line. It fails when ctx ends or knotd
// exits first.
func (k *Knot) WaitLog(ctx context.Context, substr string) (string, error) {
	return k.log.wait(ctx, substr)
}

// Log is everything knotd has logged so far.
func (k *Knot) Log() string { return k.log.String() }

// stop terminates knotd and waits for it.
func (k *Knot) stop() {
	select {
	case <-k.exited:
		return
	default:
	}
	_ = k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.exited:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL)
		<-k.exited
	}
}

// logBuffer keeps knotd's log lines and wakes waiters on each new line.
type logBuffer struct {
	mu     sync.Mutex
	lines  []string
	closed bool
	notify chan struct{} // closed and replaced on every change
}

func newLogBuffer() *logBuffer { return &logBuffer{notify: make(chan struct{})} }

// copy reads r line by line until EOF.
func (l *logBuffer) copy(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l.mu.Lock()
		l.lines = append(l.lines, sc.Text())
		close(l.notify)
		l.notify = make(chan struct{})
		l.mu.Unlock()
	}
}

// close marks the end of the log.
func (l *logBuffer) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	close(l.notify)
	l.notify = make(chan struct{})
}

// wait returns the first line containing substr.
func (l *logBuffer) wait(ctx context.Context, substr string) (string, error) {
	seen := 0
	for {
		l.mu.Lock()
		for ; seen < len(l.lines); seen++ {
			if strings.Contains(l.lines[seen], substr) {
				line := l.lines[seen]
				l.mu.Unlock()
				return line, nil
			}
		}
		closed, ch := l.closed, l.notify
		l.mu.Unlock()
		if closed {
			return "", fmt.Errorf("knotd exited before logging %q", substr)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return "", fmt.Errorf("waiting for knotd to log %q: %w", substr, ctx.Err())
		}
	}
}

// String is the whole log.
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// keyID is the key's configuration id: its name without the final dot.
func keyID(k *facade.TSIG) string { return strings.TrimSuffix(strings.ToLower(k.Name), ".") }

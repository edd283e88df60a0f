package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Default listen addresses of `secdns fake serve`, one fixed loopback port
// per provider, so that the commands it prints stay valid across restarts.
const (
	fakeIONOSAddr      = "127.0.0.1:5380"
	fakeDNSimpleAddr   = "127.0.0.1:5381"
	fakeCloudflareAddr = "127.0.0.1:5382"
)

// fakeReadyLine is the last line `fake serve` prints once every fake
// accepts connections (text output); scripts and tests wait for it.
const fakeReadyLine = "# ready"

// fakeServeFlags are the flags of `secdns fake serve`.
type fakeServeFlags struct {
	addrs map[string]*string // provider -> listen address
	dns   bool
}

// fakeCommand is `secdns fake serve`: the three fakes, persistently, on
// fixed loopback ports.
func fakeCommand() *commandEntry {
	fo := &fakeServeFlags{addrs: map[string]*string{}}
	return &commandEntry{
		name: "fake", args: "serve",
		summary: "serve fakes of the three providers on loopback until stopped, to try every command",
		help: `Runs in-memory fakes of IONOS Cloud DNS, DNSimple and Cloudflare on fixed
loopback ports until Ctrl-C (or SIGTERM). Unlike --fake, whose fake lasts
one command, their state lasts as long as this process: create a zone with
one command, read it with the next.

Every request is checked against the provider's OpenAPI spec, as in the
tests. On start, it prints the environment and flags that point other secdns
commands at the fakes (the tokens are the fakes' own, the same on every
start), as shell lines: comments start with '#', and the last line is
'# ready' once every fake accepts connections. With --json it prints one
JSON object instead.

Listen addresses must be loopback (127.0.0.0/8, ::1 or localhost); port 0
picks a free port. A fake starts empty. With --dns, each fake also runs its
DNS side: a real secondary that transfers zones whose primaries are on
loopback (e.g. your own test primary on 127.0.0.1:5300) and serves them at
the printed DNS address. The global --timeout does not apply unless given.

Example:
  secdns fake serve > /tmp/secdns-fake.env &
  . /tmp/secdns-fake.env      # once the file ends with '# ready'
  secdns -p ionos --base-url http://127.0.0.1:5380 create example.com 192.0.2.1
  secdns -p ionos --base-url http://127.0.0.1:5380 get example.com
  secdns -p ionos --base-url http://127.0.0.1:5380 delete example.com
See docs/FAKES.md.`,
		flags: func(fs *flag.FlagSet, _ *cmdOptions) {
			fo.addrs[facade.ProviderIONOS] = fs.String("ionos-addr", fakeIONOSAddr, "loopback address of the IONOS fake")
			fo.addrs[facade.ProviderDNSimple] = fs.String("dnsimple-addr", fakeDNSimpleAddr, "loopback address of the DNSimple fake")
			fo.addrs[facade.ProviderCloudflare] = fs.String("cloudflare-addr", fakeCloudflareAddr, "loopback address of the Cloudflare fake")
			fs.BoolVar(&fo.dns, "dns", false, "also run each fake's DNS side and accept loopback and private primaries")
			unboundTimeout(fs)
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if args[0] != "serve" {
				return usagef("usage: secdns fake serve (see secdns fake --help)")
			}
			return a.fakeServe(ctx, fo)
		},
		minArgs: 1, maxArgs: 1,
	}
}

// globalTimeoutDefault is the global --timeout's default (see run in app.go).
const globalTimeoutDefault = 2 * time.Minute

// unboundTimeout lifts the global --timeout's default for a command that
// runs until stopped: unless the user gave another value before the command,
// it becomes 0 (none); a --timeout after the command still applies.
func unboundTimeout(fs *flag.FlagSet) {
	if f := fs.Lookup("timeout"); f != nil && f.DefValue == globalTimeoutDefault.String() {
		_ = f.Value.Set("0")
	}
}

// servedFake is one fake `fake serve` runs, and how to reach it.
type servedFake struct {
	Provider string            `json:"provider"`
	BaseURL  string            `json:"base_url"`
	Env      map[string]string `json:"env"`
	// Args are the secdns flags that select the fake (with Env set).
	Args []string `json:"args"`
	// DNS is the address of the fake's DNS side, with --dns.
	DNS string `json:"dns,omitempty"`

	env *fakeEnv
}

// fakeServe runs the fakes until ctx ends.
func (a *app) fakeServe(ctx context.Context, fo *fakeServeFlags) error {
	var served []*servedFake
	defer func() {
		for _, s := range served {
			s.env.close()
		}
	}()
	addrs := map[string]netip.AddrPort{}
	for _, p := range demoProviders() {
		ap, err := loopbackAddr(*fo.addrs[p.name], p.name)
		if err != nil {
			return err
		}
		addrs[p.name] = ap
	}
	for _, p := range demoProviders() {
		l, err := net.Listen("tcp", addrs[p.name].String())
		if err != nil {
			return fmt.Errorf("%s fake: %w", p.name, err)
		}
		opts := []fakes.Option{fakes.WithListener(l)}
		if fo.dns {
			opts = append(opts, fakes.WithPrivatePrimaries())
		}
		env, err := startFake(ctx, p.name, a.logger, opts...)
		if err != nil {
			_ = l.Close()
			return err
		}
		s := &servedFake{Provider: p.name, BaseURL: env.url, env: env, Env: map[string]string{}}
		served = append(served, s)
		cred, _ := credentialsFor(p.name)
		s.Env[cred.tokenEnv] = env.token
		if cred.accountEnv != "" {
			s.Env[cred.accountEnv] = env.account
		}
		s.Args = []string{"-p", p.name, "--base-url", env.url}
		if fo.dns {
			s.DNS = env.dns().Addr()
		}
	}
	if err := a.printServed(served); err != nil {
		return err
	}
	<-ctx.Done()
	a.logger.Debug("fake serve: stopping", "cause", context.Cause(ctx))
	return nil
}

// printServed prints how to reach the fakes: shell lines ending with the
// ready line, or one JSON object.
func (a *app) printServed(served []*servedFake) error {
	w := a.stdout
	if a.g.json {
		return json.NewEncoder(w).Encode(struct {
			Ready bool          `json:"ready"`
			Fakes []*servedFake `json:"fakes"`
		}{true, served})
	}
	fmt.Fprintf(w, "# secdns fake serve: in-memory fakes of IONOS Cloud DNS, DNSimple and Cloudflare.\n")
	stop := "Ctrl-C or SIGTERM"
	if a.g.timeout > 0 {
		stop += fmt.Sprintf(", or --timeout %s", a.g.timeout)
	}
	fmt.Fprintf(w, "# Every request is checked against the provider's OpenAPI spec; state lasts until\n# this process stops (%s). Point other secdns commands at the fakes with:\n", stop)
	var exports []string
	for _, s := range served {
		cred, _ := credentialsFor(s.Provider)
		exports = append(exports, cred.tokenEnv+"="+s.Env[cred.tokenEnv])
		if cred.accountEnv != "" {
			exports = append(exports, cred.accountEnv+"="+s.Env[cred.accountEnv])
		}
	}
	fmt.Fprintf(w, "export %s\n", strings.Join(exports, " "))
	for _, s := range served {
		fmt.Fprintf(w, "#   secdns %s list\n", strings.Join(s.Args, " "))
		if s.DNS != "" {
			fmt.Fprintf(w, "#   %s DNS side (transfers from loopback primaries, serves what it got): %s\n", s.Provider, s.DNS)
		}
	}
	_, err := fmt.Fprintln(w, fakeReadyLine)
	return err
}

// loopbackAddr parses a listen address, which must be on loopback: the
// fakes accept any token-holder's changes and are never to be reachable from
// another machine.
func loopbackAddr(addr, provider string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return netip.AddrPort{}, usagef("--%s-addr %q: %v", provider, addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return netip.AddrPort{}, usagef("--%s-addr %q: fakes listen on loopback only (127.0.0.0/8, ::1 or localhost)", provider, addr)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, usagef("--%s-addr %q: bad port", provider, addr)
	}
	return netip.AddrPortFrom(ip, uint16(n)), nil
}

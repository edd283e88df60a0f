package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
)

// verifyFlags are the flags of the verify command.
type verifyFlags struct {
	primary      string
	providers    string
	concurrency  int
	queryTimeout time.Duration
	resolve      multiFlag
	nameservers  multiFlag
	state        string
	problems     bool
	strict       bool
	nagios       bool
	dnssecCheck  bool
}

// multiFlag is a repeatable string flag.
type multiFlag []string

// String implements flag.Value.
func (m *multiFlag) String() string { return strings.Join(*m, " ") }

// Set implements flag.Value.
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// verifyCommand is the command table entry of verify.
func verifyCommand() *commandEntry {
	return &commandEntry{
		name: "verify", args: "--primary ADDR[:PORT] [ZONE...]",
		summary: "check that every provider's nameservers serve each zone with the primary's serial",
		help: `Asks the primary for each zone's SOA serial, each provider's API for its
view (state, serial, last transfer, per-primary status), and every address
of the provider's nameservers for the zone for the SOA serial over DNS, then
compares the serials (RFC 1982: a serial that wrapped is newer). Without
ZONE, every zone listed at the providers is checked.

One line per server: in-sync, behind by N, ahead by N, backwards by N (with
--state), not-serving, refused, wrong-zone, timeout, unreachable,
unresolved; plus findings (zone missing, API error, API/DNS disagreement,
DNSSEC-signed zone at DNSimple, which drops the signatures).

Providers (--providers, or --provider for one) take their credentials from
the environment (see 'secdns help'). DNSimple's API does not list a zone's
nameservers: its documented ones are used unless --nameservers says others.

Exit codes (Nagios/Icinga plugin convention): 0 all in sync (warnings
allowed, unless --strict), 1 something behind, 2 something broken or a usage
error, 3 or more: verify could not run (e.g. 4 missing credentials).

Examples:
  secdns verify --providers ionos,cloudflare --primary 192.0.2.1 example.com
  secdns verify --providers all --primary 192.0.2.1 --json > report.json
  secdns verify -p dnsimple --primary 192.0.2.1 --state /var/lib/secdns/verify.json --nagios
  secdns verify --fake --providers all        (in-process fakes and primary)
See docs/VERIFY.md for cron and Nagios/Icinga set-ups.`,
		flags: func(fs *flag.FlagSet, o *cmdOptions) {
			v := &o.verify
			fs.StringVar(&v.primary, "primary", "", "the primary to compare with: IP or IP:port (required unless --fake)")
			fs.StringVar(&v.providers, "providers", "", "comma-separated providers, or all (default: --provider)")
			fs.IntVar(&v.concurrency, "concurrency", verify.DefaultConcurrency, "DNS queries and API calls in flight at once")
			fs.DurationVar(&v.queryTimeout, "query-timeout", verify.DefaultQueryTimeout, "timeout of each DNS query")
			fs.Var(&v.resolve, "resolve", "NAME=IP[:PORT]: use this address for a nameserver name instead of the system resolver (repeatable)")
			fs.Var(&v.nameservers, "nameservers", "PROVIDER=NAME,NAME...: nameservers to query where the provider's API lists none (repeatable)")
			fs.StringVar(&v.state, "state", "", "JSON file holding the previous run's report: serials lower than then are flagged as gone backwards; rewritten after the run")
			fs.BoolVar(&v.problems, "problems", false, "in the table, show only zones that are not in sync")
			fs.BoolVar(&v.strict, "strict", false, "exit 1 on warnings too")
			fs.BoolVar(&v.dnssecCheck, "dnssec-check", true, "with DNSimple among the providers, transfer each zone from the primary (AXFR) to see whether it is DNSSEC-signed, which DNSimple drops; =false where the primary refuses transfers to this host")
			fs.BoolVar(&v.nagios, "nagios", false, "print one Nagios/Icinga plugin status line with performance data instead of the table")
		},
		run: cmdVerify, maxArgs: -1,
	}
}

// dnsimpleNameservers are the nameservers DNSimple documents for the zones
// it serves; its secondary-zone API does not list them per zone.
func dnsimpleNameservers() []string {
	return []string{"ns1.dnsimple.com", "ns2.dnsimple-edge.net", "ns3.dnsimple.com", "ns4.dnsimple-edge.org"}
}

// verifyExitUnknown is the exit code of a run that could not finish: UNKNOWN
// to a Nagios-style monitoring system.
const verifyExitUnknown = 3

// verifyExit carries the verify command's exit code: the report was printed,
// the code tells a monitoring system the outcome.
type verifyExit struct {
	code int
	msg  string
}

// Error implements error.
func (e *verifyExit) Error() string { return e.msg }

// ExitCode is the process exit code.
func (e *verifyExit) ExitCode() int { return e.code }

func cmdVerify(ctx context.Context, a *app, zones []string) error {
	f := a.o.verify
	targets, err := a.verifyTargets(f)
	if err != nil {
		return err
	}
	var names []string
	for _, t := range targets {
		names = append(names, t.typ)
	}
	var opts []verify.Option
	if opts, err = verifyOptions(f, names); err != nil {
		return err
	}
	var prev *verify.Report
	if f.state != "" {
		if prev, err = readState(f.state); err != nil {
			return err
		}
		if prev != nil {
			opts = append(opts, verify.WithPrevious(prev))
		}
	}
	var providers []facade.SecondaryDNS
	var primary netip.AddrPort
	if a.g.fake {
		if f.primary != "" {
			return usagef("--primary does not go with --fake: the fake primary is in-process")
		}
		env, err := startVerifyFakes(ctx, a, names, zones)
		if err != nil {
			return err
		}
		defer env.close()
		providers, primary, zones = env.providers, env.primary, env.zones
		opts = append(opts, env.opts...)
	} else {
		if primary, err = parseVerifyPrimary(f.primary); err != nil {
			return err
		}
		if len(names) > 1 && (a.g.token != "" || a.g.account != "" || a.g.baseURL != "") {
			return usagef("--token, --account and --base-url apply to one provider; with several, credentials come from the environment")
		}
		for _, t := range targets {
			sub := &app{g: a.g, o: a.o, stdout: a.stdout, stderr: a.stderr, getenv: a.getenv, logger: a.logger}
			sub.use(t)
			err := sub.connect(ctx)
			if sub.cleanup != nil {
				defer sub.cleanup()
			}
			if err != nil {
				return err
			}
			providers = append(providers, sub.neutral)
		}
	}
	if len(zones) == 0 {
		if zones, err = listAllZones(ctx, providers); err != nil {
			return err
		}
		if len(zones) == 0 {
			return usagef("no zones to verify: the providers list none; name them as arguments")
		}
	}
	v, err := verify.New(primary, providers, append(opts, verify.WithLogger(a.logger))...)
	if err != nil {
		return usagef("%v", unwrapMessage(err))
	}
	rep, err := v.Verify(ctx, zones)
	if err != nil && rep == nil {
		var fe *facade.Error
		if errors.As(err, &fe) && errors.Is(err, facade.ErrInvalidInput) {
			return usagef("%v", unwrapMessage(err))
		}
		return err
	}
	if perr := a.printVerify(rep, f); perr != nil {
		return perr
	}
	if err != nil {
		// Stopped early (--timeout, interrupt): not a verdict.
		return &verifyExit{code: verifyExitUnknown, msg: err.Error()}
	}
	if f.state != "" {
		if err := writeState(f.state, rep); err != nil {
			return err
		}
	}
	code := rep.ExitCode(f.strict)
	if code == verify.ExitInSync {
		return nil
	}
	s := rep.Summary
	return &verifyExit{code: code, msg: fmt.Sprintf("verify: %d zone(s) behind, %d broken, %d with warnings, of %d", s.Behind, s.Broken, s.Warning, s.Zones)}
}

// verifyTargets are the providers to verify: --providers (types, with
// credentials from the environment), else -p as every zone command reads
// it (config file names too). One account per provider type.
func (a *app) verifyTargets(f verifyFlags) ([]provTarget, error) {
	if f.providers != "" || a.g.fake {
		names, err := verifyProviderNames(f.providers, a.g.provider)
		if err != nil {
			return nil, err
		}
		var ts []provTarget
		for _, n := range names {
			ts = append(ts, provTarget{name: n, typ: n})
		}
		return ts, nil
	}
	ts, _, err := a.selectTargets()
	if err != nil {
		return nil, err
	}
	for i, t := range ts {
		if slices.ContainsFunc(ts[:i], func(u provTarget) bool { return u.typ == t.typ }) {
			return nil, usagef("verify checks one account per provider type: %s and another are both %s", t.name, t.typ)
		}
	}
	return ts, nil
}

func verifyProviderNames(list, single string) ([]string, error) {
	if list == "" {
		list = single
	}
	if list == "" {
		return nil, usagef("which providers? pass --providers ionos,dnsimple,cloudflare (or all), or --provider")
	}
	if strings.EqualFold(list, "all") {
		return []string{facade.ProviderIONOS, facade.ProviderDNSimple, facade.ProviderCloudflare}, nil
	}
	var out []string
	for p := range strings.SplitSeq(list, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if !knownProvider(p) {
			return nil, usagef("unknown provider %q: use ionos, dnsimple, cloudflare or all", p)
		}
		if slices.Contains(out, p) {
			return nil, usagef("provider %s given twice", p)
		}
		out = append(out, p)
	}
	return out, nil
}

func parseVerifyPrimary(s string) (netip.AddrPort, error) {
	if s == "" {
		return netip.AddrPort{}, usagef("--primary is required: the address of the primary whose serials are the reference")
	}
	p, err := facade.ParsePrimary(s)
	if err != nil {
		return netip.AddrPort{}, usagef("--primary: %v", unwrapMessage(err))
	}
	return netip.AddrPortFrom(p.Addr, p.PortOrDefault()), nil
}

// verifyOptions turns the flags into options.
func verifyOptions(f verifyFlags, providers []string) ([]verify.Option, error) {
	opts := []verify.Option{verify.WithConcurrency(f.concurrency), verify.WithQueryTimeout(f.queryTimeout)}
	if f.concurrency < 1 {
		return nil, usagef("--concurrency must be at least 1")
	}
	if f.queryTimeout <= 0 {
		return nil, usagef("--query-timeout must be positive")
	}
	if len(f.resolve) > 0 {
		static := verify.StaticResolver{}
		for _, r := range f.resolve {
			name, addr, ok := strings.Cut(r, "=")
			if !ok || name == "" {
				return nil, usagef("--resolve %q: NAME=IP[:PORT] expected", r)
			}
			p, err := facade.ParsePrimary(addr)
			if err != nil {
				return nil, usagef("--resolve %q: %v", r, unwrapMessage(err))
			}
			static[name] = append(static[name], netip.AddrPortFrom(p.Addr, p.PortOrDefault()))
		}
		opts = append(opts, verify.WithResolver(overlayResolver{static, verify.NetResolver{}}))
	}
	if !f.dnssecCheck {
		opts = append(opts, verify.WithoutSignedCheck())
	}
	given := map[string]bool{}
	for _, n := range f.nameservers {
		p, list, ok := strings.Cut(n, "=")
		p = strings.ToLower(p)
		if !ok || !knownProvider(p) || list == "" {
			return nil, usagef("--nameservers %q: PROVIDER=NAME,NAME... expected", n)
		}
		opts = append(opts, verify.WithNameservers(p, strings.Split(list, ",")...))
		given[p] = true
	}
	if slices.Contains(providers, facade.ProviderDNSimple) && !given[facade.ProviderDNSimple] {
		opts = append(opts, verify.WithNameservers(facade.ProviderDNSimple, dnsimpleNameservers()...))
	}
	return opts, nil
}

// overlayResolver answers from a fixed map first, then from the fallback.
type overlayResolver struct {
	static   verify.StaticResolver
	fallback verify.Resolver
}

// Resolve implements verify.Resolver.
func (o overlayResolver) Resolve(ctx context.Context, host string) ([]netip.AddrPort, error) {
	if addrs, err := o.static.Resolve(ctx, host); err == nil {
		return addrs, nil
	}
	return o.fallback.Resolve(ctx, host)
}

// listAllZones is the sorted union of the providers' zone names.
func listAllZones(ctx context.Context, providers []facade.SecondaryDNS) ([]string, error) {
	seen := map[string]bool{}
	for _, p := range providers {
		for z, err := range p.ListZones(ctx) {
			if err != nil {
				return nil, err
			}
			seen[z.Name] = true
		}
	}
	out := make([]string, 0, len(seen))
	for z := range seen {
		out = append(out, z)
	}
	slices.Sort(out)
	return out, nil
}

func readState(path string) (*verify.Report, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // first run
	}
	if err != nil {
		return nil, fmt.Errorf("--state: %w", err)
	}
	var r verify.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("--state %s: not a verify report: %w", path, err)
	}
	return &r, nil
}

// writeState replaces the state file atomically.
func writeState(path string, r *verify.Report) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	return nil
}

func (a *app) printVerify(rep *verify.Report, f verifyFlags) error {
	switch {
	case a.g.json:
		return a.printJSON(rep)
	case f.nagios:
		s := rep.Summary
		label := [...]string{"OK", "WARNING", "CRITICAL"}[rep.ExitCode(f.strict)]
		_, err := fmt.Fprintf(a.stdout, "SECDNS %s - %d zone(s): %d in sync, %d warning, %d behind, %d broken | zones=%d ok=%d warning=%d behind=%d broken=%d queries=%d duration=%.3fs\n",
			label, s.Zones, s.OK, s.Warning, s.Behind, s.Broken, s.Zones, s.OK, s.Warning, s.Behind, s.Broken, s.Queries, rep.Finished.Sub(rep.Started).Seconds())
		return err
	}
	return rep.WriteTable(a.stdout, f.problems)
}

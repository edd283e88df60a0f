package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// pcOptions are the flags of primary-config.
type pcOptions struct {
	server          string
	providers       string
	date            string
	maxAgeDays      int
	checkRegistry   bool
	showRegistry    bool
	allowIncomplete bool
	zoneFile        string
	tsigName        string
	tsigAlgo        string
	tsigFor         string
	secretFile      string
	secretEnv       string
	withSecret      bool
}

// primaryConfigCommand is the primary-config entry of the command table.
// Its flags live in the closure, so the shared cmdOptions stay untouched.
func primaryConfigCommand() *commandEntry {
	o := &pcOptions{}
	return &commandEntry{
		name: "primary-config", args: "--server KIND --providers LIST [ZONE...]",
		summary: "print the configuration your primary needs for the providers (BIND, Knot, NSD, PowerDNS)",
		help: `Prints what your own primary name server needs so that the providers can
transfer your zones: the addresses to allow zone transfers from, the addresses
to send NOTIFY to and, where used, the TSIG key, for BIND, Knot, NSD or
PowerDNS. The addresses come from a registry of the providers' documentation
pages embedded in secdns; every address is printed with its page and the day
it was checked, and entries are selected for --date (default: today, UTC).
With ZONEs, zone stanzas are printed too; otherwise reusable definitions plus
a note on what to add to each zone. The output is deterministic.

A provider whose transfer addresses are not documented (IONOS) makes the
configuration incomplete: the command fails saying so, unless
--allow-incomplete is given, and then the gap is written into the output.

TSIG (Cloudflare only): --tsig-name and --tsig-algorithm name the key;
--tsig-secret-file or --tsig-secret-env say where you keep its secret. The
secret is printed only with --with-secret; otherwise a placeholder the server
rejects stands in for it.

--registry prints the registry itself: every fact, its page, the day it
was checked, whether the page states it, and which entries are valid on
--date.

--check-registry checks instead that no registry fact was checked more than
--max-age days ago (exit 1 if one was); the weekly drift job runs it.

Examples:
  secdns primary-config --server bind --providers cloudflare,dnsimple example.com
  secdns primary-config --server knot --providers cloudflare --tsig-name xfr. \
      --tsig-secret-file /etc/knot/xfr.secret --with-secret example.com
  secdns primary-config --check-registry --max-age 180`,
		flags: func(fs *flag.FlagSet, _ *cmdOptions) {
			fs.StringVar(&o.server, "server", "", "your primary: bind, knot, nsd or powerdns")
			fs.StringVar(&o.providers, "providers", "", "comma-separated providers (default: --provider)")
			fs.StringVar(&o.date, "date", "", "select registry entries valid on this day, YYYY-MM-DD (default: today, UTC)")
			fs.IntVar(&o.maxAgeDays, "max-age", int(primaryconf.DefaultMaxAge/(24*time.Hour)), "registry facts checked more than this many days ago are stale")
			fs.BoolVar(&o.checkRegistry, "check-registry", false, "only check that the registry's facts are fresh (see --max-age)")
			fs.BoolVar(&o.showRegistry, "registry", false, "only print the registry: every fact with its page, check date and whether the page confirms it")
			fs.BoolVar(&o.allowIncomplete, "allow-incomplete", false, "print the configuration even if a provider's transfer addresses are unknown (the gap is marked in it)")
			fs.StringVar(&o.zoneFile, "zone-file", "%s.zone", "zone file path pattern for zone stanzas (%s: the zone name)")
			fs.StringVar(&o.tsigName, "tsig-name", "", "TSIG key name (transfers must be signed with it)")
			fs.StringVar(&o.tsigAlgo, "tsig-algorithm", "hmac-sha256", "TSIG algorithm")
			fs.StringVar(&o.tsigFor, "tsig-for", "", "comma-separated providers the key is for (default: all selected)")
			fs.StringVar(&o.secretFile, "tsig-secret-file", "", "file holding the base64 TSIG secret")
			fs.StringVar(&o.secretEnv, "tsig-secret-env", "", "environment variable holding the base64 TSIG secret")
			fs.BoolVar(&o.withSecret, "with-secret", false, "print the TSIG secret (read from --tsig-secret-file or --tsig-secret-env)")
		},
		run:     func(ctx context.Context, a *app, args []string) error { return cmdPrimaryConfig(ctx, a, o, args) },
		maxArgs: -1,
	}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}

func cmdPrimaryConfig(_ context.Context, a *app, o *pcOptions, zones []string) error {
	reg, err := primaryconf.Default()
	if err != nil {
		return err
	}
	if o.maxAgeDays <= 0 {
		return usagef("--max-age must be a positive number of days")
	}
	maxAge := time.Duration(o.maxAgeDays) * 24 * time.Hour
	day := time.Now().UTC()
	if o.date != "" {
		if day, err = time.Parse("2006-01-02", o.date); err != nil {
			return usagef("--date %q: want YYYY-MM-DD", o.date)
		}
	}
	if o.showRegistry {
		printRegistry(a.stdout, reg, day)
		return nil
	}
	if o.checkRegistry {
		if stale := reg.Stale(day, maxAge); len(stale) > 0 {
			for _, s := range stale {
				fmt.Fprintf(a.stdout, "stale: %s\n", s)
			}
			return fmt.Errorf("%w: %d registry pages checked more than %d days before %s; re-check them and update facade/primaryconf/registry.json",
				primaryconf.ErrStale, len(stale), o.maxAgeDays, day.Format("2006-01-02"))
		}
		fmt.Fprintf(a.stdout, "registry: every fact of %s was checked within %d days of %s\n", strings.Join(reg.Names(), ", "), o.maxAgeDays, day.Format("2006-01-02"))
		return nil
	}
	if o.server == "" {
		return usagef("which server? pass --server bind, knot, nsd or powerdns")
	}
	server, err := primaryconf.ParseServer(o.server)
	if err != nil {
		return err
	}
	providers := splitList(o.providers)
	if len(providers) == 0 {
		providers = splitList(a.g.provider)
	}
	if len(providers) == 0 {
		return usagef("which providers? pass --providers, e.g. --providers %s", strings.Join(reg.Names(), ","))
	}
	req := primaryconf.Request{Providers: providers, Zones: zones, Date: day, MaxAge: maxAge,
		AllowIncomplete: o.allowIncomplete, ZoneFile: o.zoneFile, IncludeSecret: o.withSecret,
		SecretFrom: primaryconf.SecretRef{File: o.secretFile, Env: o.secretEnv}}
	if o.tsigName != "" {
		k := facade.TSIG{Name: o.tsigName, Algorithm: o.tsigAlgo}
		if o.withSecret {
			if k.Secret, err = a.readSecret(o); err != nil {
				return err
			}
		}
		req.TSIG = &k
		req.TSIGProviders = splitList(o.tsigFor)
	} else if o.tsigFor != "" || o.withSecret || o.secretFile != "" || o.secretEnv != "" {
		return usagef("TSIG flags given without --tsig-name")
	}
	c, err := reg.Build(req)
	if errors.Is(err, primaryconf.ErrIncomplete) {
		return fmt.Errorf("%w (pass --allow-incomplete to print the rest with the gap marked in it)", err)
	}
	if err != nil {
		return err
	}
	out, err := c.Render(server)
	if err != nil {
		return err
	}
	for _, g := range c.Gaps {
		fmt.Fprintf(a.stderr, "secdns: warning: %s\n", g)
	}
	_, err = a.stdout.Write(out)
	return err
}

// readSecret reads the TSIG secret from where the operator said it is
// kept: a file or a named environment variable, never anywhere else.
func (a *app) readSecret(o *pcOptions) (facade.Secret, error) {
	switch {
	case o.secretFile != "" && o.secretEnv != "":
		return "", usagef("give --tsig-secret-file or --tsig-secret-env, not both")
	case o.secretFile != "":
		b, err := os.ReadFile(o.secretFile)
		if err != nil {
			return "", usagef("TSIG secret: %v", err)
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			return "", usagef("TSIG secret: %s is empty", o.secretFile)
		}
		return facade.Secret(s), nil
	case o.secretEnv != "":
		s := strings.TrimSpace(a.getenv(o.secretEnv))
		if s == "" {
			return "", usagef("TSIG secret: environment variable %s is empty or unset", o.secretEnv)
		}
		return facade.Secret(s), nil
	}
	return "", usagef("--with-secret needs --tsig-secret-file or --tsig-secret-env")
}

// printRegistry writes every fact of the registry with its source.
func printRegistry(w io.Writer, reg *primaryconf.Registry, day time.Time) {
	src := func(s primaryconf.Source) string {
		c := "confirmed"
		if !s.Confirmed {
			c = "NOT CONFIRMED"
		}
		line := fmt.Sprintf("      %s, checked %s, %s", s.URL, s.Checked, c)
		if s.Note != "" {
			line += "\n      " + s.Note
		}
		return line
	}
	fmt.Fprintf(w, "Registry of provider facts (entries marked * are valid on %s)\n", day.Format("2006-01-02"))
	for _, name := range reg.Names() {
		p, _ := reg.Provider(name)
		fmt.Fprintf(w, "\n%s (%s)\n", p.Name, p.Title)
		entries := func(what string, es []primaryconf.AddressEntry) {
			for _, e := range es {
				mark := " "
				if e.ValidOn(day) {
					mark = "*"
				}
				window := ""
				if e.From != "" {
					window += " from " + e.From
				}
				if e.Until != "" {
					window += " until " + e.Until
				}
				fmt.Fprintf(w, "  %s %s: %s%s\n%s\n", mark, what, strings.Join(e.Prefixes, ", "), window, src(e.Source))
			}
		}
		entries("transfer sources", p.TransferSources)
		if s := p.TransferSourcesUnknown; s != nil {
			fmt.Fprintf(w, "    transfer sources: UNKNOWN\n%s\n", src(*s))
		}
		entries("NOTIFY targets", p.NotifyTargets)
		if s := p.NotifyTargetsNone; s != nil {
			fmt.Fprintf(w, "    NOTIFY targets: none documented\n%s\n", src(*s))
		}
		if f := p.NotifyPort; f != nil {
			fmt.Fprintf(w, "    NOTIFY port: %s\n%s\n", f.Value, src(f.Source))
		}
		for _, f := range []struct {
			what string
			fact primaryconf.Fact
		}{{"primary port", p.PrimaryPort}, {"TSIG", p.TSIG}, {"DNSSEC signatures carried", p.DNSSEC}} {
			fmt.Fprintf(w, "    %s: %s\n%s\n", f.what, f.fact.Value, src(f.fact.Source))
		}
	}
}

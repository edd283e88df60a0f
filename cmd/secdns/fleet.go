package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
)

// fleetOptions are the flags of the fleet command.
type fleetOptions struct {
	file        string
	planFile    string
	out         string
	force       bool
	maxChange   float64
	maxDelete   float64
	concurrency int
	providers   string
	progress    string
	interval    time.Duration
	listen      string
	once        bool
}

// defaultTimeout is the global --timeout default (app.go), which fleet
// commands do not apply.
const defaultTimeout = 2 * time.Minute

// fleetCommand is the fleet entry of the command table. Its flags live in
// the closure, so that the shared cmdOptions stays as it is.
func fleetCommand() *commandEntry {
	fo := &fleetOptions{}
	return &commandEntry{
		name: "fleet", args: "import | plan | apply | sync",
		summary: "declare many secondaries in one file, plan and apply them at every provider",
		help: `Manages a fleet of secondary zones across providers from one desired-state
file (YAML; see docs/FLEET.md), the way octoDNS manages records:

  import   write a file describing what the providers hold now
             (--providers ionos,dnsimple,cloudflare; credentials from the
             usual environment variables)
  plan     show, per provider, what apply would create, re-point, re-create
             and delete (--json for machines, --out to save the plan)
  apply    carry out a saved plan (--plan FILE) or a fresh one; refuses to
             change or delete more than --max-change / --max-delete of a
             provider's zones unless --force
  sync     take the zone list from the RFC 9432 catalog zone named in the
             file's catalog section (AXFR from the primary, TSIG optional)
             and keep reconciling: on every NOTIFY (--listen) and every
             --interval; --once for a single round

Fleet commands have no deadline unless --timeout is given. Requests are
paced per provider account (Cloudflare 1,200 per 5 minutes,
DNSimple 2,400 per hour, IONOS 300 per minute unless the file says
otherwise) and adapt to the servers' rate-limit headers. Apply can be
interrupted and re-run: it converges without duplicates.

Examples:
  secdns fleet import --providers cloudflare,dnsimple > fleet.yaml
  secdns fleet plan -f fleet.yaml
  secdns fleet plan -f fleet.yaml --out plan.json && secdns fleet apply -f fleet.yaml --plan plan.json
  secdns fleet apply --fake -f fleet.yaml      against in-process fakes`,
		flags: func(fs *flag.FlagSet, _ *cmdOptions) {
			// A fleet apply or sync runs for as long as the rate limits
			// need: no deadline unless --timeout is given (the global
			// default of 2 minutes is for single-zone commands).
			if t := fs.Lookup("timeout"); t != nil && t.Value.String() == defaultTimeout.String() {
				_ = t.Value.Set("0")
			}
			fs.StringVar(&fo.file, "f", "fleet.yaml", "the desired-state file")
			fs.StringVar(&fo.planFile, "plan", "", "apply: the plan saved by plan --out (default: plan afresh)")
			fs.StringVar(&fo.out, "out", "", "plan: save the plan as JSON to this file; import: write the file here (default stdout)")
			fs.BoolVar(&fo.force, "force", false, "apply: apply even beyond the safety thresholds")
			fs.Float64Var(&fo.maxChange, "max-change", 0.3, "apply: largest share of a provider's zones one apply may re-point or re-create")
			fs.Float64Var(&fo.maxDelete, "max-delete", 0.3, "apply: largest share of a provider's zones one apply may delete")
			fs.IntVar(&fo.concurrency, "concurrency", 0, "apply: at most this many changes in flight per provider (0: as many as keep the provider's pace busy; requests stay paced)")
			fs.StringVar(&fo.providers, "providers", "", "import: comma-separated provider types to read (default: the providers of the -f file)")
			fs.StringVar(&fo.progress, "progress", "auto", "apply: progress display: auto (a bar on a terminal), bar, lines or none")
			fs.DurationVar(&fo.interval, "interval", 5*time.Minute, "sync: re-check the catalog this often")
			fs.StringVar(&fo.listen, "listen", "", "sync: listen for NOTIFY on this address, e.g. 127.0.0.1:5300")
			fs.BoolVar(&fo.once, "once", false, "sync: reconcile once and exit")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			return cmdFleet(ctx, a, fo, args)
		},
		minArgs: 1, maxArgs: 1,
	}
}

func cmdFleet(ctx context.Context, a *app, fo *fleetOptions, args []string) error {
	switch args[0] {
	case "import":
		return fleetImport(ctx, a, fo)
	case "plan":
		return fleetPlan(ctx, a, fo)
	case "apply":
		return fleetApply(ctx, a, fo)
	case "sync":
		return fleetSync(ctx, a, fo)
	}
	return usagef("fleet: unknown subcommand %q: use import, plan, apply or sync", args[0])
}

// lookupEnv adapts the app's getenv (which reports unset as "").
func (a *app) lookupEnv(name string) (string, bool) {
	v := a.getenv(name)
	return v, v != ""
}

// loadFleet reads and validates the file and resolves its TSIG keys.
func (a *app) loadFleet(fo *fleetOptions) (*fleet.Config, map[string]facade.TSIG, error) {
	data, err := os.ReadFile(fo.file)
	if err != nil {
		return nil, nil, usagef("fleet: %v", err)
	}
	cfg, err := fleet.ParseConfig(fo.file, data)
	if err != nil {
		return nil, nil, a.configProblems(err)
	}
	keys, err := cfg.Resolve(a.lookupEnv, os.ReadFile)
	if err != nil {
		return nil, nil, a.configProblems(err)
	}
	return cfg, keys, nil
}

// configProblems prints every problem of a *fleet.ConfigError on its own
// line and returns a one-line usage error (exit code 2).
func (a *app) configProblems(err error) error {
	var ce *fleet.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	for _, p := range ce.Problems {
		if p.Line == 0 {
			fmt.Fprintf(a.stderr, "%s\n", p.Msg)
			continue
		}
		fmt.Fprintf(a.stderr, "%s:%d:%d: %s\n", ce.File, p.Line, p.Column, p.Msg)
	}
	return usagef("%s: %d problem(s), nothing was sent", ce.File, len(ce.Problems))
}

// fleetTargets builds one paced client per provider of the file. Providers
// sharing a credential share a pacer. With --fake, each provider type gets
// an in-process fake instead (its state lasts for this command).
func (a *app) fleetTargets(ctx context.Context, provs []fleet.ProviderConfig) ([]fleet.Target, map[string]*fleet.Pacer, error) {
	pacers := map[string]*fleet.Pacer{}
	fakesByType := map[string]*fakeEnv{}
	var targets []fleet.Target
	for _, pc := range provs {
		var token, account, baseURL string
		if a.g.fake {
			f, ok := fakesByType[pc.Type]
			if !ok {
				var err error
				if f, err = startFake(ctx, pc.Type, a.logger); err != nil {
					return nil, nil, err
				}
				fakesByType[pc.Type] = f
				prev := a.cleanup
				a.cleanup = func() {
					f.close()
					if prev != nil {
						prev()
					}
				}
			}
			token, account, baseURL = f.token, f.account, f.url
		} else {
			tok, acct, err := pc.Credentials(a.lookupEnv, os.ReadFile)
			if err != nil {
				return nil, nil, &credentialsError{err.Error()}
			}
			token, account, baseURL = tok.Reveal(), acct, pc.BaseURL
		}
		sum := sha256.Sum256([]byte(pc.Type + "\x00" + token))
		key := hex.EncodeToString(sum[:8])
		p, ok := pacers[key]
		if !ok {
			rate := pc.Rate
			if rate.IsZero() {
				rate = fleet.DefaultRate(pc.Type)
			}
			var err error
			if p, err = fleet.NewPacer(rate); err != nil {
				return nil, nil, err
			}
			pacers[key] = p
		}
		client, err := newProviderClient(pc, token, account, baseURL, p, a)
		if err != nil {
			return nil, nil, fmt.Errorf("providers.%s: %w", pc.Name, err)
		}
		targets = append(targets, fleet.Target{Name: pc.Name, Type: pc.Type, Client: client, Owned: pc.Owned, Pacer: p})
	}
	return targets, pacers, nil
}

// providerConcurrency returns the file's per-provider caps on changes in
// flight (its providers' concurrency keys).
func providerConcurrency(cfg *fleet.Config) map[string]int {
	out := map[string]int{}
	for _, pc := range cfg.Providers {
		if pc.Concurrency > 0 {
			out[pc.Name] = pc.Concurrency
		}
	}
	return out
}

// newProviderClient is where concrete providers are wired in.
func newProviderClient(pc fleet.ProviderConfig, token, account, baseURL string, p *fleet.Pacer, a *app) (facade.SecondaryDNS, error) {
	typ := pc.Type
	opts := []facade.Option{
		facade.WithLogger(a.logger), facade.WithUserAgent("secdns/" + facade.Version),
		facade.WithHTTPClient(&http.Client{Timeout: facade.DefaultTimeout, Transport: p.Transport(nil)}),
	}
	if baseURL != "" {
		opts = append(opts, facade.WithBaseURL(baseURL))
	}
	if pc.PrivatePrimaries {
		opts = append(opts, facade.WithPrivatePrimaries())
	}
	switch typ {
	case facade.ProviderIONOS:
		return ionos.New(token, opts...)
	case facade.ProviderDNSimple:
		id, err := strconv.ParseInt(account, 10, 64)
		if err != nil || id <= 0 {
			return nil, usagef("DNSimple account ID must be a positive number, got %q", account)
		}
		return dnsimple.New(token, id, opts...)
	case facade.ProviderCloudflare:
		return cloudflare.New(token, account, opts...)
	}
	return nil, usagef("unknown provider type %q", typ)
}

func fleetPlan(ctx context.Context, a *app, fo *fleetOptions) error {
	cfg, _, err := a.loadFleet(fo)
	if err != nil {
		return err
	}
	targets, _, err := a.fleetTargets(ctx, cfg.Providers)
	if err != nil {
		return err
	}
	plan, err := fleet.MakePlan(ctx, fleet.DesiredFromConfig(cfg), targets)
	if err != nil {
		return err
	}
	if fo.out != "" {
		if err := writePlan(fo.out, plan); err != nil {
			return err
		}
	}
	if a.g.json {
		return a.printJSON(plan)
	}
	a.printPlan(plan, fleet.Thresholds{MaxChangeShare: fo.maxChange, MaxDeleteShare: fo.maxDelete, MinExisting: fleet.DefaultThresholds().MinExisting})
	return nil
}

func writePlan(path string, plan *fleet.Plan) error {
	b, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// printPlan writes the per-provider table and the changes.
func (a *app) printPlan(plan *fleet.Plan, th fleet.Thresholds) {
	tw := a.table()
	fmt.Fprintln(tw, "PROVIDER\tTYPE\tOWNED\tEXISTING\tCREATE\tREPOINT\tRECREATE\tDELETE\tKEEP\tUNMANAGED")
	for _, pp := range plan.Providers {
		owned := "no"
		if pp.Owned {
			owned = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", pp.Provider, pp.Type, owned, pp.Existing,
			pp.Count(fleet.Create), pp.Count(fleet.Repoint), pp.Count(fleet.Recreate), pp.Count(fleet.Delete), pp.Keep, pp.Unmanaged)
	}
	_ = tw.Flush()
	if plan.Empty() {
		fmt.Fprintln(a.stdout, "\nNothing to do: every provider is as the file says.")
		return
	}
	fmt.Fprintln(a.stdout)
	tw = a.table()
	for _, pp := range plan.Providers {
		for _, c := range pp.Changes {
			detail := ""
			switch c.Action {
			case fleet.Create:
				detail = "primaries " + strings.Join(c.Primaries, ", ")
			case fleet.Repoint, fleet.Recreate:
				detail = dash(strings.Join(c.CurrentPrimaries, ", ")) + " -> " + strings.Join(c.Primaries, ", ")
			case fleet.Delete:
				detail = "was " + dash(strings.Join(c.CurrentPrimaries, ", "))
			}
			if c.Key != "" {
				detail += " (TSIG " + c.Key + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t(%s)\n", pp.Provider, c.Action, c.Zone, detail, c.Reason)
		}
	}
	_ = tw.Flush()
	if err := plan.Check(th); err != nil {
		fmt.Fprintf(a.stdout, "\nWarning: %v\n", err)
	}
	fmt.Fprintf(a.stdout, "\n%d change(s). Run 'secdns fleet apply' to carry them out.\n", plan.Changes())
}

func fleetApply(ctx context.Context, a *app, fo *fleetOptions) error {
	cfg, keys, err := a.loadFleet(fo)
	if err != nil {
		return err
	}
	targets, _, err := a.fleetTargets(ctx, cfg.Providers)
	if err != nil {
		return err
	}
	var plan *fleet.Plan
	if fo.planFile != "" {
		data, err := os.ReadFile(fo.planFile)
		if err != nil {
			return usagef("fleet: %v", err)
		}
		if plan, err = fleet.ReadPlan(data); err != nil {
			return err
		}
	} else if plan, err = fleet.MakePlan(ctx, fleet.DesiredFromConfig(cfg), targets); err != nil {
		return err
	}
	th := fleet.Thresholds{MaxChangeShare: fo.maxChange, MaxDeleteShare: fo.maxDelete, MinExisting: fleet.DefaultThresholds().MinExisting}
	if !a.g.json {
		a.printPlan(plan, th)
	}
	if plan.Empty() {
		if a.g.json {
			return a.printJSON(applyJSON{Changes: 0})
		}
		return nil
	}
	show := a.progressWriter(fo.progress, plan.Changes())
	err = fleet.Apply(ctx, plan, targets, fleet.ApplyOptions{
		Thresholds: th, Force: fo.force, Concurrency: fo.concurrency, ConcurrencyFor: providerConcurrency(cfg), Keys: keys, Progress: show.update,
	})
	show.finish()
	var te *fleet.ThresholdError
	if errors.As(err, &te) {
		return usagef("%v", err)
	}
	if a.g.json {
		out := applyJSON{Changes: plan.Changes()}
		var ae *fleet.ApplyError
		if errors.As(err, &ae) {
			for _, f := range ae.Failed {
				out.Failed = append(out.Failed, failedJSON{Provider: f.Provider, Zone: f.Change.Zone, Action: string(f.Change.Action), Error: f.Err.Error()})
			}
		}
		if perr := a.printJSON(out); perr != nil {
			return perr
		}
	}
	if err != nil {
		return err
	}
	if !a.g.json {
		fmt.Fprintf(a.stdout, "Applied %d change(s).\n", plan.Changes())
	}
	return nil
}

type applyJSON struct {
	Changes int          `json:"changes"`
	Failed  []failedJSON `json:"failed,omitempty"`
}

type failedJSON struct {
	Provider string `json:"provider"`
	Zone     string `json:"zone"`
	Action   string `json:"action"`
	Error    string `json:"error"`
}

func fleetImport(ctx context.Context, a *app, fo *fleetOptions) error {
	var provs []fleet.ProviderConfig
	switch {
	case fo.providers != "":
		for _, typ := range strings.Split(fo.providers, ",") {
			typ = strings.TrimSpace(strings.ToLower(typ))
			cred, ok := credentialsFor(typ)
			if !ok {
				return usagef("fleet import: unknown provider %q", typ)
			}
			provs = append(provs, fleet.ProviderConfig{Name: typ, Type: typ, TokenEnv: cred.tokenEnv, AccountEnv: cred.accountEnv})
		}
	default:
		// The providers of an existing file (its zones are ignored).
		data, err := os.ReadFile(fo.file)
		if err != nil {
			return usagef("fleet import: pass --providers ionos,dnsimple,cloudflare, or -f a file whose providers to read (%v)", err)
		}
		cfg, err := fleet.ParseConfig(fo.file, data)
		if err != nil {
			return a.configProblems(err)
		}
		provs = cfg.Providers
	}
	sort.Slice(provs, func(i, j int) bool { return provs[i].Name < provs[j].Name })
	targets, _, err := a.fleetTargets(ctx, provs)
	if err != nil {
		return err
	}
	if a.g.fake {
		// Something to import: the seed zone at every fake.
		for _, t := range targets {
			a.neutral = t.Client
			if err := a.seed(ctx); err != nil {
				return err
			}
		}
	}
	cfg, err := fleet.Import(ctx, provs, targets)
	if err != nil {
		return err
	}
	data := cfg.Marshal()
	if fo.out != "" {
		if err := os.WriteFile(fo.out, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "wrote %s: %d zone(s) from %d provider(s)\n", fo.out, len(cfg.Zones), len(provs))
		return nil
	}
	_, err = a.stdout.Write(data)
	return err
}

package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
	exitAuth     = 4
	exitAPI      = 5
	// exitUnsupported: the provider cannot do what was asked (see
	// facade.Capabilities); nothing was sent.
	exitUnsupported = 6
	// exitDisagree: status found the zone at every provider, but they
	// disagree (primaries or serial).
	exitDisagree = 7
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

// Error implements error.
func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// credentialsError is a missing token or account ID.
type credentialsError struct{ msg string }

// Error implements error.
func (e *credentialsError) Error() string { return e.msg }

// commandEntry is one subcommand of secdns.
type commandEntry struct {
	name    string
	group   string // "" for the neutral zone commands, else the provider
	args    string // positional arguments, for the usage line
	summary string
	help    string // longer help, written for a newcomer
	flags   func(fs *flag.FlagSet, o *cmdOptions)
	run     func(ctx context.Context, a *app, args []string) error
	// minArgs and maxArgs bound the positional arguments (maxArgs < 0: any).
	minArgs, maxArgs int
	// noJSON refuses --json (a narrated command such as demo).
	noJSON bool
}

// cmdOptions holds the flags that only some commands take.
type cmdOptions struct {
	wait          bool
	description   string
	tsigName      string
	tsigAlgo      string
	tsigSecretEnv string
	tsigID        string
	verify        verifyFlags
}

// globals are the flags every command takes.
type globals struct {
	// provider is the selection as given: -p/--provider values joined
	// with commas (repeated flags accumulate), else $SECDNS_PROVIDER. On a
	// connected per-provider app it is that provider's type.
	provider string
	config   string
	token    string
	account  string
	baseURL  string
	json     bool
	fake     bool
	verbose  bool
	timeout  time.Duration
}

// app is what a command runs with.
type app struct {
	g      globals
	o      cmdOptions
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	logger *slog.Logger

	// Set by connect.
	neutral facade.SecondaryDNS
	ionos   *ionos.Client
	dns     *dnsimple.Client
	cf      *cloudflare.Client
	cleanup func()

	// privatePrimaries makes connect accept loopback primaries (the demo's
	// in-process primary).
	privatePrimaries bool

	// name is the provider as the user named it (a config file name or the
	// type), conf its config file entry (nil: flags and environment).
	name string
	conf *providerConf
	// progress prefixes progress lines (the provider, when several run).
	progress string
}

// registerGlobals adds the global flags to fs. Their defaults are g's current
// values, so flags given before the command survive the command's own parse.
func registerGlobals(fs *flag.FlagSet, g *globals) {
	fs.Var((*providerFlag)(&g.provider), "provider", "`NAMES`: ionos, dnsimple, cloudflare or names from the config file, comma-separated or repeated; all for every configured one (or $SECDNS_PROVIDER)")
	fs.Var((*providerFlag)(&g.provider), "p", "`NAMES`: shorthand for --provider")
	fs.StringVar(&g.config, "config", g.config, "`FILE` naming providers and where their credentials come from (default: $SECDNS_CONFIG, else $XDG_CONFIG_HOME/secdns/config.yaml or ~/.config/secdns/config.yaml, if it exists)")
	fs.StringVar(&g.token, "token", g.token, "API token (default: $IONOS_TOKEN, $DNSIMPLE_TOKEN or $CLOUDFLARE_API_TOKEN)")
	fs.StringVar(&g.account, "account", g.account, "account ID for DNSimple and Cloudflare (default: $DNSIMPLE_ACCOUNT or $CLOUDFLARE_ACCOUNT_ID)")
	fs.StringVar(&g.baseURL, "base-url", g.baseURL, "API base URL (default: the provider's production API)")
	fs.BoolVar(&g.json, "json", g.json, "print JSON instead of tables")
	fs.BoolVar(&g.fake, "fake", g.fake, "talk to an in-process fake of the provider (no account needed; it starts with one zone, example.net, and its state lasts for this command only)")
	fs.BoolVar(&g.verbose, "v", g.verbose, "log each HTTP request to stderr (credentials are never logged)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up after this long")
}

// run is the whole program, testable: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: &syncWriter{w: stderr}, getenv: getenv, g: globals{timeout: 2 * time.Minute}}
	err := a.dispatch(ctx, args)
	if a.cleanup != nil {
		a.cleanup()
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var re *reportedExit
	if !errors.As(err, &re) {
		provider := ""
		if a.g.json {
			provider = a.name
		}
		a.printError(err, provider)
	}
	return exitCode(err)
}

func exitCode(err error) int {
	var ue *usageError
	var ce *credentialsError
	var fe *facade.Error
	var ec interface{ ExitCode() int }
	switch {
	case errors.As(err, &ec):
		return ec.ExitCode()
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ce):
		return exitAuth
	case errors.Is(err, facade.ErrNotFound):
		return exitNotFound
	case errors.Is(err, facade.ErrUnauthorized), errors.Is(err, facade.ErrForbidden):
		return exitAuth
	case errors.Is(err, facade.ErrUnsupported):
		return exitUnsupported
	case errors.Is(err, facade.ErrInvalidInput) && errors.As(err, &fe) && fe.StatusCode == 0:
		return exitUsage // rejected before any request was sent
	case errors.Is(err, facade.ErrTransport), errors.Is(err, facade.ErrUnexpectedResponse):
		return exitFailure
	case errors.As(err, &fe):
		return exitAPI
	}
	return exitFailure
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (a *app) dispatch(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("secdns", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	registerGlobals(fs, &a.g)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printHelp()
			return err
		}
		return usagef("%v (see secdns help)", err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		a.printHelp()
		return usagef("no command given")
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		if len(rest) > 0 {
			if c := findCommand(rest[0]); c != nil {
				a.printCommandHelp(c)
				return nil
			}
		}
		a.printHelp()
		return nil
	}
	c := findCommand(name)
	if c == nil {
		return usagef("unknown command %q (see secdns help)", name)
	}
	cfs := flag.NewFlagSet("secdns "+c.name, flag.ContinueOnError)
	cfs.SetOutput(io.Discard)
	registerGlobals(cfs, &a.g)
	if c.flags != nil {
		c.flags(cfs, &a.o)
	}
	pos, err := parseInterspersed(cfs, rest)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printCommandHelp(c)
			return err
		}
		return usagef("%s: %v (see secdns %s --help)", c.name, err, c.name)
	}
	if len(pos) < c.minArgs || (c.maxArgs >= 0 && len(pos) > c.maxArgs) {
		return usagef("usage: secdns %s %s (see secdns %s --help)", c.name, c.args, c.name)
	}
	if a.g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.g.timeout)
		defer cancel()
	}
	level := slog.LevelWarn
	if a.g.verbose {
		level = slog.LevelDebug
	}
	a.logger = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	if a.g.provider == "" {
		a.g.provider = a.getenv("SECDNS_PROVIDER")
	}
	a.g.provider = strings.ToLower(a.g.provider)
	if a.g.json && c.noJSON {
		return usagef("%s does not support --json", c.name)
	}
	return c.run(ctx, a, pos)
}

// parseInterspersed parses flags that may stand before, between or after the
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// connect builds the provider client the command talks to: the real API, or
// an in-process fake with --fake. Either way the same facade client is used;
// only the base URL and credentials differ.
func (a *app) connect(ctx context.Context) error {
	p := a.g.provider
	if p == "" {
		return usagef("which provider? pass --provider ionos, dnsimple or cloudflare (or set SECDNS_PROVIDER)")
	}
	if a.g.fake {
		if !knownProvider(p) {
			return usagef("unknown provider %q: use ionos, dnsimple or cloudflare", p)
		}
		f, err := startFake(ctx, p, a.logger)
		if err != nil {
			return err
		}
		a.cleanup = f.close
		a.g.baseURL, a.g.token, a.g.account = f.url, f.token, f.account
	}
	cred, ok := credentialsFor(p)
	if !ok {
		return usagef("unknown provider %q: use ionos, dnsimple or cloudflare", p)
	}
	token, acct, baseURL := a.g.token, a.g.account, a.g.baseURL
	if a.conf != nil && !a.g.fake {
		if baseURL == "" {
			baseURL = a.conf.baseURL
		}
		if token == "" || (acct == "" && cred.accountEnv != "") {
			t, ac, err := a.conf.credentials(a.getenv)
			if err != nil {
				return err
			}
			token = cmp.Or(token, t)
			acct = cmp.Or(acct, ac)
		}
	}
	opts := []facade.Option{facade.WithLogger(a.logger), facade.WithUserAgent("secdns/" + facade.Version)}
	if baseURL != "" {
		opts = append(opts, facade.WithBaseURL(baseURL))
	}
	if a.g.fake {
		opts = append(opts, facade.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
	}
	if a.privatePrimaries {
		opts = append(opts, facade.WithPrivatePrimaries())
	}
	if token == "" {
		token = a.getenv(cred.tokenEnv)
	}
	if acct == "" && cred.accountEnv != "" {
		acct = a.getenv(cred.accountEnv)
	}
	if token == "" || (cred.accountEnv != "" && acct == "") {
		return &credentialsError{cred.missing}
	}
	switch p {
	case facade.ProviderIONOS:
		c, err := ionos.New(token, opts...)
		if err != nil {
			return err
		}
		a.ionos, a.neutral = c, c
	case facade.ProviderDNSimple:
		id, err := strconv.ParseInt(acct, 10, 64)
		if err != nil || id <= 0 {
			return usagef("DNSimple account ID must be a positive number, got %q", acct)
		}
		c, err := dnsimple.New(token, id, opts...)
		if err != nil {
			return err
		}
		a.dns, a.neutral = c, c
	case facade.ProviderCloudflare:
		c, err := cloudflare.New(token, acct, opts...)
		if err != nil {
			return err
		}
		a.cf, a.neutral = c, c
	}
	if a.g.fake {
		return a.seed(ctx)
	}
	return nil
}

// credentials says where a provider's credentials come from.
type credentials struct {
	tokenEnv, accountEnv string // accountEnv is empty where no account ID is needed
	missing              string // the message when they are missing
}

func credentialsFor(p string) (credentials, bool) {
	switch p {
	case facade.ProviderIONOS:
		return credentials{"IONOS_TOKEN", "", "missing IONOS token: set IONOS_TOKEN or pass --token"}, true
	case facade.ProviderDNSimple:
		return credentials{"DNSIMPLE_TOKEN", "DNSIMPLE_ACCOUNT", "missing DNSimple credentials: set DNSIMPLE_TOKEN and DNSIMPLE_ACCOUNT or pass --token and --account"}, true
	case facade.ProviderCloudflare:
		return credentials{"CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "missing Cloudflare credentials: set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID or pass --token and --account"}, true
	}
	return credentials{}, false
}

func knownProvider(p string) bool {
	_, ok := credentialsFor(p)
	return ok
}

// needProvider selects the one provider a provider-object command works
// on, which must be of type p.
func (a *app) needProvider(p string) error {
	if a.g.provider == "" {
		return usagef("this command is for --provider %s", p)
	}
	if err := a.onOne(); err != nil {
		return err
	}
	if a.g.provider != p {
		return usagef("this command is for --provider %s only", p)
	}
	return nil
}

func (a *app) printHelp() {
	w := a.stdout
	fmt.Fprint(w, `secdns manages secondary DNS zones on IONOS Cloud DNS, DNSimple and Cloudflare.

Your own nameserver (BIND, Knot, PowerDNS, NSD) stays the primary; the
provider transfers each zone from it and serves it from its network.

Usage:
  secdns -p NAME[,NAME...] [flags] <command> [arguments]
  secdns -p all [flags] <command> [arguments]

The zone commands (list, get, create, set-primaries, delete, transfer,
status) run at every provider given (-p ionos,cloudflare, or -p ionos
-p cloudflare, or -p all) and print one result per provider.

Secondary zones (every provider):
`)
	for _, c := range commands() {
		if c.group == "" {
			fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprint(w, "\nProvider objects:\n")
	for _, c := range commands() {
		if c.group != "" {
			fmt.Fprintf(w, "  %-15s %s (%s)\n", c.name, c.summary, c.group)
		}
	}
	fmt.Fprint(w, `
Try it without an account:
  secdns demo                                 the whole lifecycle on all three providers
  secdns --provider ionos --fake list         any command against an in-process fake

Credentials come from --token/--account, the environment
  (IONOS_TOKEN; DNSIMPLE_TOKEN, DNSIMPLE_ACCOUNT; CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID)
or a config file ($SECDNS_CONFIG, else $XDG_CONFIG_HOME/secdns/config.yaml or
~/.config/secdns/config.yaml; --config FILE) naming providers and where their
tokens are (an environment variable or a file, never the token itself):
  providers:
    ionos:   {token_env: IONOS_TOKEN}
    edge:    {type: cloudflare, token_file: ~/.secrets/cf, account: 0123abcd...}
With --json, errors are printed on stderr as one JSON line:
  {"error": {"provider", "operation", "kind", "status", "message", "request_id", "exit_code"}}

Global flags:
`)
	fs := flag.NewFlagSet("secdns", flag.ContinueOnError)
	g := globals{timeout: 2 * time.Minute}
	registerGlobals(fs, &g)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, `
Exit codes: 0 ok, 1 failure, 2 usage or invalid input, 3 not found,
4 authentication or missing credentials, 5 other API error,
6 not supported by the provider (nothing was sent), 7 status: the providers
disagree. With several providers, the worst outcome, from worst to best:
1, 4, 5, 2, 3, 7, 6, 0.
Run 'secdns <command> --help' for details on a command.
`)
}

func (a *app) printCommandHelp(c *commandEntry) {
	w := a.stdout
	fmt.Fprintf(w, "Usage: secdns -p NAME %s %s\n\n%s\n", c.name, c.args, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var o cmdOptions
	if c.flags != nil {
		c.flags(fs, &o)
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	fmt.Fprint(w, "\nGlobal flags (-p/--provider, --config, --token, --account, --base-url, --json, --fake, -v, --timeout): see 'secdns help'.\n")
}

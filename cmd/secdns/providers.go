package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade"
)

// providerFlag is -p/--provider: comma-separated names, and a repeated flag
// adds to the list instead of replacing it.
type providerFlag string

// String implements flag.Value.
func (f *providerFlag) String() string {
	if f == nil {
		return ""
	}
	return string(*f)
}

// Set implements flag.Value.
func (f *providerFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("empty provider name")
	}
	if *f != "" {
		*f += ","
	}
	*f += providerFlag(s)
	return nil
}

// provTarget is one selected provider account.
type provTarget struct {
	name string        // as the user names it: the config file's name, or the type
	typ  string        // ionos, dnsimple or cloudflare
	conf *providerConf // nil: credentials from flags and the environment
}

// providerTypes are the provider types, in the order "all" lists them
// without a config file.
var providerTypes = []string{facade.ProviderIONOS, facade.ProviderDNSimple, facade.ProviderCloudflare}

// selectTargets resolves -p (or $SECDNS_PROVIDER) against the config file.
// multi is true when several providers were asked for (a list, a repeated
// -p, or all): then results are printed per provider.
func (a *app) selectTargets() (ts []provTarget, multi bool, err error) {
	cfg, err := loadConfig(a.g.config, a.getenv)
	if err != nil {
		return nil, false, err
	}
	var names []string
	for n := range strings.SplitSeq(a.g.provider, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	switch {
	case len(names) == 0:
		if cfg != nil && len(cfg.providers) == 1 {
			names = cfg.names()
			break
		}
		return nil, false, usagef("which provider? pass -p ionos, dnsimple or cloudflare%s, several (-p ionos,cloudflare) or -p all (or set SECDNS_PROVIDER)", configNamesHint(cfg))
	case slices.Contains(names, "all"):
		if len(names) > 1 {
			return nil, false, usagef("-p all stands alone: it means every configured provider")
		}
		multi = true
		switch {
		case cfg != nil:
			names = cfg.names()
		case a.g.fake:
			names = providerTypes
		default:
			names = nil
			for _, p := range providerTypes {
				if cred, _ := credentialsFor(p); a.getenv(cred.tokenEnv) != "" {
					names = append(names, p)
				}
			}
			if len(names) == 0 {
				return nil, false, &credentialsError{"-p all: no provider configured: write a config file (see secdns help) or set IONOS_TOKEN, DNSIMPLE_TOKEN or CLOUDFLARE_API_TOKEN"}
			}
		}
	default:
		multi = len(names) > 1
	}
	for _, n := range names {
		if slices.ContainsFunc(ts, func(t provTarget) bool { return t.name == n }) {
			return nil, false, usagef("provider %s given twice", n)
		}
		switch pc := cfg.provider(n); {
		case pc != nil:
			ts = append(ts, provTarget{name: n, typ: pc.typ, conf: pc})
		case knownProvider(n):
			ts = append(ts, provTarget{name: n, typ: n})
		default:
			return nil, false, usagef("unknown provider %q: use ionos, dnsimple, cloudflare%s or all", n, configNamesHint(cfg))
		}
	}
	if multi && (a.g.token != "" || a.g.account != "" || a.g.baseURL != "") {
		return nil, false, usagef("--token, --account and --base-url apply to one provider; with several, name them in the config file or the environment")
	}
	return ts, multi, nil
}

func configNamesHint(cfg *cliConfig) string {
	if cfg == nil {
		return ""
	}
	return " (or from " + cfg.file + ": " + strings.Join(cfg.names(), ", ") + ")"
}

// use makes a the app of one target.
func (a *app) use(t provTarget) {
	a.g.provider, a.name, a.conf = t.typ, t.name, t.conf
}

// onOne runs a command that works on a single provider (the provider
// objects): several are a usage error.
func (a *app) onOne() error {
	ts, multi, err := a.selectTargets()
	if err != nil {
		return err
	}
	if multi {
		return usagef("this command works on one provider at a time")
	}
	a.use(ts[0])
	return nil
}

// outcome is what one provider's run of a command gave.
type outcome struct {
	t   provTarget
	out bytes.Buffer // what the command printed (its --json document, or its table)
	err error
}

// eachProvider runs fn on every selected provider, connected. With one
// provider, fn prints as usual and its error is the command's. With several
// (multi), they run concurrently and the results are printed per provider,
// in the order given; the exit code is the worst outcome (see worstExit).
func (a *app) eachProvider(ctx context.Context, fn func(ctx context.Context, a *app) error) error {
	ts, multi, err := a.selectTargets()
	if err != nil {
		return err
	}
	if !multi {
		a.use(ts[0])
		if err := a.connect(ctx); err != nil {
			return err
		}
		return fn(ctx, a)
	}
	return a.printOutcomes(a.fanOut(ctx, ts, fn))
}

// fanOut runs fn on each target concurrently, each on its own connected
// app whose output is kept in the outcome.
func (a *app) fanOut(ctx context.Context, ts []provTarget, fn func(ctx context.Context, a *app) error) []*outcome {
	outs := make([]*outcome, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		o := &outcome{t: t}
		outs[i] = o
		sub := &app{g: a.g, o: a.o, stdout: &o.out, stderr: a.stderr, getenv: a.getenv, logger: a.logger,
			privatePrimaries: a.privatePrimaries, progress: t.name + ": "}
		sub.use(t)
		wg.Go(func() {
			o.err = sub.connect(ctx)
			if o.err == nil {
				o.err = fn(ctx, sub)
			}
			if sub.cleanup != nil {
				sub.cleanup()
			}
		})
	}
	wg.Wait()
	return outs
}

// providerResultJSON is one provider's entry of a multi-provider --json
// answer: result is what the command prints for one provider; error is set
// instead when it failed.
type providerResultJSON struct {
	Provider string          `json:"provider"`
	Type     string          `json:"type"`
	ExitCode int             `json:"exit_code"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    *errorJSON      `json:"error,omitempty"`
}

func (a *app) printOutcomes(outs []*outcome) error {
	worst := exitOK
	var results []providerResultJSON
	for i, o := range outs {
		code := exitOK
		if o.err != nil {
			code = exitCode(o.err)
			worst = worstExit(worst, code)
			a.printError(o.err, o.t.name)
		}
		if a.g.json {
			r := providerResultJSON{Provider: o.t.name, Type: o.t.typ, ExitCode: code}
			if o.err != nil {
				e := toErrorJSON(o.err, o.t.name)
				r.Error = &e
			} else {
				r.Result = json.RawMessage(bytes.TrimSpace(o.out.Bytes()))
			}
			results = append(results, r)
			continue
		}
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "== %s ==\n", targetLabel(o.t))
		if o.err != nil {
			fmt.Fprintf(a.stdout, "error (exit %d): %s\n", code, oneLine(o.err.Error()))
			continue
		}
		_, _ = a.stdout.Write(o.out.Bytes())
	}
	if a.g.json {
		if err := a.printJSON(results); err != nil {
			return err
		}
	}
	if worst != exitOK {
		return &reportedExit{code: worst}
	}
	return nil
}

func targetLabel(t provTarget) string {
	if t.name == t.typ {
		return t.name
	}
	return t.name + " (" + t.typ + ")"
}

// exitRank orders exit codes from best to worst outcome: success; not
// supported (nothing sent); the providers disagree; not found; invalid
// input; other API error; authentication; failure (network, unexpected
// response: the state is unknown).
var exitRank = []int{exitOK, exitUnsupported, exitDisagree, exitNotFound, exitUsage, exitAPI, exitAuth, exitFailure}

// worstExit returns the worse of two exit codes by exitRank.
func worstExit(a, b int) int {
	ia, ib := slices.Index(exitRank, a), slices.Index(exitRank, b)
	if ib > ia {
		return b
	}
	return a
}

// reportedExit ends a command whose errors were already printed (per
// provider): run only sets the exit code.
type reportedExit struct{ code int }

// Error implements error.
func (e *reportedExit) Error() string { return fmt.Sprintf("exit %d", e.code) }

// ExitCode is the process exit code.
func (e *reportedExit) ExitCode() int { return e.code }

// errorJSON is an error as printed on stderr with --json, one line:
//
//	{"error": {"provider": "dnsimple", "operation": "Transfer", "kind": "unsupported",
//	  "status": 0, "message": "...", "request_id": "", "exit_code": 6}}
//
// Every key is always present; provider, operation and request_id are ""
// and status 0 when unknown or when no response was received.
type errorJSON struct {
	Provider  string `json:"provider"`
	Operation string `json:"operation"`
	Kind      string `json:"kind"`
	Status    int    `json:"status"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
	ExitCode  int    `json:"exit_code"`
}

// errorKinds name the facade's sentinels in errorJSON.Kind.
var errorKinds = []struct {
	err  error
	name string
}{
	{facade.ErrNotFound, "not_found"},
	{facade.ErrUnauthorized, "unauthorized"},
	{facade.ErrForbidden, "forbidden"},
	{facade.ErrRateLimited, "rate_limited"},
	{facade.ErrConflict, "conflict"},
	{facade.ErrUnsupported, "unsupported"},
	{facade.ErrInvalidInput, "invalid_input"},
	{facade.ErrServer, "server"},
	{facade.ErrTransport, "transport"},
	{facade.ErrUnexpectedResponse, "unexpected_response"},
}

// toErrorJSON describes err; provider is the provider the command ran on
// ("" if none yet).
func toErrorJSON(err error, provider string) errorJSON {
	e := errorJSON{Provider: provider, Message: oneLine(err.Error()), ExitCode: exitCode(err), Kind: "failure"}
	var fe *facade.Error
	var ue *usageError
	var ce *credentialsError
	var cfe *configError
	switch {
	case errors.As(err, &cfe):
		e.Kind = "config"
	case errors.As(err, &ue):
		e.Kind = "usage"
	case errors.As(err, &ce):
		e.Kind = "credentials"
	case errors.As(err, &fe):
		if e.Provider == "" {
			e.Provider = fe.Provider
		}
		e.Operation, e.Status, e.RequestID = fe.Operation, fe.StatusCode, fe.RequestID
		for _, k := range errorKinds {
			if errors.Is(fe.Kind(), k.err) {
				e.Kind = k.name
				break
			}
		}
	default:
		for _, k := range errorKinds {
			if errors.Is(err, k.err) {
				e.Kind = k.name
				break
			}
		}
	}
	return e
}

// printError writes err to stderr: one line "secdns: ...", or with --json
// one line {"error": {...}}.
func (a *app) printError(err error, provider string) {
	if a.g.json {
		b, _ := json.Marshal(map[string]errorJSON{"error": toErrorJSON(err, provider)})
		fmt.Fprintf(a.stderr, "%s\n", b)
		return
	}
	msg := oneLine(err.Error())
	if provider != "" && !strings.HasPrefix(msg, provider+": ") {
		msg = provider + ": " + msg
	}
	fmt.Fprintf(a.stderr, "secdns: %s\n", msg)
}

// syncWriter serialises writes from concurrent providers.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write implements io.Writer.
func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

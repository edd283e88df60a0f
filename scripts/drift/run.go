package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
)

// Exit codes; see the package documentation.
const (
	exitNoDrift     = 0
	exitNonBreaking = 1
	exitBreaking    = 2
	exitCannotCheck = 3
	exitUpdateFail  = 4
	exitUsage       = 64
)

const (
	defaultMaxBytes = 64 << 20
	defaultTimeout  = 15 * time.Minute
)

// deps are what run takes from the outside world, so tests can replace them.
type deps struct {
	// now gives the date written to specs/sources.json by -update.
	now func() time.Time
	// getenv reads SECONDARYDNS_DRIFT_<PROVIDER>_URL.
	getenv func(string) string
	// generate runs `go generate ./...` in root, after -update.
	generate func(ctx context.Context, root string, stdout, stderr io.Writer) error
	// run runs the go commands of the scratch build.
	exec runner
}

// scratchConfig is how checkProvider regenerates and builds in a scratch
// copy; build is serialised, as each build already uses every core.
type scratchConfig struct {
	sources string
	mu      sync.Mutex
	run     runner
}

func (s *scratchConfig) build(ctx context.Context, in scratchInput) *scratchResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return scratchBuild(ctx, s.run, in)
}

var defaultDeps = deps{
	now:      time.Now,
	getenv:   os.Getenv,
	generate: goGenerate,
	exec:     execRunner,
}

// run is the whole command: it parses args, checks the providers, prints the
// report on stdout (diagnostics on stderr) and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return defaultDeps.run(ctx, args, stdout, stderr)
}

// upstreamFlags collects repeated -upstream NAME=SRC flags.
type upstreamFlags map[string]string

// String implements flag.Value.
func (u upstreamFlags) String() string { return "" }

// Set implements flag.Value: it takes provider=URL-or-path.
func (u upstreamFlags) Set(v string) error {
	name, src, ok := strings.Cut(v, "=")
	if !ok || name == "" || src == "" {
		return fmt.Errorf("want provider=URL_or_path, got %q", v)
	}
	u[name] = src
	return nil
}

type options struct {
	root, sources string
	json          bool
	update        bool
	noGenerate    bool
	scratch       bool
	markdown      string
	timeout       time.Duration
	maxBytes      int64
	upstream      upstreamFlags
	providers     []string
}

// parseArgs parses the command line; it reports its errors on stderr.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{upstream: upstreamFlags{}}
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.root, "root", "../..", "repository root")
	fs.StringVar(&o.sources, "sources", "specs/sources.json", "sources file, relative to the root")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.BoolVar(&o.update, "update", false, "re-vendor changed upstream files, update the sources file and run go generate")
	fs.BoolVar(&o.noGenerate, "no-generate", false, "with -update, do not run go generate")
	fs.BoolVar(&o.scratch, "scratch", true, "regenerate changed clients in a scratch copy and build and contract-test the repository against them, to classify the changes for us (-scratch=false: predict from rules)")
	fs.StringVar(&o.markdown, "markdown", "", "also write the report as Markdown to `FILE` (for an issue or pull request)")
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "overall time limit")
	fs.Int64Var(&o.maxBytes, "max-bytes", defaultMaxBytes, "largest upstream document accepted, in bytes")
	fs.Var(o.upstream, "upstream", "fetch a provider's upstream from SRC instead of the sources file's URL, given as `provider=SRC` (http(s) URL, file:// URL or path; repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: drift [flags] [provider ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.providers = fs.Args()
	var err error
	switch {
	case o.timeout <= 0 || o.maxBytes <= 0:
		err = fmt.Errorf("-timeout and -max-bytes must be positive")
	case o.noGenerate && !o.update:
		err = fmt.Errorf("-no-generate needs -update")
	}
	if err != nil {
		fmt.Fprintln(stderr, "drift:", err)
		fs.Usage()
		return nil, err
	}
	return o, nil
}

func (d deps) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil { // already reported, with the usage
		return exitUsage
	}
	src, err := specprep.LoadSources(filepath.Join(o.root, o.sources))
	if err != nil {
		fmt.Fprintln(stderr, "drift: could not check:", err)
		return exitCannotCheck
	}
	var provs []*specprep.Provider
	if len(o.providers) == 0 {
		for i := range src.Providers {
			provs = append(provs, &src.Providers[i])
		}
	} else {
		for _, n := range o.providers {
			p, err := src.Provider(n)
			if err != nil {
				fmt.Fprintln(stderr, "drift:", err)
				return exitUsage
			}
			provs = append(provs, p)
		}
	}
	for name := range o.upstream {
		if _, err := src.Provider(name); err != nil {
			fmt.Fprintf(stderr, "drift: -upstream %s: %v\n", name, err)
			return exitUsage
		}
	}

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	client := newHTTPClient()
	var sc *scratchConfig
	if o.scratch {
		sc = &scratchConfig{sources: o.sources, run: d.exec}
	}
	reports := make([]*providerReport, len(provs))
	var wg sync.WaitGroup
	for i, p := range provs {
		wg.Go(func() {
			source := p.Upstream.URL
			if v := d.getenv(envName(p.Name)); v != "" {
				source = v
			}
			if v, ok := o.upstream[p.Name]; ok {
				source = v
			}
			reports[i] = checkProvider(ctx, client, o.root, p, source, o.maxBytes, sc)
		})
	}
	wg.Wait()

	rep := &report{Providers: reports}
	rep.finish()
	code := rep.ExitCode

	if o.update {
		if err := d.update(parent, o, src, provs, rep, stderr); err != nil {
			fmt.Fprintln(stderr, "drift: update failed:", err)
			rep.UpdateError = err.Error()
			code = exitUpdateFail
		}
	}
	rep.ExitCode = code
	if o.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "drift:", err)
	}
	if o.markdown != "" {
		if err := os.WriteFile(o.markdown, rep.markdown(), 0o644); err != nil {
			fmt.Fprintln(stderr, "drift:", err)
		}
	}
	return code
}

// envName is the environment variable that overrides a provider's upstream.
func envName(provider string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(provider) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return "SECONDARYDNS_DRIFT_" + b.String() + "_URL"
}

// goGenerate runs `go generate ./...` in root.
func goGenerate(ctx context.Context, root string, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, "go", "generate", "./...")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd.Run()
}

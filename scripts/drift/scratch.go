package main

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"gopkg.in/yaml.v3"
)

// scratchInput is what a scratch regeneration needs for one provider.
type scratchInput struct {
	root     string             // the repository
	sources  string             // the sources file, relative to root
	vendored *specprep.Provider // the provider as recorded
	upstream specprep.Provider  // the record with upstream's sha256, format and paths
	raw      []byte             // the upstream file
	overlay  []byte             // the overlay, fitted to upstream
}

// buildError is one compiler or vet error in the scratch build.
type buildError struct {
	Where string // file:line, relative to the repository
	Msg   string
}

// scratchResult is what happened when the clients were regenerated from
// upstream in a scratch copy and the repository built against them.
type scratchResult struct {
	// Failed says the scratch build could not be run at all (copy, tools).
	Failed string
	// PrepareErr says preparation or code generation failed on upstream.
	PrepareErr string
	// Errors are the compile and vet errors, at most 20.
	Errors []buildError
	// FailedTests are the failing contract (sub)tests.
	FailedTests []string
	// TestOutput is the tail of a failing contract test run.
	TestOutput string
	// Old and New index the generated client before and after.
	Old, New *genIndex
	// Took is how long the scratch build took.
	Took time.Duration
}

// runner runs a command in dir and returns its combined output; a variable
// of deps so that tests can count the calls.
type runner func(ctx context.Context, dir string, name string, args ...string) ([]byte, error)

func execRunner(ctx context.Context, dir string, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// scratchBuild copies the repository into a temporary directory, replaces
// the provider's vendored file, sources record and overlay with the upstream
// ones, regenerates its client (specprep, then oapi-codegen as generate.go
// runs it) and runs `go build ./...`, `go vet ./...` and the contract tests
// there. -trimpath makes the build cache shared between scratch copies.
func scratchBuild(ctx context.Context, run runner, in scratchInput) *scratchResult {
	start := time.Now()
	res := &scratchResult{}
	defer func() { res.Took = time.Since(start) }()
	dir, err := os.MkdirTemp("", "drift-scratch-")
	if err != nil {
		res.Failed = err.Error()
		return res
	}
	defer os.RemoveAll(dir)
	if err := copyTree(in.root, dir); err != nil {
		res.Failed = "copying the repository: " + err.Error()
		return res
	}
	p := in.upstream
	if err := writeScratch(dir, in, &p); err != nil {
		res.Failed = err.Error()
		return res
	}
	cfgPath := filepath.Join("gen", p.Package, "config.yaml")
	genPath, err := generatedFile(filepath.Join(dir, cfgPath))
	if err != nil {
		res.Failed = err.Error()
		return res
	}
	oldSrc, err := os.ReadFile(filepath.Join(in.root, genPath))
	if err != nil {
		res.Failed = err.Error()
		return res
	}
	var ids []string // the vendored operations: an operation gone upstream is still ours
	for _, op := range in.vendored.Operations {
		ids = append(ids, op.ID)
	}
	if res.Old, err = indexGenerated(oldSrc, ids); err != nil {
		res.Failed = "indexing " + genPath + ": " + err.Error()
		return res
	}
	if err := specprep.Run(dir, &p); err != nil {
		res.PrepareErr = "preparing upstream: " + oneLine(err)
		return res
	}
	if out, err := run(ctx, dir, "go", "run", "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen", "-config", cfgPath, p.Prepared); err != nil {
		res.PrepareErr = "oapi-codegen: " + clip(string(out)+" "+err.Error(), 300)
		return res
	}
	newSrc, err := os.ReadFile(filepath.Join(dir, genPath))
	if err == nil {
		res.New, err = indexGenerated(newSrc, ids)
	}
	if err != nil {
		res.PrepareErr = "generated client: " + oneLine(err)
		return res
	}
	buildOut, buildErr := run(ctx, dir, "go", "build", "-trimpath", "./...")
	vetOut, vetErr := run(ctx, dir, "go", "vet", "-trimpath", "./...")
	if ctx.Err() != nil {
		res.Failed = "scratch build: " + ctx.Err().Error()
		return res
	}
	if buildErr != nil || vetErr != nil {
		res.Errors = parseBuildErrors(dir, string(buildOut)+"\n"+string(vetOut))
		unalias(dir, p.Package, res.Errors)
		if len(res.Errors) == 0 {
			res.Errors = []buildError{{Msg: clip(string(buildOut)+string(vetOut), 300)}}
		}
		return res
	}
	testOut, testErr := run(ctx, dir, "go", "test", "-trimpath", "-count=1", "./test/contract/...")
	if testErr != nil {
		res.FailedTests = parseFailedTests(string(testOut))
		res.TestOutput = tail(string(testOut), 40)
		if len(res.FailedTests) == 0 {
			res.FailedTests = []string{"contract tests: " + clip(string(testOut), 200)}
		}
	}
	return res
}

// writeScratch puts the upstream file, the fitted overlay and the updated
// sources record into the scratch copy.
func writeScratch(dir string, in scratchInput, p *specprep.Provider) error {
	if err := os.WriteFile(filepath.Join(dir, p.Vendored), in.raw, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, p.Overlay), in.overlay, 0o644); err != nil {
		return err
	}
	src, err := specprep.LoadSources(filepath.Join(dir, in.sources))
	if err != nil {
		return err
	}
	rec, err := src.Provider(p.Name)
	if err != nil {
		return err
	}
	*rec = *p
	b, err := encodeSources(src)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, in.sources), b, 0o644)
}

// generatedFile reads the output path from an oapi-codegen configuration.
func generatedFile(cfg string) (string, error) {
	b, err := os.ReadFile(cfg)
	if err != nil {
		return "", err
	}
	var c struct {
		Output string `yaml:"output"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil || c.Output == "" {
		return "", fmt.Errorf("%s: no output path (%v)", cfg, err)
	}
	return c.Output, nil
}

// copyTree copies the regular files under src to dst, leaving out version
// control and build output.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel != "." && (d.Name() == ".git" || rel == "bin" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(filepath.Join(dst, rel), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

var errLine = regexp.MustCompile(`(?m)^(?:vet: )?(?:\./)?([^\s:]+\.go):(\d+)(?::\d+)?: (.+)$`)

// parseBuildErrors extracts file:line: message errors from go build and go
// vet output, without duplicates, at most 20.
func parseBuildErrors(dir, out string) []buildError {
	var errs []buildError
	seen := map[string]bool{}
	for _, m := range errLine.FindAllStringSubmatch(out, -1) {
		file := strings.TrimPrefix(m[1], dir+"/")
		e := buildError{Where: file + ":" + m[2], Msg: strings.TrimSpace(m[3])}
		if seen[e.Where+e.Msg] || len(errs) == 20 {
			continue
		}
		seen[e.Where+e.Msg] = true
		errs = append(errs, e)
	}
	return errs
}

var failLine = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)

// parseFailedTests lists the failing tests, the most specific subtests only.
func parseFailedTests(out string) []string {
	var names []string
	for _, m := range failLine.FindAllStringSubmatch(out, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var leaves []string
	for i, n := range names {
		if i+1 < len(names) && strings.HasPrefix(names[i+1], n+"/") {
			continue
		}
		leaves = append(leaves, n)
	}
	return leaves
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// unalias rewrites "alias.Name" to "pkg.Name" in errors from files that
// import the generated package under another name (test/fakes imports
// cloudflareapi as cf), so errors are matched to generated identifiers.
func unalias(dir, pkg string, errs []buildError) {
	for i, e := range errs {
		file, _, _ := strings.Cut(e.Where, ":")
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, file), nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, im := range f.Imports {
			if im.Name == nil || !strings.HasSuffix(strings.Trim(im.Path.Value, `"`), "/gen/"+pkg) {
				continue
			}
			re := regexp.MustCompile(`\b` + regexp.QuoteMeta(im.Name.Name) + `\.([A-Z])`)
			errs[i].Msg = re.ReplaceAllString(e.Msg, pkg+".$1")
		}
	}
}

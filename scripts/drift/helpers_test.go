package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"github.com/stretchr/testify/require"
)

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

var vendoredCache sync.Map // provider name → []byte

// vendored returns a provider's vendored upstream file, read once.
func vendored(t *testing.T, provider string) []byte {
	t.Helper()
	if b, ok := vendoredCache.Load(provider); ok {
		return b.([]byte)
	}
	s, err := specprep.LoadSources(filepath.Join(repoRoot, "specs/sources.json"))
	require.NoError(t, err)
	p, err := s.Provider(provider)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(repoRoot, p.Vendored))
	require.NoError(t, err)
	vendoredCache.Store(provider, b)
	return b
}

// mutated returns provider's vendored file with mutate applied to the
// decoded document (for IONOS: to every OpenAPI document on the page). YAML
// is written back as JSON, which is YAML too.
func mutated(t *testing.T, provider string, mutate func(doc map[string]any)) []byte {
	t.Helper()
	raw := vendored(t, provider)
	switch provider {
	case "ionos":
		return mutateIONOS(t, raw, mutate)
	case "dnsimple":
		doc, err := specprep.Decode(raw, specprep.FormatYAML)
		require.NoError(t, err)
		mutate(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return b
	default:
		doc, err := specprep.Decode(raw, specprep.FormatJSON)
		require.NoError(t, err)
		mutate(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return b
	}
}

// mutateIONOS applies mutate to each ```json block of the reference page and
// writes each back on one line, as the page has them.
func mutateIONOS(t *testing.T, page []byte, mutate func(doc map[string]any)) []byte {
	t.Helper()
	lines := strings.Split(string(page), "\n")
	var out []string
	blocks := 0
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		if strings.TrimSpace(lines[i]) != "```json" {
			continue
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		doc, err := specprep.Decode([]byte(strings.Join(body, "\n")), specprep.FormatJSON)
		require.NoError(t, err)
		mutate(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		out = append(out, string(b), "```")
		blocks++
	}
	require.Positive(t, blocks)
	return []byte(strings.Join(out, "\n"))
}

// obj walks a decoded document along keys, failing the test if a step is
// missing or not an object.
func obj(t *testing.T, doc map[string]any, keys ...string) map[string]any {
	t.Helper()
	m := doc
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		require.Truef(t, ok, "no object at %q in %v", k, keys)
		m = next
	}
	return m
}

// upstream serves one document per provider at /<provider> and returns the
// -upstream flags that point the tool at it.
func upstream(t *testing.T, docs map[string][]byte) []string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := docs[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	var args []string
	for name := range docs {
		args = append(args, "-upstream", name+"="+srv.URL+"/"+name)
	}
	return args
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	return runWith(t, defaultDeps, args...)
}

func runWith(t *testing.T, d deps, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := d.run(context.Background(), args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// runJSON runs the command with -json and decodes the report.
func runJSON(t *testing.T, args ...string) (int, *report) {
	t.Helper()
	r := runCmd(t, append([]string{"-json"}, args...)...)
	var rep report
	require.NoErrorf(t, json.Unmarshal([]byte(r.stdout), &rep), "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	require.Equal(t, r.code, rep.ExitCode)
	return r.code, &rep
}

func providerOf(t *testing.T, rep *report, name string) *providerReport {
	t.Helper()
	for _, p := range rep.Providers {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no provider %s in report", name)
	return nil
}

// findChange returns the first change with the given ID (and, if op is not
// empty, on that SDK operation).
func findChange(t *testing.T, p *providerReport, id, op string) change {
	t.Helper()
	for _, c := range p.Changes {
		if c.ID == id && (op == "" || c.Operation == op) {
			return c
		}
	}
	t.Fatalf("%s: no change %s on %q in %+v", p.Name, id, op, p.Changes)
	return change{}
}

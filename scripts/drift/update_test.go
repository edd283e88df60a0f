package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tempRepo copies the files -update reads and writes for the given providers
// into a temporary root, keeping their permission bits.
func tempRepo(t *testing.T, providers ...string) string {
	t.Helper()
	root := t.TempDir()
	s, err := specprep.LoadSources(filepath.Join(repoRoot, "specs/sources.json"))
	require.NoError(t, err)
	files := []string{"specs/sources.json"}
	for _, name := range providers {
		p, err := s.Provider(name)
		require.NoError(t, err)
		files = append(files, p.Vendored, p.Overlay)
	}
	for _, f := range files {
		fi, err := os.Stat(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		dst := filepath.Join(root, f)
		require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		require.NoError(t, os.WriteFile(dst, b, fi.Mode().Perm()))
	}
	return root
}

// fakeGenerate records the roots `go generate` would have run in.
type fakeGenerate struct {
	roots []string
	err   error
}

func (f *fakeGenerate) generate(_ context.Context, root string, _, _ io.Writer) error {
	f.roots = append(f.roots, root)
	return f.err
}

var updateDay = time.Date(2031, 2, 3, 23, 30, 0, 0, time.UTC)

func updateDeps(g *fakeGenerate) deps {
	return deps{now: func() time.Time { return updateDay }, getenv: func(string) string { return "" }, generate: g.generate}
}

// changedUpstreams are an IONOS page with a new API version and a new enum
// value (non-breaking) and a DNSimple document changed outside the SDK's
// operations only.
func changedUpstreams(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"ionos": mutated(t, "ionos", func(doc map[string]any) {
			obj(t, doc, "info")["version"] = "1.19.0"
			if comps, ok := doc["components"].(map[string]any); ok {
				if s, ok := comps["schemas"].(map[string]any)["ProvisioningState"].(map[string]any); ok {
					s["enum"] = append(s["enum"].([]any), "SUSPENDED")
				}
			}
		}),
		"dnsimple": mutated(t, "dnsimple", func(doc map[string]any) {
			obj(t, doc, "paths", "/{account}/zones/{zone}/file", "get")["summary"] = "Download a zone file, reworded"
		}),
	}
}

func TestUpdateRevendorsAndGenerates(t *testing.T) {
	t.Parallel()
	root := tempRepo(t, "ionos", "dnsimple")
	ups := changedUpstreams(t)
	up := upstream(t, ups)
	origSources, err := os.ReadFile(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)

	g := &fakeGenerate{}
	r := runWith(t, updateDeps(g), append(up, "-root", root, "-scratch=false", "-update", "ionos", "dnsimple")...)
	assert.Equal(t, exitNonBreaking, r.code, r.stdout+r.stderr)
	assert.Equal(t, []string{root}, g.roots, "go generate runs once, at the root")
	assert.Contains(t, r.stdout, "ionos: maintenance: ")
	assert.Contains(t, r.stdout, "re-vendored from ")

	for name, path := range map[string]string{"ionos": "specs/ionos/reference.md", "dnsimple": "specs/dnsimple/openapi.yml"} {
		b, err := os.ReadFile(filepath.Join(root, path))
		require.NoError(t, err)
		assert.Equal(t, ups[name], b, "%s is the upstream file, byte for byte", path)
		fi, err := os.Stat(filepath.Join(root, path))
		require.NoError(t, err)
		orig, err := os.Stat(filepath.Join(repoRoot, path))
		require.NoError(t, err)
		assert.Equal(t, orig.Mode().Perm(), fi.Mode().Perm(), "%s keeps its permission bits", path)
	}

	// The sources file changes in exactly the updated fields.
	want := string(origSources)
	for _, rep := range [][2]string{
		{vendoredSHA(t, "ionos"), specprep.SHA256Hex(ups["ionos"])},
		{vendoredSHA(t, "dnsimple"), specprep.SHA256Hex(ups["dnsimple"])},
		{`"revision": "API version 1.18.0"`, `"revision": "API version 1.19.0"`},
		{`"date": "2026-11-01"`, `"date": "2031-02-03"`},
		{`"revision": "234e410f5c231e29bed5d7a04094fc20b2256e4f"`, `"revision": "unrecorded (fetched 2031-02-03; replace with the upstream commit)"`},
		{`"date": "2026-06-03"`, `"date": "2031-02-03"`},
	} {
		require.Equal(t, 1, strings.Count(want, rep[0]), rep[0])
		want = strings.Replace(want, rep[0], rep[1], 1)
	}
	got, err := os.ReadFile(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)
	assert.Equal(t, want, string(got))

	// Checked again, the same upstream is no drift.
	r = runWith(t, updateDeps(g), append(up, "-root", root, "-scratch=false", "ionos", "dnsimple")...)
	assert.Equal(t, exitNoDrift, r.code, r.stdout+r.stderr)
	assert.Len(t, g.roots, 1)
}

func vendoredSHA(t *testing.T, name string) string {
	t.Helper()
	return specprep.SHA256Hex(vendored(t, name))
}

func TestUpdateNoGenerate(t *testing.T) {
	t.Parallel()
	root := tempRepo(t, "ionos")
	ups := changedUpstreams(t)
	g := &fakeGenerate{}
	r := runWith(t, updateDeps(g), append(upstream(t, map[string][]byte{"ionos": ups["ionos"]}), "-root", root, "-scratch=false", "-update", "-no-generate", "-json", "ionos")...)
	assert.Equal(t, exitNonBreaking, r.code)
	assert.Contains(t, r.stderr, "run `go generate ./...`")
	var rep report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	assert.Equal(t, exitNonBreaking, rep.ExitCode)
	assert.True(t, providerOf(t, &rep, "ionos").Updated)
	assert.Empty(t, g.roots)
	b, err := os.ReadFile(filepath.Join(root, "specs/ionos/reference.md"))
	require.NoError(t, err)
	assert.Equal(t, ups["ionos"], b)
}

func TestUpdateGenerateFailureExits4(t *testing.T) {
	t.Parallel()
	root := tempRepo(t, "ionos")
	g := &fakeGenerate{err: errors.New("exit status 1")}
	r := runWith(t, updateDeps(g), append(upstream(t, map[string][]byte{"ionos": changedUpstreams(t)["ionos"]}), "-root", root, "-scratch=false", "-update", "ionos")...)
	assert.Equal(t, exitUpdateFail, r.code)
	assert.Contains(t, r.stdout, "drift: update failed: go generate ./...: exit status 1")
}

func TestUpdateWithoutDriftWritesNothing(t *testing.T) {
	t.Parallel()
	root := tempRepo(t, "ionos")
	before, err := os.ReadFile(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)
	g := &fakeGenerate{}
	r := runWith(t, updateDeps(g), append(upstream(t, map[string][]byte{"ionos": vendored(t, "ionos")}), "-root", root, "-scratch=false", "-update", "ionos")...)
	assert.Equal(t, exitNoDrift, r.code)
	assert.Empty(t, g.roots)
	after, err := os.ReadFile(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestSourcesFileRoundTrips(t *testing.T) {
	t.Parallel()
	path := filepath.Join(repoRoot, "specs/sources.json")
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	s, err := specprep.LoadSources(path)
	require.NoError(t, err)
	got, err := encodeSources(s)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "-update rewrites specs/sources.json in its own layout")
}

// TestUpdateFollowsRenamedPaths: -update records the renamed path in the
// sources file and the overlay targets that name it, so that `go generate`
// works on the re-vendored file without a hand edit.
func TestUpdateFollowsRenamedPaths(t *testing.T) {
	t.Parallel()
	const oldPath, newPath = "/secondaryzones/{secondaryZoneId}", "/secondaryzones/{zoneId}"
	// renamePaths moves a path and renames its path parameters; on the
	// IONOS page, documents without the path are left alone.
	doc := mutated(t, "ionos", func(doc map[string]any) { renamePaths(doc, map[string]string{oldPath: newPath}) })
	root := tempRepo(t, "ionos")
	g := &fakeGenerate{}
	r := runWith(t, updateDeps(g), append(upstream(t, map[string][]byte{"ionos": doc}), "-root", root, "-scratch=false", "-update", "-no-generate", "ionos")...)
	assert.Equal(t, exitNonBreaking, r.code, r.stdout+r.stderr)
	s, err := specprep.LoadSources(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)
	p, err := s.Provider("ionos")
	require.NoError(t, err)
	var renamed int
	for _, op := range p.Operations {
		assert.NotEqual(t, oldPath, op.Path)
		if op.Path == newPath {
			renamed++
		}
	}
	assert.Equal(t, 3, renamed, "GET, PUT and DELETE")
	ov, err := os.ReadFile(filepath.Join(root, "specs/ionos/overlay.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(ov), "$.paths['"+newPath+"'].put.responses")
	assert.NotContains(t, string(ov), "'"+oldPath+"'")
	// The re-vendored files prepare as go generate would.
	raw, err := os.ReadFile(filepath.Join(root, p.Vendored))
	require.NoError(t, err)
	_, err = specprep.PrepareProvider(p, raw, ov)
	require.NoError(t, err)
}

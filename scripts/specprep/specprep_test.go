package specprep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository root, seen from this package.
const root = "../.."

func loadSources(t testing.TB) *Sources {
	t.Helper()
	s, err := LoadSources(filepath.Join(root, "specs/sources.json"))
	require.NoError(t, err)
	return s
}

// TestPreparedSpecsAreReproducible prepares every provider from the vendored
// files and checks the result is byte for byte what is committed, twice.
func TestPreparedSpecsAreReproducible(t *testing.T) {
	t.Parallel()
	s := loadSources(t)
	for _, p := range s.Providers {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join(root, p.Vendored))
			require.NoError(t, err)
			assert.Equal(t, p.SHA256, SHA256Hex(raw), "vendored file digest")
			ov, err := os.ReadFile(filepath.Join(root, p.Overlay))
			require.NoError(t, err)
			first, err := PrepareProvider(&p, raw, ov)
			require.NoError(t, err)
			second, err := PrepareProvider(&p, raw, ov)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(first.Prepared, second.Prepared), "two runs differ")
			committed, err := os.ReadFile(filepath.Join(root, p.Prepared))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(committed, first.Prepared), "committed %s is stale: run go generate ./...", p.Prepared)

			doc, err := Decode(first.Prepared, FormatJSON)
			require.NoError(t, err)
			var want []string
			for _, op := range p.Operations {
				want = append(want, op.ID)
			}
			assert.ElementsMatch(t, want, OperationIDs(doc), "prepared operations")
			assert.Equal(t, "3.0.3", doc["openapi"])
		})
	}
}

func TestRunRejectsHandEditedVendoredFile(t *testing.T) {
	t.Parallel()
	s := loadSources(t)
	p, err := s.Provider("ionos")
	require.NoError(t, err)
	dir := t.TempDir()
	cp := *p
	raw, err := os.ReadFile(filepath.Join(root, p.Vendored))
	require.NoError(t, err)
	ov, err := os.ReadFile(filepath.Join(root, p.Overlay))
	require.NoError(t, err)
	for _, f := range []struct {
		path string
		b    []byte
	}{{p.Vendored, append(raw, '\n')}, {p.Overlay, ov}} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f.path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f.path), f.b, 0o644))
	}
	err = Run(dir, &cp)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "never edited by hand")
	_, statErr := os.Stat(filepath.Join(dir, p.Prepared))
	assert.True(t, os.IsNotExist(statErr), "nothing written")
}

func TestSelectKeepsOnlyReferencedComponents(t *testing.T) {
	t.Parallel()
	doc := mustDecode(t, `{
	  "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
	  "tags": [{"name": "used"}, {"name": "unused"}],
	  "paths": {
	    "/a": {"parameters": [{"$ref": "#/components/parameters/P"}],
	           "get": {"operationId": "getA", "tags": ["used"], "security": [{"tok": []}],
	                   "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}},
	           "post": {"operationId": "postA", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}},
	    "/b": {"get": {"operationId": "getB", "tags": ["unused"], "responses": {"200": {"description": "ok"}}}}
	  },
	  "components": {
	    "parameters": {"P": {"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/PType"}}},
	    "schemas": {
	      "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
	      "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
	      "PType": {"type": "string"},
	      "Unused": {"type": "string"}
	    },
	    "securitySchemes": {"tok": {"type": "http", "scheme": "bearer"}, "other": {"type": "http", "scheme": "basic"}}
	  }
	}`)
	out, err := Select(doc, []Operation{{ID: "ListA", Method: "GET", Path: "/a"}})
	require.NoError(t, err)
	comps := out["components"].(map[string]any)
	assert.ElementsMatch(t, []string{"A", "B", "PType"}, keys(comps["schemas"]))
	assert.ElementsMatch(t, []string{"P"}, keys(comps["parameters"]))
	assert.ElementsMatch(t, []string{"tok"}, keys(comps["securitySchemes"]))
	assert.Equal(t, []string{"ListA"}, OperationIDs(out))
	assert.Len(t, out["tags"], 1)
	// The input is untouched.
	assert.Equal(t, "getA", doc["paths"].(map[string]any)["/a"].(map[string]any)["get"].(map[string]any)["operationId"])

	_, err = Select(doc, []Operation{{ID: "X", Method: "DELETE", Path: "/a"}})
	assert.ErrorContains(t, err, "DELETE /a not in document")
	_, err = Select(doc, []Operation{{ID: "X", Method: "GET", Path: "/nope"}})
	assert.ErrorContains(t, err, `path "/nope" not in document`)
}

func TestDowngradeTo30(t *testing.T) {
	t.Parallel()
	doc := mustDecode(t, `{"openapi": "3.1.1", "components": {"schemas": {
	  "N": {"type": ["string", "null"], "format": "date"},
	  "M": {"type": ["integer", "string"]},
	  "C": {"const": "x"},
	  "E": {"type": "integer", "examples": [3, 4], "exclusiveMinimum": 0}
	}}}`)
	DowngradeTo30(doc)
	s := doc["components"].(map[string]any)["schemas"].(map[string]any)
	assert.Equal(t, "3.0.3", doc["openapi"])
	assert.Equal(t, map[string]any{"type": "string", "format": "date", "nullable": true}, s["N"])
	assert.Equal(t, map[string]any{"anyOf": []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}}, s["M"])
	assert.Equal(t, map[string]any{"enum": []any{"x"}}, s["C"])
	assert.Equal(t, json.Number("3"), s["E"].(map[string]any)["example"])
	assert.Equal(t, true, s["E"].(map[string]any)["exclusiveMinimum"])
	assert.Equal(t, json.Number("0"), s["E"].(map[string]any)["minimum"])
}

func TestApplyOverlayIsStrict(t *testing.T) {
	t.Parallel()
	base := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}}}`
	tests := []struct {
		name    string
		overlay string
		wantErr string
		check   func(t *testing.T, doc map[string]any)
	}{
		{
			name: "update",
			overlay: `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/a'].get
    update: {summary: fixed}`,
			check: func(t *testing.T, doc map[string]any) {
				assert.Equal(t, "fixed", doc["paths"].(map[string]any)["/a"].(map[string]any)["get"].(map[string]any)["summary"])
			},
		},
		{
			name: "target that matches nothing",
			overlay: `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/gone'].get
    update: {summary: fixed}`,
			wantErr: "did not match any targets",
		},
		{
			name: "update that changes nothing",
			overlay: `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/a'].get
    update: {operationId: a}`,
			wantErr: "does nothing",
		},
		{name: "not an overlay", overlay: "actions: 3", wantErr: "overlay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := ApplyOverlay(mustDecode(t, base), []byte(tt.overlay))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, out)
		})
	}
}

func TestAssembleIONOS(t *testing.T) {
	t.Parallel()
	doc := func(path, method, schema string) string {
		return fmt.Sprintf("```json\n{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"IONOS\",\"version\":\"1\"},\"tags\":[{\"name\":\"Z\"}],"+
			"\"components\":{\"schemas\":{\"S\":%s}},"+
			"\"paths\":{%q:{%q:{\"operationId\":\"op%s\",\"responses\":{\"200\":{\"description\":\"ok\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/S\"}}}}}}}}}\n```\n", schema, path, method, method)
	}
	page := "# SecondaryZones\n\n## One\n\n" + doc("/z", "get", `{"type":"string"}`) + "\n## Two\n\n" + doc("/z", "post", `{"type":"string"}`)
	b, err := AssembleIONOS([]byte(page))
	require.NoError(t, err)
	out := mustDecode(t, string(b))
	assert.Equal(t, []string{"opget", "oppost"}, OperationIDs(out))
	assert.Len(t, out["tags"], 1)
	again, err := AssembleIONOS([]byte(page))
	require.NoError(t, err)
	assert.Equal(t, b, again)

	tests := []struct{ name, page, wantErr string }{
		{"no blocks", "# nothing here", "no ```json blocks"},
		{"unterminated block", "```json\n{}", "no ```json blocks"},
		{"bad json", "```json\n{nope\n```\n", "document 1"},
		{"operation twice", doc("/z", "get", `{"type":"string"}`) + doc("/z", "get", `{"type":"string"}`), "defined twice"},
		{"conflicting component", doc("/z", "get", `{"type":"string"}`) + doc("/z", "post", `{"type":"integer"}`), "defined differently"},
		{"swagger 2", "```json\n{\"swagger\":\"2.0\",\"paths\":{}}\n```\n", "want 3.0.x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := AssembleIONOS([]byte(tt.page))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestLoadSourcesRejectsBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, wantErr string }{
		{"unknown field", `{"providers":[],"extra":1}`, "unknown field"},
		{"no operations", `{"providers":[{"name":"x","package":"xapi","format":"json","vendored":"a","overlay":"b","prepared":"c","operations":[]}]}`, "no operations"},
		{"duplicate operation", `{"providers":[{"name":"x","package":"xapi","format":"json","vendored":"a","overlay":"b","prepared":"c","operations":[{"id":"A","method":"GET","path":"/a"},{"id":"B","method":"GET","path":"/a"}]}]}`, "listed twice"},
		{"unknown format", `{"providers":[{"name":"x","package":"xapi","format":"xml","vendored":"a","overlay":"b","prepared":"c","operations":[{"id":"A","method":"GET","path":"/a"}]}]}`, "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := filepath.Join(t.TempDir(), "sources.json")
			require.NoError(t, os.WriteFile(f, []byte(tt.body), 0o644))
			_, err := LoadSources(f)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

// BenchmarkPrepareCloudflare measures preparation of the vendored Cloudflare
// document (4 MB), and of one five times its size, as the live upstream file
// has grown: selection only copies what the used operations reach, so the
// cost grows with decoding, not with the overlay or validation.
func BenchmarkPrepareCloudflare(b *testing.B) {
	s := loadSources(b)
	p, err := s.Provider("cloudflare")
	require.NoError(b, err)
	raw, err := os.ReadFile(filepath.Join(root, p.Vendored))
	require.NoError(b, err)
	ov, err := os.ReadFile(filepath.Join(root, p.Overlay))
	require.NoError(b, err)
	for _, scale := range []int{1, 5} {
		in := raw
		if scale > 1 {
			in = inflate(b, raw, scale)
		}
		b.Run(fmt.Sprintf("x%d-%.1fMB", scale, float64(len(in))/1e6), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := PrepareProvider(p, in, ov); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// inflate returns a Cloudflare-like document n times the size of raw: every
// path and component is copied n-1 more times under new names.
func inflate(tb testing.TB, raw []byte, n int) []byte {
	tb.Helper()
	doc, err := Decode(raw, FormatJSON)
	require.NoError(tb, err)
	paths := doc["paths"].(map[string]any)
	comps := doc["components"].(map[string]any)["schemas"].(map[string]any)
	origPaths, origComps := snapshot(paths), snapshot(comps)
	for i := 1; i < n; i++ {
		for k, v := range origPaths {
			paths[fmt.Sprintf("/copy%d%s", i, k)] = deepCopy(v)
		}
		for k, v := range origComps {
			comps[fmt.Sprintf("copy%d_%s", i, k)] = deepCopy(v)
		}
	}
	out, err := Encode(doc)
	require.NoError(tb, err)
	return out
}

func snapshot(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func mustDecode(t testing.TB, s string) map[string]any {
	t.Helper()
	d, err := Decode([]byte(s), FormatJSON)
	require.NoError(t, err)
	return d
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

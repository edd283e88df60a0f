package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rootArgs runs the tool on the repository without the scratch build, which
// takes tens of seconds: these tests check the comparison, and the classes
// for us are then the predicted ones. scratchArgs keeps the scratch build.
func rootArgs(args ...string) []string {
	return append([]string{"-root", repoRoot, "-scratch=false"}, args...)
}

func scratchArgs(args ...string) []string { return append([]string{"-root", repoRoot}, args...) }

func TestUnchangedUpstreamIsNoDrift(t *testing.T) {
	t.Parallel()
	up := upstream(t, map[string][]byte{
		"ionos":      vendored(t, "ionos"),
		"dnsimple":   vendored(t, "dnsimple"),
		"cloudflare": vendored(t, "cloudflare"),
	})
	r := runCmd(t, rootArgs(up...)...)
	assert.Equal(t, exitNoDrift, r.code, r.stdout+r.stderr)
	for _, name := range []string{"ionos", "dnsimple", "cloudflare"} {
		assert.Contains(t, r.stdout, name+": no drift")
	}
	assert.Contains(t, r.stdout, "drift: 3 no drift (exit 0)")

	code, rep := runJSON(t, rootArgs(up...)...)
	assert.Equal(t, exitNoDrift, code)
	assert.Equal(t, statusNoDrift, rep.Result)
	for _, p := range rep.Providers {
		assert.Equal(t, statusNoDrift, p.Status, p.Name)
		assert.Equal(t, p.VendoredSHA256, p.UpstreamSHA256)
	}
}

func TestUnreachableUpstreamCannotCheck(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	dead := srv.URL
	srv.Close() // nothing listens there any more
	r := runCmd(t, rootArgs(
		"-timeout", "10s",
		"-upstream", "ionos="+dead+"/ionos",
		"-upstream", "dnsimple="+dead+"/dnsimple",
		"-upstream", "cloudflare="+dead+"/cloudflare",
	)...)
	assert.Equal(t, exitCannotCheck, r.code, r.stdout+r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 4, r.stdout) // one per provider, then the summary
	for i, name := range []string{"ionos", "dnsimple", "cloudflare"} {
		assert.True(t, strings.HasPrefix(lines[i], name+": could not check: "), lines[i])
	}
	assert.Equal(t, "drift: 3 could not check (exit 3)", lines[3])
}

func TestHTTPErrorsAndSizeCapCannotCheck(t *testing.T) {
	t.Parallel()
	up := upstream(t, map[string][]byte{"dnsimple": vendored(t, "dnsimple")})
	r := runCmd(t, rootArgs(append(up, "-max-bytes", "1000", "dnsimple")...)...)
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stdout, "dnsimple: could not check: ")
	assert.Contains(t, r.stdout, "-max-bytes")

	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	r = runCmd(t, rootArgs("-upstream", "ionos="+srv.URL+"/gone", "ionos")...)
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stdout, "ionos: could not check: GET "+srv.URL+"/gone: HTTP 404")

	// An HTML error page where the spec should be cannot be read either.
	r = runCmd(t, rootArgs("-upstream", "cloudflare="+writeTemp(t, "<html>maintenance</html>"), "cloudflare")...)
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stdout, "cloudflare: could not check: upstream document from ")
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "upstream")
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	return p
}

func TestRenamedPathParameterIsMaintenance(t *testing.T) {
	t.Parallel()
	const oldPath, newPath = "/secondaryzones/{secondaryZoneId}/axfr", "/secondaryzones/{zoneId}/axfr"
	doc := mutated(t, "ionos", func(doc map[string]any) { renamePaths(doc, map[string]string{oldPath: newPath}) })
	code, rep := runJSON(t, rootArgs(append(upstream(t, map[string][]byte{"ionos": doc}), "ionos")...)...)
	assert.Equal(t, exitNonBreaking, code)
	p := providerOf(t, rep, "ionos")
	assert.Equal(t, statusNonBreaking, p.Status)
	require.Len(t, p.Changes, 2, "one line per operation, nothing else: the parameter's name is not on the wire")
	for _, op := range []string{"GetZoneTransferStatus", "StartZoneTransfer"} {
		c := findChange(t, p, idPathRenamed, op)
		assert.False(t, c.Breaking)
		assert.Equal(t, oursMaintenance, c.Ours)
		assert.Equal(t, wireNonBreaking, c.Wire)
		assert.Equal(t, oldPath, c.Path)
		assert.Contains(t, c.Text, newPath)
	}
	assert.Equal(t, outside{}, *p.Outside, "the renamed path is a used one, not an outside change")

	md := filepath.Join(t.TempDir(), "report.md")
	r := runCmd(t, rootArgs(append(upstream(t, map[string][]byte{"ionos": doc}), "-markdown", md, "ionos")...)...)
	assert.Equal(t, exitNonBreaking, r.code)
	b, err := os.ReadFile(md)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "**Spec-drift check: 1 maintenance** (exit 1)\n\n| provider | breaking for us | maintenance | no action | status |\n"), string(b))
	assert.Contains(t, string(b), "| ionos | 0 | 2 | 0 | maintenance |")
	assert.Contains(t, string(b), "**GET /secondaryzones/{secondaryZoneId}/axfr (GetZoneTransferStatus)**\n\n- **maintenance?** (wire: non-breaking) `sdk-path-parameters-renamed` path parameters renamed upstream: now "+newPath)
}

func TestRemovedResponsePropertyIsBreaking(t *testing.T) {
	t.Parallel()
	// Optional in IONOS (oasdiff: INFO, but the generated field disappears),
	// required in DNSimple (oasdiff: ERR).
	ionos := mutated(t, "ionos", func(doc map[string]any) {
		if comps, ok := doc["components"].(map[string]any); ok {
			if m, ok := comps["schemas"].(map[string]any)["Metadata"].(map[string]any); ok {
				delete(m["properties"].(map[string]any), "lastModifiedBy")
			}
		}
	})
	dnsimple := mutated(t, "dnsimple", func(doc map[string]any) {
		zone := obj(t, doc, "components", "schemas", "Zone")
		delete(obj(t, zone, "properties"), "last_transferred_at")
		var req []any
		for _, r := range zone["required"].([]any) {
			if r != "last_transferred_at" {
				req = append(req, r)
			}
		}
		zone["required"] = req
	})
	code, rep := runJSON(t, rootArgs(append(upstream(t, map[string][]byte{"ionos": ionos, "dnsimple": dnsimple}), "ionos", "dnsimple")...)...)
	assert.Equal(t, exitBreaking, code)

	c := findChange(t, providerOf(t, rep, "ionos"), "response-optional-property-removed", "GetSecondaryZone")
	assert.True(t, c.Breaking)
	assert.Equal(t, "info", c.Level)
	assert.Contains(t, c.Text, "lastModifiedBy")

	c = findChange(t, providerOf(t, rep, "dnsimple"), "response-required-property-removed", "GetZone")
	assert.True(t, c.Breaking)
	assert.Equal(t, "GET", c.Method)
	assert.Equal(t, "/{account}/zones/{zone}", c.Path)
	assert.Contains(t, c.Text, "last_transferred_at")
}

func TestNewRequiredRequestFieldIsBreaking(t *testing.T) {
	t.Parallel()
	doc := mutated(t, "dnsimple", func(doc map[string]any) {
		schema := obj(t, doc, "components", "requestBodies", "PrimaryServerCreate", "content", "application/json", "schema")
		obj(t, schema, "properties")["zone_hint"] = map[string]any{"type": "string"}
		req, _ := schema["required"].([]any)
		schema["required"] = append(req, "zone_hint")
	})
	code, rep := runJSON(t, rootArgs(append(upstream(t, map[string][]byte{"dnsimple": doc}), "dnsimple")...)...)
	assert.Equal(t, exitBreaking, code)
	c := findChange(t, providerOf(t, rep, "dnsimple"), "new-required-request-property", "CreatePrimaryServer")
	assert.True(t, c.Breaking)
	assert.Contains(t, c.Text, "zone_hint")
}

func TestNewEnumValueIsNonBreaking(t *testing.T) {
	t.Parallel()
	// Cloudflare: in a request (oasdiff: INFO). IONOS: in responses (oasdiff:
	// ERR, but generated enums are string types that carry a new value).
	cloudflare := mutated(t, "cloudflare", func(doc map[string]any) {
		s := obj(t, doc, "components", "schemas", "zones_type")
		s["enum"] = append(s["enum"].([]any), "internal")
	})
	ionos := mutated(t, "ionos", func(doc map[string]any) {
		if comps, ok := doc["components"].(map[string]any); ok {
			if s, ok := comps["schemas"].(map[string]any)["ProvisioningState"].(map[string]any); ok {
				s["enum"] = append(s["enum"].([]any), "SUSPENDED")
			}
		}
	})
	up := upstream(t, map[string][]byte{"cloudflare": cloudflare, "ionos": ionos})
	code, rep := runJSON(t, rootArgs(append(up, "cloudflare", "ionos")...)...)
	assert.Equal(t, exitNonBreaking, code)
	assert.Equal(t, statusNonBreaking, rep.Result)

	cf := providerOf(t, rep, "cloudflare")
	assert.Equal(t, statusNonBreaking, cf.Status)
	c := findChange(t, cf, "request-property-enum-value-added", "CreateZone")
	assert.False(t, c.Breaking)
	assert.Contains(t, c.Text, "internal")

	io := providerOf(t, rep, "ionos")
	assert.Equal(t, statusNonBreaking, io.Status)
	c = findChange(t, io, "response-property-enum-value-added", "GetSecondaryZone")
	assert.False(t, c.Breaking)
	assert.NotEqual(t, "info", c.Level, "oasdiff rates it as a client-breaking change")

	// The same report as text (rendered, not checked again: Cloudflare's
	// document is large).
	var text strings.Builder
	require.NoError(t, rep.writeText(&text))
	assert.Contains(t, text.String(), "cloudflare: maintenance: 0 breaking for us, 4 maintenance, 0 no action")
	assert.Contains(t, text.String(), "  POST /zones (CreateZone)\n    maintenance? (wire: non-breaking): added the new `internal` enum value to the request property `type`\n")
	assert.Contains(t, text.String(), "drift: 2 maintenance (exit 1)")
}

func TestChangesOutsideTheSelectionAreOneLine(t *testing.T) {
	t.Parallel()
	doc := mutated(t, "dnsimple", func(doc map[string]any) {
		paths := obj(t, doc, "paths")
		// A new method on a path the SDK uses: outside until listed in
		// specs/sources.json.
		obj(t, paths, "/{account}/domains/{domain}")["patch"] = map[string]any{
			"operationId": "updateDomain",
			"responses":   map[string]any{"200": map[string]any{"description": "OK"}},
		}
		// A new path.
		const newPath = "/{account}/drift_test_new"
		require.NotContains(t, paths, newPath)
		paths[newPath] = map[string]any{"get": map[string]any{
			"operationId": "driftTestNew",
			"responses":   map[string]any{"200": map[string]any{"description": "OK"}},
		}}
		// A changed and a removed operation the SDK does not use.
		obj(t, paths, "/accounts", "get")["summary"] = "List accounts, reworded"
		delete(obj(t, paths, "/{account}/pushes/{push}"), "delete")
	})
	up := upstream(t, map[string][]byte{"dnsimple": doc})
	r := runCmd(t, rootArgs(append(up, "dnsimple")...)...)
	assert.Equal(t, exitNoDrift, r.code, r.stdout+r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3, r.stdout)
	assert.True(t, strings.HasPrefix(lines[0], "dnsimple: no action: 0 breaking for us, 0 maintenance, 0 no action"), lines[0])
	assert.Equal(t, "  outside the SDK's operations upstream: 1 path added, 0 removed; 2 operations added, 1 removed, 1 changed", lines[1])
	assert.Equal(t, "drift: 1 no action (nothing we use changed) (exit 0)", lines[2])

	_, rep := runJSON(t, rootArgs(append(up, "dnsimple")...)...)
	p := providerOf(t, rep, "dnsimple")
	assert.Equal(t, statusOutsideOnly, p.Status)
	assert.Empty(t, p.Changes)
	assert.Equal(t, outside{PathsAdded: 1, OperationsAdded: 2, OperationsRemoved: 1, OperationsChanged: 1}, *p.Outside)
}

func TestOverlayActionWithoutTargetIsOneLine(t *testing.T) {
	t.Parallel()
	// The DNSimple overlay removes Domain.expires_on and adds it back as a
	// nullable date. Upstream dropping the property leaves the removal
	// without a target: one line says which action, and as the next action
	// still adds the property, the prepared operations are otherwise the same.
	doc := mutated(t, "dnsimple", func(doc map[string]any) {
		delete(obj(t, doc, "components", "schemas", "Domain", "properties"), "expires_on")
	})
	code, rep := runJSON(t, rootArgs(append(upstream(t, map[string][]byte{"dnsimple": doc}), "dnsimple")...)...)
	assert.Equal(t, exitNonBreaking, code)
	p := providerOf(t, rep, "dnsimple")
	require.Len(t, p.Changes, 1, "%+v", p.Changes)
	c := p.Changes[0]
	assert.Equal(t, idOverlayUnused, c.ID)
	assert.Equal(t, oursMaintenance, c.Ours)
	assert.Equal(t, wireNone, c.Wire)
	assert.Equal(t, "overlay action 9 ($.components.schemas.Domain.properties.expires_on) matches nothing upstream (fixed there?): drop it from specs/dnsimple/overlay.yaml", c.Text)

	// Upstream dropping a property the overlay does not touch is still found
	// next to a dead action.
	doc = mutated(t, "dnsimple", func(doc map[string]any) {
		props := obj(t, doc, "components", "schemas", "Domain", "properties")
		delete(props, "expires_on")
		delete(props, "auto_renew")
	})
	_, rep = runJSON(t, rootArgs(append(upstream(t, map[string][]byte{"dnsimple": doc}), "dnsimple")...)...)
	p = providerOf(t, rep, "dnsimple")
	findChange(t, p, idOverlayUnused, "")
	c = findChange(t, p, "response-required-property-removed", "GetDomain")
	assert.Contains(t, c.Text, "auto_renew")
}

func TestBreakingDriftOutranksUncheckedProviders(t *testing.T) {
	t.Parallel()
	ionos := mutated(t, "ionos", func(doc map[string]any) {
		if item, ok := obj(t, doc, "paths")["/secondaryzones/{secondaryZoneId}"].(map[string]any); ok {
			delete(item, "delete")
		}
	})
	up := upstream(t, map[string][]byte{"ionos": ionos, "dnsimple": vendored(t, "dnsimple")})
	r := runCmd(t, rootArgs(append(up, "-upstream", "cloudflare="+filepath.Join(t.TempDir(), "missing.json"))...)...)
	assert.Equal(t, exitBreaking, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "ionos: BREAKING FOR US: 1 breaking for us, 0 maintenance, 0 no action")
	assert.Contains(t, r.stdout, "  DELETE /secondaryzones/{secondaryZoneId} (DeleteSecondaryZone)\n    breaking for us? (wire: breaking): api removed without deprecation\n")
	assert.Contains(t, r.stdout, "dnsimple: no drift")
	assert.Contains(t, r.stdout, "cloudflare: could not check: ")
	assert.Contains(t, r.stdout, "drift: 1 breaking for us, 1 could not check, 1 no drift (exit 2)")
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-no-such-flag"},
		{"-upstream", "no-equals-sign"},
		{"-upstream", "nosuchprovider=http://127.0.0.1:1/x"},
		{"nosuchprovider"},
		{"-no-generate"},
		{"-timeout", "0s"},
	} {
		r := runCmd(t, rootArgs(args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.stderr)
		assert.NotEmpty(t, r.stderr, args)
		assert.Empty(t, r.stdout, args)
	}
	r := runCmd(t, "-h")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stderr, "usage: drift")

	r = runCmd(t, "-root", t.TempDir())
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stderr, "drift: could not check: ")
}

func TestEnvironmentOverridesUpstream(t *testing.T) {
	t.Parallel()
	up := upstream(t, map[string][]byte{"ionos": vendored(t, "ionos")})
	url := strings.TrimPrefix(up[1], "ionos=")
	d := defaultDeps
	d.getenv = func(k string) string {
		if k == "SECONDARYDNS_DRIFT_IONOS_URL" {
			return url
		}
		return ""
	}
	r := runWith(t, d, rootArgs("ionos")...)
	assert.Equal(t, exitNoDrift, r.code, r.stdout)
	assert.Contains(t, r.stdout, "ionos: no drift")

	// The flag wins over the variable.
	r = runWith(t, d, rootArgs("-upstream", "ionos="+filepath.Join(t.TempDir(), "missing"), "ionos")...)
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Equal(t, "SECONDARYDNS_DRIFT_CLOUDFLARE_URL", envName("cloudflare"))
}

func TestMatchOperations(t *testing.T) {
	t.Parallel()
	ops := []specprep.Operation{
		{ID: "Same", Method: "GET", Path: "/a/{id}", UpstreamID: "getA"},
		{ID: "Renamed", Method: "PUT", Path: "/b/{id}", UpstreamID: "putB"},
		{ID: "Moved", Method: "POST", Path: "/c", UpstreamID: "postC"},
		{ID: "Gone", Method: "DELETE", Path: "/d", UpstreamID: "deleteD"},
	}
	doc := map[string]any{"paths": map[string]any{
		"/a/{id}":       map[string]any{"get": map[string]any{"operationId": "getA"}},
		"/b/{bId}":      map[string]any{"put": map[string]any{"operationId": "putB"}},
		"/v2/c":         map[string]any{"post": map[string]any{"operationId": "postC"}},
		"/d/{optional}": map[string]any{"delete": map[string]any{"operationId": "other"}},
	}}
	got, changes := matchOperations(ops, doc)
	require.Len(t, got, 3, "the operation found neither way is left for the comparison to report")
	assert.Equal(t, ops[0], got[0])
	assert.Equal(t, "/b/{bId}", got[1].Path)
	assert.Equal(t, "Renamed", got[1].ID)
	assert.Equal(t, "/v2/c", got[2].Path)
	require.Len(t, changes, 2)
	assert.Equal(t, idPathRenamed, changes[0].ID)
	assert.Equal(t, "/b/{id}", changes[0].Path)
	assert.Equal(t, idOperationMoved, changes[1].ID)
	assert.Contains(t, changes[1].Text, "POST /v2/c")
	assert.Equal(t, wireNonBreaking, changes[0].Wire, "parameter names are not on the wire")
	assert.Equal(t, wireBreaking, changes[1].Wire, "the request goes to another path")
}

package main

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The mutations below rebuild, from the vendored Cloudflare document, the
// kinds of change a year of upstream history brought: schemas renamed with
// their shape kept, path parameters renamed, an enum dropped from a list
// parameter, a required envelope field made optional, an upstream fix that
// leaves an overlay action without a target, and a switch to YAML.

// renameSchemas renames components.schemas entries and every reference to
// them (old name → new name).
func renameSchemas(t *testing.T, doc map[string]any, names map[string]string) {
	t.Helper()
	schemas := obj(t, doc, "components", "schemas")
	for from, to := range names {
		s, ok := schemas[from]
		require.Truef(t, ok, "no schema %s", from)
		delete(schemas, from)
		schemas[to] = s
	}
	specprep.WalkMaps(doc, func(m map[string]any) {
		if ref, ok := m["$ref"].(string); ok {
			if name, ok := strings.CutPrefix(ref, "#/components/schemas/"); ok && names[name] != "" {
				m["$ref"] = "#/components/schemas/" + names[name]
			}
		}
	})
}

// renamePathParam renames a path parameter in every path that has it, and
// returns how many used operations (per the sources file) it touched.
func renamePathParam(t *testing.T, doc map[string]any, from, to string) {
	t.Helper()
	paths := obj(t, doc, "paths")
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		if !strings.Contains(p, "{"+from+"}") {
			continue
		}
		item := paths[p]
		delete(paths, p)
		paths[strings.ReplaceAll(p, "{"+from+"}", "{"+to+"}")] = item
		specprep.WalkMaps(item, func(m map[string]any) {
			if m["in"] == "path" && m["name"] == from {
				m["name"] = to
			}
		})
	}
}

// dropParamEnum removes the enum of a parameter of one operation.
func dropParamEnum(t *testing.T, doc map[string]any, path, method, name string) {
	t.Helper()
	op := obj(t, doc, "paths", path, method)
	for _, p := range op["parameters"].([]any) {
		if pm := p.(map[string]any); pm["name"] == name {
			delete(pm["schema"].(map[string]any), "enum")
			return
		}
	}
	t.Fatalf("no parameter %s on %s %s", name, method, path)
}

// dropRequired makes a schema's property optional.
func dropRequired(t *testing.T, doc map[string]any, schema, prop string) {
	t.Helper()
	s := obj(t, doc, "components", "schemas", schema)
	var kept []any
	for _, r := range s["required"].([]any) {
		if r != prop {
			kept = append(kept, r)
		}
	}
	require.Less(t, len(kept), len(s["required"].([]any)), "%s.%s was not required", schema, prop)
	s["required"] = kept
}

// asYAML re-encodes a JSON document as YAML.
func asYAML(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	b, err := yaml.Marshal(v)
	require.NoError(t, err)
	return b
}

// Renames that keep every schema whose generated type our code names, and
// every schema the overlay names: upstream renamed these in a year.
var cfRenames = map[string]string{
	"secondary-dns_messages":                       "dns-secondary_messages",
	"zones_messages":                               "zones_api-messages",
	"secondary-dns_time":                           "dns-secondary_timestamp",
	"secondary-dns_api-response-common":            "dns-secondary_api-response-common",
	"zones_api-response-common":                    "zones_api-response-common-v2",
	"secondary-dns_api-response-collection":        "dns-secondary_api-response-collection",
	"secondary-dns_api-response-single":            "dns-secondary_api-response-single",
	"secondary-dns_components-schemas-id_response": "dns-secondary_peer-id-response",
	"secondary-dns_schemas-id_response":            "dns-secondary_tsig-id-response",
	"zones_name":                                   "zones_zone-name",
	"zones_identifier":                             "zones_zone-identifier",
}

// cfPathParamRenames rename the path parameters of 22 of the 24 used
// operations (all but ListZones and CreateZone).
var cfPathParamRenames = [][2]string{
	{"zone_id", "zone_identifier"},
	{"account_id", "account_identifier"},
}

// cfYear applies a year of reconstructed upstream history to doc.
func cfYear(t *testing.T, doc map[string]any) {
	t.Helper()
	renameSchemas(t, doc, cfRenames)
	for _, r := range cfPathParamRenames {
		renamePathParam(t, doc, r[0], r[1])
	}
	dropParamEnum(t, doc, "/zones", "get", "status")
	dropRequired(t, doc, "secondary-dns_api-response-common-failure", "result")
	// Upstream fixed the body-less force_axfr: the overlay action that
	// removed the body now matches nothing.
	delete(obj(t, doc, "paths", "/zones/{zone_identifier}/secondary_dns/force_axfr", "post"), "requestBody")
	// A new optional zone property, and a description reworded.
	obj(t, doc, "components", "schemas", "zones_zone", "properties")["cname_suffix"] = map[string]any{
		"type": "string", "description": "The custom CNAME suffix of the zone.",
	}
	obj(t, doc, "components", "schemas", "secondary-dns_ip")["description"] = "IPv4 or IPv6 address of the peer."
	// A validation limit the generated code does not carry.
	obj(t, doc, "components", "schemas", "secondary-dns_acl_components-schemas-name")["maxLength"] = 255
}

var yearOut = flag.String("year.out", "", "write the reconstructed year of Cloudflare history to `FILE` (JSON) and FILE.yaml, and do nothing else")

// TestWriteCloudflareYear writes the reconstructed history for a manual run
// of the tool (docs/DRIFT.md); it is skipped without -year.out.
func TestWriteCloudflareYear(t *testing.T) {
	if *yearOut == "" {
		t.Skip("-year.out not set")
	}
	b := mutated(t, "cloudflare", func(doc map[string]any) { cfYear(t, doc) })
	require.NoError(t, os.WriteFile(*yearOut, b, 0o644))
	require.NoError(t, os.WriteFile(*yearOut+".yaml", asYAML(t, b), 0o644))
}

// cfPruned returns the vendored Cloudflare document cut down to the used
// paths and the components they reach (the full file is 4 MB, slow to
// decode under -race), with mutate applied. The cut is outside the used
// operations, so only the one-line outside summary notices it.
func cfPruned(t *testing.T, mutate func(doc map[string]any)) []byte {
	t.Helper()
	return mutated(t, "cloudflare", func(doc map[string]any) {
		s, err := specprep.LoadSources(filepath.Join(repoRoot, "specs/sources.json"))
		require.NoError(t, err)
		p, err := s.Provider("cloudflare")
		require.NoError(t, err)
		paths := obj(t, doc, "paths")
		used := map[string]bool{}
		for _, op := range p.Operations {
			used[op.Path] = true
		}
		for k := range paths {
			if !used[k] {
				delete(paths, k)
			}
		}
		comps := obj(t, doc, "components")
		keep := map[string]bool{}
		queue := []any{paths}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			specprep.WalkMaps(n, func(m map[string]any) {
				ref, _ := m["$ref"].(string)
				sec, name, ok := splitRef(ref)
				if !ok || keep[sec+"/"+name] {
					return
				}
				keep[sec+"/"+name] = true
				if c, ok := comps[sec].(map[string]any)[name]; ok {
					queue = append(queue, c)
				}
			})
		}
		// The overlay names some schemas no operation references upstream.
		for _, name := range []string{"secondary-dns_peers", "secondary-dns_soa_serial", "secondary-dns_port", "secondary-dns_auto_refresh_seconds"} {
			keep["schemas/"+name] = true
		}
		for sec, v := range comps {
			if m, ok := v.(map[string]any); ok && sec != "securitySchemes" {
				for name := range m {
					if !keep[sec+"/"+name] {
						delete(m, name)
					}
				}
			}
		}
		mutate(doc)
	})
}

// cfRun runs the tool on a mutated Cloudflare document and returns the exit
// code and the provider's report.
func cfRun(t *testing.T, args func(...string) []string, raw []byte) (int, *providerReport) {
	t.Helper()
	code, rep := runJSON(t, args(append(upstream(t, map[string][]byte{"cloudflare": raw}), "cloudflare")...)...)
	return code, providerOf(t, rep, "cloudflare")
}

// classes counts a provider's changes per class for us, and per check ID.
func classes(p *providerReport) (map[string]int, map[string]int) {
	ours, ids := map[string]int{}, map[string]int{}
	for _, c := range p.Changes {
		ours[c.Ours]++
		ids[c.ID]++
	}
	return ours, ids
}

// usedOps counts the Cloudflare operations of the sources file whose path
// contains sub.
func usedOps(t *testing.T, sub string) int {
	t.Helper()
	s, err := specprep.LoadSources(filepath.Join(repoRoot, "specs/sources.json"))
	require.NoError(t, err)
	p, err := s.Provider("cloudflare")
	require.NoError(t, err)
	n := 0
	for _, op := range p.Operations {
		if strings.Contains(op.Path, sub) {
			n++
		}
	}
	return n
}

func TestSchemaRenameWithSameShapeReportsNothing(t *testing.T) {
	t.Parallel()
	raw := cfPruned(t, func(doc map[string]any) { renameSchemas(t, doc, cfRenames) })
	code, p := cfRun(t, rootArgs, raw)
	assert.Equal(t, exitNoDrift, code)
	assert.Equal(t, statusOutsideOnly, p.Status)
	assert.Empty(t, p.Changes, "renamed components with the same shape are no change")
}

func TestPathParameterRenameIsMaintenanceOnce(t *testing.T) {
	t.Parallel()
	raw := cfPruned(t, func(doc map[string]any) { renamePathParam(t, doc, "account_id", "account_identifier") })
	code, p := cfRun(t, rootArgs, raw)
	assert.Equal(t, exitNonBreaking, code)
	n := usedOps(t, "{account_id}")
	require.Equal(t, 15, n)
	require.Len(t, p.Changes, n, "one line per operation; overlay targets follow the rename")
	for _, c := range p.Changes {
		assert.Equal(t, idPathRenamed, c.ID)
		assert.Equal(t, oursMaintenance, c.Ours)
		assert.Equal(t, wireNonBreaking, c.Wire)
		assert.Contains(t, c.Text, "{account_identifier}")
	}
}

func TestRequiredEnvelopeFieldDroppedIsReportedPerOperation(t *testing.T) {
	t.Parallel()
	raw := cfPruned(t, func(doc map[string]any) {
		dropRequired(t, doc, "secondary-dns_api-response-common-failure", "result")
	})
	code, p := cfRun(t, rootArgs, raw)
	// Predicted from oasdiff's rating, as no scratch build runs here; the
	// scratch build finds our code unaffected (TestCloudflareYear).
	assert.Equal(t, exitBreaking, code)
	n := usedOps(t, "/secondary_dns/")
	require.Len(t, p.Changes, n, "once per operation whose 4XX envelope it is: %+v", p.Changes)
	for _, c := range p.Changes {
		assert.Equal(t, "response-property-became-optional", c.ID)
		assert.Equal(t, wireBreaking, c.Wire)
		assert.Contains(t, c.Text, "`result`")
		assert.Contains(t, c.Text, "4XX")
	}
}

func TestYAMLUpstreamOfAJSONVendoredFile(t *testing.T) {
	t.Parallel()
	code, p := cfRun(t, rootArgs, asYAML(t, cfPruned(t, func(map[string]any) {})))
	assert.Equal(t, exitNonBreaking, code)
	require.Len(t, p.Changes, 1, "the same document in YAML: only the format to record")
	assert.Equal(t, idFormatChanged, p.Changes[0].ID)
	assert.Equal(t, oursMaintenance, p.Changes[0].Ours)

	// With a change, both: the change is found through the YAML.
	raw := cfPruned(t, func(doc map[string]any) { dropParamEnum(t, doc, "/zones", "get", "match") })
	code, p = cfRun(t, rootArgs, asYAML(t, raw))
	assert.Equal(t, exitNonBreaking, code)
	_, ids := classes(p)
	assert.Equal(t, map[string]int{idFormatChanged: 1, "request-parameter-became-not-enum": 1}, ids)
}

// TestEnumRemovedFromAParameterWeUseBreaksUs is the scratch build's test in
// `make test`: oasdiff rates the lost enum non-breaking, but regenerating
// deletes ListZonesParamsStatus, which facade/cloudflare uses.
func TestEnumRemovedFromAParameterWeUseBreaksUs(t *testing.T) {
	t.Parallel()
	raw := cfPruned(t, func(doc map[string]any) { dropParamEnum(t, doc, "/zones", "get", "status") })
	code, p := cfRun(t, scratchArgs, raw)
	require.Empty(t, p.ScratchError)
	assert.Equal(t, exitBreaking, code)
	require.Len(t, p.Changes, 1, "%+v", p.Changes)
	c := p.Changes[0]
	assert.Equal(t, "request-parameter-became-not-enum", c.ID)
	assert.Equal(t, "ListZones", c.Operation)
	assert.Equal(t, wireNonBreaking, c.Wire)
	assert.Equal(t, oursBreaking, c.Ours)
	assert.False(t, c.Predicted)
	assert.Contains(t, c.Why, "facade/cloudflare/")
	assert.Contains(t, c.Why, "cloudflareapi.ListZonesParamsStatus")
	assert.Positive(t, p.ScratchSeconds)
}

var slow = flag.Bool("slow", false, "run the slow scratch-build tests (make drift-test-slow)")

// TestCloudflareYear runs the whole reconstructed year through the scratch
// build and checks the report's classes and size.
func TestCloudflareYear(t *testing.T) {
	if !*slow {
		t.Skip("slow: run with -slow (make drift-test-slow)")
	}
	t.Parallel()
	raw := mutated(t, "cloudflare", func(doc map[string]any) { cfYear(t, doc) })
	code, p := cfRun(t, scratchArgs, raw)
	require.Empty(t, p.ScratchError)
	assert.Equal(t, exitBreaking, code)
	ours, ids := classes(p)
	assert.Equal(t, map[string]int{oursBreaking: 1, oursMaintenance: 46, oursNoAction: 6}, ours)
	assert.Equal(t, 1, ids[idOverlayUnused])
	assert.Equal(t, 22, ids[idPathRenamed])
	assert.Equal(t, usedOps(t, "/secondary_dns/"), ids["response-property-became-optional"])
	var text strings.Builder
	rep := &report{Providers: []*providerReport{p}}
	rep.finish()
	require.NoError(t, rep.writeText(&text))
	for _, l := range strings.Split(text.String(), "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), maxReportLine, l)
	}
}

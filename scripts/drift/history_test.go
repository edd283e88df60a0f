package main

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

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
	walkMaps(doc, func(m map[string]any) {
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
		walkMaps(item, func(m map[string]any) {
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

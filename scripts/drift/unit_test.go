package main

import (
	"strings"
	"testing"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSniffFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		raw      string
		vendored specprep.Format
		want     specprep.Format
	}{
		{"json for json", `{"openapi":"3.0.3"}`, specprep.FormatJSON, specprep.FormatJSON},
		{"yaml for json", "# comment\nopenapi: 3.1.0\ninfo: {}\n", specprep.FormatJSON, specprep.FormatYAML},
		{"quoted key", "'openapi': 3.1.0\n", specprep.FormatJSON, specprep.FormatYAML},
		{"sorted keys", "components:\n  schemas:\n" + strings.Repeat("    x: {}\n", 20000) + "openapi: 3.0.3\n", specprep.FormatJSON, specprep.FormatYAML},
		{"nested key is not the document's", "info:\n  openapi: 1\n", specprep.FormatJSON, specprep.FormatJSON},
		{"json for yaml stays yaml", "\n  {\"openapi\":\"3.0.3\"}", specprep.FormatYAML, specprep.FormatYAML},
		{"json for the ionos page", `{"openapi":"3.0.3"}`, specprep.FormatIONOSReference, specprep.FormatJSON},
		{"markdown page", "# SecondaryZones\n```json\n{}\n```\n", specprep.FormatIONOSReference, specprep.FormatIONOSReference},
		{"html error page", "<html>maintenance</html>", specprep.FormatJSON, specprep.FormatJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, sniffFormat([]byte(tc.raw), tc.vendored))
		})
	}
}

func TestNormalizeResolvesAndMerges(t *testing.T) {
	t.Parallel()
	doc := func(envelope string) map[string]any {
		return map[string]any{
			"paths": map[string]any{"/x": map[string]any{"get": map[string]any{
				"responses": map[string]any{"200": map[string]any{"content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"allOf": []any{
						map[string]any{"$ref": "#/components/schemas/" + envelope},
						map[string]any{"type": "object", "properties": map[string]any{"result": map[string]any{"$ref": "#/components/schemas/Tree"}}},
					}},
				}}}},
			}}},
			"components": map[string]any{"schemas": map[string]any{
				envelope: map[string]any{"type": "object", "required": []any{"success", "result"}, "properties": map[string]any{"success": map[string]any{"type": "boolean"}}},
				"Tree":   map[string]any{"type": "object", "properties": map[string]any{"child": map[string]any{"$ref": "#/components/schemas/Tree"}}},
			}},
		}
	}
	a, b := normalize(doc("Envelope")), normalize(doc("RenamedEnvelope"))
	assert.Equal(t, a["paths"], b["paths"], "a renamed component with the same shape is the same")
	schema := obj(t, a, "paths", "/x", "get", "responses", "200", "content", "application/json", "schema")
	assert.NotContains(t, schema, "allOf")
	assert.Equal(t, []any{"result", "success"}, schema["required"])
	tree := obj(t, schema, "properties", "result")
	assert.Equal(t, "#/components/schemas/Tree", obj(t, tree, "properties", "child")["$ref"], "a cycle keeps its reference")
}

func TestRenamePathsMapsParametersBack(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"paths": map[string]any{
		"/a/{zone_identifier}/b": map[string]any{
			"parameters": []any{map[string]any{"in": "path", "name": "zone_identifier"}},
			"get":        map[string]any{"parameters": []any{map[string]any{"in": "query", "name": "zone_identifier"}}},
		},
	}}
	renamePaths(doc, map[string]string{"/a/{zone_identifier}/b": "/a/{zone_id}/b"})
	item := obj(t, doc, "paths", "/a/{zone_id}/b")
	assert.Equal(t, "zone_id", item["parameters"].([]any)[0].(map[string]any)["name"])
	assert.Equal(t, "zone_identifier", obj(t, item, "get")["parameters"].([]any)[0].(map[string]any)["name"], "only path parameters")
}

func TestFitOverlayDropsDeadActions(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"openapi": "3.0.3", "paths": map[string]any{"/a": map[string]any{"get": map[string]any{
		"responses": map[string]any{"200": map[string]any{"description": "ok"}},
	}}}}
	overlay := []byte(`overlay: 1.0.0
info:
  title: t
  version: 1.0.0
actions:
  - target: $.paths['/a'].get
    update:
      summary: kept
  - target: $.paths['/gone'].get
    remove: true
  - target: $.paths['/a'].get.summary
    update: changed
`)
	ops := []specprep.Operation{{ID: "A", Method: "GET", Path: "/a"}}
	out, dead, err := fitOverlay(doc, ops, overlay)
	require.NoError(t, err)
	assert.Equal(t, []deadAction{{Index: 2, Target: "$.paths['/gone'].get", Remove: true}}, dead)
	assert.NotContains(t, string(out), "/gone")
	assert.Contains(t, string(out), "  - target: $.paths['/a'].get\n", "two-space indent, as the overlays are written")
	_, dead, err = fitOverlay(doc, ops, out)
	require.NoError(t, err)
	assert.Empty(t, dead)

	moved := rewriteOverlayPaths([]byte(`target: $.paths['/z/{zone_id}','/z/{zone_id}/x'].get`), map[string]string{"/z/{zone_id}": "/z/{id}"})
	assert.Equal(t, `target: $.paths['/z/{id}','/z/{zone_id}/x'].get`, string(moved))
}

const genSrc = `package api

type ListZonesParams struct { Status *ListZonesParamsStatus }
type ListZonesParamsStatus string
const (
	Active ListZonesParamsStatus = "active"
	Moved  ListZonesParamsStatus = "moved"
)
type Zone struct { Name string }
type GetZoneResponse struct { JSON200 *Zone }
type GetZoneTransferStatusResponse struct { Body []byte }
type ClientWithResponses struct{}
func (c *ClientWithResponses) ListZonesWithResponse(p *ListZonesParams) error { return nil }
func (c *ClientWithResponses) GetZoneWithResponse() (*GetZoneResponse, error) { return nil, nil }
func NewGetZoneRequest(server string) error { return nil }
`

func TestGenIndex(t *testing.T) {
	t.Parallel()
	ops := []string{"ListZones", "GetZone", "GetZoneTransferStatus"}
	idx, err := indexGenerated([]byte(genSrc), ops)
	require.NoError(t, err)
	assert.Equal(t, []string{"Active", "ClientWithResponses.ListZonesWithResponse", "ListZonesParams", "ListZonesParamsStatus", "Moved"}, idx.ops["ListZones"])
	assert.Equal(t, []string{"ListZones"}, idx.opsUsing("Active"), "constants belong to their type's operations")
	assert.Equal(t, []string{"GetZone"}, idx.opsUsing("Zone"))
	assert.Equal(t, "ListZonesParamsStatus", idx.constType["Moved"])
	assert.Equal(t, "GetZoneTransferStatus", opOfDecl("GetZoneTransferStatusResponse", ops), "the longest operation ID wins")
	assert.Equal(t, "GetZone", opOfDecl("NewGetZoneRequest", ops))
	assert.Empty(t, opOfDecl("GetZones", ops), "a name continuing the ID in lower case is another word")

	changed, err := indexGenerated([]byte(genSrc+"\ntype Extra struct{}\n"), ops)
	require.NoError(t, err)
	assert.Equal(t, idx.digest("GetZone"), changed.digest("GetZone"))
	zone, err := indexGenerated([]byte(genSrc+"\n// a comment\nfunc (z Zone) String() string { return z.Name }\n"), ops)
	require.NoError(t, err)
	assert.Equal(t, idx.digest("GetZone"), zone.digest("GetZone"), "methods on a type are not the type")
}

func TestClassifyScratchAttributes(t *testing.T) {
	t.Parallel()
	ops := []string{"ListZones", "GetZone", "GetZoneTransferStatus"}
	old, err := indexGenerated([]byte(genSrc), ops)
	require.NoError(t, err)
	refs := map[string]opRef{"ListZones": {"GET", "/zones"}, "GetZone": {"GET", "/zones/{id}"}}
	base := func() []change {
		return []change{
			{ID: "request-parameter-became-not-enum", Operation: "ListZones", Method: "GET", Path: "/zones", Text: "removed the enum constraint from the `query` request parameter `status`"},
			{ID: "response-optional-property-added", Operation: "ListZones", Method: "GET", Path: "/zones", Text: "added the optional property `result/items/cname_suffix`"},
			{ID: "response-property-max-length-set", Operation: "GetZone", Method: "GET", Path: "/zones/{id}", Text: "the `name` maxLength was set"},
			{ID: idPathRenamed, Operation: "GetZone", Method: "GET", Path: "/zones/{id}", Text: "path parameters renamed"},
		}
	}
	s := &scratchResult{Old: old, New: old, Errors: []buildError{
		{Where: "facade/cloudflare/zones.go:130", Msg: "undefined: api.ListZonesParamsStatus"},
		{Where: "test/fakes/cloudflare_test.go:432", Msg: "undefined: api.Active"},
		{Where: "facade/cloudflare/zones.go:200", Msg: "undefined: api.Zone"},
	}}
	cs := classifyScratch(base(), s, "api", refs)
	require.Len(t, cs, 4, "every error is explained by a reported change")
	assert.Equal(t, oursBreaking, cs[0].Ours, "pinned by name")
	assert.Contains(t, cs[0].Why, "ListZonesParamsStatus")
	assert.Equal(t, oursNoAction, cs[1].Ours, "the other change of the operation is not blamed; its generated code is unchanged here")
	assert.Equal(t, oursBreaking, cs[2].Ours, "GetZone's Zone is gone: its one API change is blamed, not pinned")
	assert.Contains(t, cs[2].Why, "not pinned")
	assert.Equal(t, oursMaintenance, cs[3].Ours, "the rename only needs the edits")

	// A contract test failing on an operation with no change is its own line.
	s = &scratchResult{Old: old, New: old, FailedTests: []string{"TestCloudflareContract/GetZoneTransferStatus"}}
	cs = classifyScratch(base()[:1], s, "api", map[string]opRef{"GetZoneTransferStatus": {"GET", "/t"}})
	require.Len(t, cs, 2)
	assert.Equal(t, idContractFails, cs[1].ID)
	assert.Equal(t, "GetZoneTransferStatus", cs[1].Operation)
	assert.Equal(t, oursNoAction, cs[0].Ours)
}

func TestParseBuildOutput(t *testing.T) {
	t.Parallel()
	out := "# github.com/x/facade/cloudflare\n/tmp/s/facade/cloudflare/zones.go:130:12: undefined: cloudflareapi.ListZonesParamsStatus\n" +
		"vet: test/fakes/cloudflare_test.go:432:7: undefined: cf.Active\n" +
		"/tmp/s/facade/cloudflare/zones.go:130:12: undefined: cloudflareapi.ListZonesParamsStatus\n"
	errs := parseBuildErrors("/tmp/s", out)
	assert.Equal(t, []buildError{
		{Where: "facade/cloudflare/zones.go:130", Msg: "undefined: cloudflareapi.ListZonesParamsStatus"},
		{Where: "test/fakes/cloudflare_test.go:432", Msg: "undefined: cf.Active"},
	}, errs)
	assert.Equal(t, []string{"TestCloudflareContract/GetPeer", "TestOther"},
		parseFailedTests("--- FAIL: TestCloudflareContract (0.1s)\n    --- FAIL: TestCloudflareContract/GetPeer (0.0s)\n--- FAIL: TestOther (0s)\n"))
	assert.Equal(t, "abcdefghi…", clip("abcdefghij klmnop", 10))
	assert.Equal(t, "abc def…", clip("abc def ghijklmn", 10), "on a word boundary when it can")
	assert.Equal(t, "ééééééééé…", clip("éééééééééééé", 10), "counted in characters")
}

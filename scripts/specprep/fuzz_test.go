package specprep

// Fuzz targets for the decoders of upstream (untrusted) specification text:
// the IONOS reference-page assembler and the JSON/YAML document decoder with
// the 3.1 → 3.0 downgrade applied to its output.
//
// The seed corpus of FuzzAssembleIONOS (testdata/fuzz/FuzzAssembleIONOS)
// holds the vendored page specs/ionos/reference.md, whole and trimmed to its
// first two documents. Without -fuzz the seeds run as ordinary tests.

import (
	"bytes"
	"reflect"
	"testing"
)

// fuzzMaxInput bounds the inputs the targets look at (the vendored IONOS
// page is under 40 KiB), so that the fuzzer cannot exhaust memory.
const fuzzMaxInput = 1 << 20

// FuzzAssembleIONOS checks that AssembleIONOS never panics, is
// deterministic, and that a successful result is a canonical document: it
// decodes, has paths and an OpenAPI 3.0 version, and re-encoding the decoded
// tree gives the same bytes.
func FuzzAssembleIONOS(f *testing.F) {
	f.Add([]byte("```json\n{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{\"/a\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}\n```\n"))
	f.Add([]byte("```json\n{\"openapi\":\"3.0.3\",\"paths\":{\"/a\":{\"get\":{}}}}\n```\n  ```json  \n{\"openapi\":\"3.0.1\",\"paths\":{\"/a\":{\"get\":{}}}}\n```"))
	f.Add([]byte("```json\n{\"openapi\":\"3.1.0\",\"paths\":{}}\n```\n"))
	f.Add([]byte("```json\n{\"openapi\":\"3.0.3\",\"components\":{\"schemas\":{\"A\":{\"type\":\"string\"}}},\"paths\":{}}\n```\n```json\n{\"openapi\":\"3.0.3\",\"components\":{\"schemas\":{\"A\":{\"type\":\"integer\"}}},\"paths\":{}}\n```\n"))
	f.Add([]byte("```json\n{} trailing\n```\n```json\nunclosed"))
	f.Fuzz(func(t *testing.T, page []byte) {
		if len(page) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		out, err := AssembleIONOS(page)
		out2, err2 := AssembleIONOS(page)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || !bytes.Equal(out, out2) {
			t.Fatalf("not deterministic: %v / %v, %d / %d bytes", err, err2, len(out), len(out2))
		}
		if err != nil {
			if out != nil {
				t.Fatalf("output with an error: %v", err)
			}
			return
		}
		doc, err := Decode(out, FormatJSON)
		if err != nil {
			t.Fatalf("the assembled document does not decode: %v\n%s", err, out)
		}
		if _, ok := doc["paths"].(map[string]any); !ok {
			t.Fatalf("the assembled document has no paths mapping:\n%s", out)
		}
		if v, _ := doc["openapi"].(string); len(v) < 3 || v[:3] != "3.0" {
			t.Fatalf("the assembled document has version %q", v)
		}
		again, err := Encode(doc)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("the assembled document is not canonical (%v):\n%s\n---\n%s", err, out, again)
		}
	})
}

// FuzzDecode checks that Decode never panics on JSON or YAML input, that a
// decoded JSON tree survives Encode and Decode unchanged, and that
// DowngradeTo30 accepts whatever Decode returns, leaving a tree that still
// encodes if it did before (and a 3.0 document unchanged).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"openapi":"3.1.0","components":{"schemas":{"A":{"type":["string","null"],"const":"x","examples":["a"],"exclusiveMinimum":1}}}}`), false)
	f.Add([]byte("openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      type: [integer, 'null']\n      exclusiveMaximum: 5\n"), true)
	f.Add([]byte("openapi: 3.0.3\npaths: {}\n"), true)
	f.Add([]byte("a: &x [1, 2]\nb: *x\n? [k]\n: v\n"), true)
	f.Add([]byte(`{"a":1e999,"b":-0.0,"c":"\ud800"}`), false)
	f.Fuzz(func(t *testing.T, b []byte, yaml bool) {
		if len(b) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		format := FormatJSON
		if yaml {
			format = FormatYAML
		}
		doc, err := Decode(b, format)
		if err != nil {
			return
		}
		if doc == nil {
			t.Fatal("nil document without an error")
		}
		if !yaml {
			enc, err := Encode(doc)
			if err != nil {
				t.Fatalf("a decoded JSON document does not encode: %v", err)
			}
			back, err := Decode(enc, FormatJSON)
			if err != nil || !reflect.DeepEqual(back, doc) {
				t.Fatalf("JSON round trip changed the document (%v):\n%#v\n%#v", err, doc, back)
			}
		}
		v, _ := doc["openapi"].(string)
		before, encErr := Encode(doc) // YAML may hold values JSON cannot (.nan)
		DowngradeTo30(doc)
		after, err := Encode(doc)
		if encErr == nil && err != nil {
			t.Fatalf("the downgraded document no longer encodes: %v", err)
		}
		if encErr == nil && len(v) >= 3 && v[:3] == "3.0" && !bytes.Equal(before, after) {
			t.Fatalf("DowngradeTo30 changed a %s document:\n%s\n%s", v, before, after)
		}
	})
}

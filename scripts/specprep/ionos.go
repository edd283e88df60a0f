package specprep

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// maxIONOSDocs bounds how many embedded documents AssembleIONOS accepts, so a
// hostile or broken page cannot make it work without end.
const maxIONOSDocs = 1000

// AssembleIONOS builds one OpenAPI document from the IONOS API reference page,
// which publishes one complete OpenAPI 3.0 document per operation in fenced
// ```json blocks. The documents are merged:
//
//   - openapi, info, servers and security come from the first document, and
//     every other document must agree with them;
//   - tags are united by name;
//   - components are united by section and name; two documents that define
//     the same component differently are an error, as is one operation
//     defined twice.
//
// The result is encoded with [Encode], so the same page always gives the same
// bytes.
func AssembleIONOS(page []byte) ([]byte, error) {
	blocks := jsonBlocks(page)
	if len(blocks) == 0 {
		return nil, fmt.Errorf("ionos reference: no ```json blocks found")
	}
	if len(blocks) > maxIONOSDocs {
		return nil, fmt.Errorf("ionos reference: %d documents, more than the %d accepted", len(blocks), maxIONOSDocs)
	}
	out := map[string]any{}
	for i, b := range blocks {
		doc, err := Decode(b, FormatJSON)
		if err != nil {
			return nil, fmt.Errorf("ionos reference: document %d: %w", i+1, err)
		}
		if err := mergeIONOS(out, doc); err != nil {
			return nil, fmt.Errorf("ionos reference: document %d: %w", i+1, err)
		}
	}
	if _, ok := out["paths"]; !ok {
		return nil, fmt.Errorf("ionos reference: no paths in any document")
	}
	return Encode(out)
}

// jsonBlocks returns the contents of the ```json fenced blocks of a Markdown
// page.
func jsonBlocks(page []byte) [][]byte {
	var blocks [][]byte
	lines := bytes.Split(page, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		if string(bytes.TrimSpace(lines[i])) != "```json" {
			continue
		}
		var buf bytes.Buffer
		closed := false
		for i++; i < len(lines); i++ {
			if string(bytes.TrimSpace(lines[i])) == "```" {
				closed = true
				break
			}
			buf.Write(lines[i])
			buf.WriteByte('\n')
		}
		if closed {
			blocks = append(blocks, buf.Bytes())
		}
	}
	return blocks
}

func mergeIONOS(out, doc map[string]any) error {
	if v, ok := doc["openapi"].(string); !ok || len(v) < 3 || v[:3] != "3.0" {
		return fmt.Errorf("openapi version %v, want 3.0.x", doc["openapi"])
	}
	for _, k := range []string{"openapi", "info", "servers", "security"} {
		v, ok := doc[k]
		if !ok {
			continue
		}
		if old, seen := out[k]; seen {
			if !sameJSON(old, v) {
				return fmt.Errorf("%s differs from the first document's", k)
			}
			continue
		}
		out[k] = v
	}
	// Tags, united by name, in order of first appearance.
	if tags, ok := doc["tags"].([]any); ok {
		have, _ := out["tags"].([]any)
		for _, t := range tags {
			tm, _ := t.(map[string]any)
			dup := false
			for _, h := range have {
				if hm, _ := h.(map[string]any); hm != nil && tm != nil && hm["name"] == tm["name"] {
					dup = true
				}
			}
			if !dup {
				have = append(have, t)
			}
		}
		out["tags"] = have
	}
	// Components, united by section and name.
	if comps, ok := doc["components"].(map[string]any); ok {
		oc, _ := out["components"].(map[string]any)
		if oc == nil {
			oc = map[string]any{}
			out["components"] = oc
		}
		for _, sec := range slices.Sorted(maps.Keys(comps)) {
			items, ok := comps[sec].(map[string]any)
			if !ok {
				return fmt.Errorf("components.%s is not a mapping", sec)
			}
			os, _ := oc[sec].(map[string]any)
			if os == nil {
				os = map[string]any{}
				oc[sec] = os
			}
			for _, name := range slices.Sorted(maps.Keys(items)) {
				if old, seen := os[name]; seen {
					if !sameJSON(old, items[name]) {
						return fmt.Errorf("components.%s.%s is defined differently by two documents", sec, name)
					}
					continue
				}
				os[name] = items[name]
			}
		}
	}
	// Paths and operations.
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return fmt.Errorf("document has no paths")
	}
	op, _ := out["paths"].(map[string]any)
	if op == nil {
		op = map[string]any{}
		out["paths"] = op
	}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item, ok := paths[p].(map[string]any)
		if !ok {
			return fmt.Errorf("path %s is not a mapping", p)
		}
		oi, _ := op[p].(map[string]any)
		if oi == nil {
			oi = map[string]any{}
			op[p] = oi
		}
		for _, k := range slices.Sorted(maps.Keys(item)) {
			if old, seen := oi[k]; seen {
				if slices.Contains(methods, k) {
					return fmt.Errorf("operation %s %s is defined twice", k, p)
				}
				if !sameJSON(old, item[k]) {
					return fmt.Errorf("path %s: %s differs between documents", p, k)
				}
				continue
			}
			oi[k] = item[k]
		}
	}
	return nil
}

// sameJSON reports whether two decoded trees are equal.
func sameJSON(a, b any) bool {
	return reflect.DeepEqual(a, b)
}

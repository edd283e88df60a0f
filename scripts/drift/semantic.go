package main

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
)

// sniffFormat tells how an upstream file is encoded, whatever the vendored
// copy's format: a JSON document starts with '{' (and is read as YAML where
// the vendored file is YAML, which needs no change); a YAML document has a
// top-level "openapi" (or "swagger") key. Anything else is taken to be in the
// vendored format (the IONOS reference page, or a broken file that then fails
// to decode with a clear error).
func sniffFormat(raw []byte, vendored specprep.Format) specprep.Format {
	trimmed := bytes.TrimLeft(raw, " \t\r\n\ufeff")
	if bytes.HasPrefix(trimmed, []byte("{")) {
		if vendored == specprep.FormatYAML {
			return vendored // JSON is YAML: nothing to change
		}
		return specprep.FormatJSON
	}
	if yamlOpenAPI.Match(raw) {
		return specprep.FormatYAML
	}
	return vendored
}

// yamlOpenAPI finds the top-level "openapi:" (or "swagger:") key of a YAML
// document anywhere in it (keys may be sorted: components first), without
// parsing the document twice.
var yamlOpenAPI = regexp.MustCompile(`(?m)^["']?(openapi|swagger)["']?\s*:`)

// normalize rewrites a prepared document for a semantic comparison: every
// local $ref is replaced by a copy of what it points to (a reference that
// leads back into itself is left in place), and every allOf whose members are
// all plain object schemas is merged into one schema (properties united,
// required lists united). Schema names then no longer matter: renaming or
// moving a component without changing its shape changes nothing, and a
// property that stops being required in an envelope shows as exactly that.
// Components stay (for the references kept in cycles), but the comparison
// ignores component-level findings.
func normalize(doc map[string]any) map[string]any {
	comps, _ := doc["components"].(map[string]any)
	var inline func(v any, stack []string) any
	inline = func(v any, stack []string) any {
		switch t := v.(type) {
		case map[string]any:
			if ref, ok := t["$ref"].(string); ok {
				sec, name, ok := splitRef(ref)
				if !ok || slices.Contains(stack, sec+"/"+name) {
					return t
				}
				s, _ := comps[sec].(map[string]any)
				target, ok := s[name]
				if !ok {
					return t
				}
				return inline(target, append(stack, sec+"/"+name))
			}
			m := make(map[string]any, len(t))
			for k, e := range t {
				m[k] = inline(e, stack)
			}
			return mergeAllOf(m)
		case []any:
			l := make([]any, len(t))
			for i, e := range t {
				l[i] = inline(e, stack)
			}
			return l
		}
		return v
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	out["paths"] = inline(doc["paths"], nil)
	return out
}

// splitRef splits "#/components/schemas/Foo" (JSON pointer escapes undone).
func splitRef(ref string) (section, name string, ok bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return "", "", false
	}
	section, name, ok = strings.Cut(rest, "/")
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	return section, name, ok
}

// mergeAllOf merges m's allOf into m when every member is a plain object
// schema (no composition of its own, no conflicting type).
func mergeAllOf(m map[string]any) map[string]any {
	all, ok := m["allOf"].([]any)
	if !ok {
		return m
	}
	for _, e := range all {
		s, ok := e.(map[string]any)
		if !ok {
			return m
		}
		for _, k := range []string{"$ref", "oneOf", "anyOf", "not", "items"} {
			if _, ok := s[k]; ok {
				return m
			}
		}
		if ty, ok := s["type"]; ok && ty != "object" {
			return m
		}
	}
	merged := map[string]any{}
	for k, v := range m {
		if k != "allOf" {
			merged[k] = v
		}
	}
	props, _ := merged["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	req := map[string]bool{}
	addReq := func(v any) {
		l, _ := v.([]any)
		for _, r := range l {
			if s, ok := r.(string); ok {
				req[s] = true
			}
		}
	}
	addReq(merged["required"])
	for _, e := range all {
		s := e.(map[string]any)
		for k, v := range s {
			switch k {
			case "properties":
				pm, _ := v.(map[string]any)
				maps.Copy(props, pm)
			case "required":
				addReq(v)
			default:
				if _, set := merged[k]; !set {
					merged[k] = v
				}
			}
		}
	}
	merged["type"] = "object"
	if len(props) > 0 {
		merged["properties"] = props
	}
	if len(req) > 0 {
		var l []any
		for _, r := range slices.Sorted(maps.Keys(req)) {
			l = append(l, r)
		}
		merged["required"] = l
	} else {
		delete(merged, "required")
	}
	return merged
}

// renamePaths rewrites a prepared document's paths from upstream's spelling
// back to the vendored one (path-parameter renames and moved operations), and
// the path parameters' names with them, so that the comparison sees the same
// operation on both sides. renames maps upstream path → vendored path.
func renamePaths(doc map[string]any, renames map[string]string) {
	if len(renames) == 0 {
		return
	}
	paths, _ := doc["paths"].(map[string]any)
	for up, vend := range renames {
		item, ok := paths[up].(map[string]any)
		if !ok {
			continue
		}
		delete(paths, up)
		names := map[string]string{}
		upNames, vendNames := pathParam.FindAllString(up, -1), pathParam.FindAllString(vend, -1)
		if len(upNames) == len(vendNames) {
			for i := range upNames {
				names[strings.Trim(upNames[i], "{}")] = strings.Trim(vendNames[i], "{}")
			}
		}
		specprep.WalkMaps(item, func(m map[string]any) {
			if m["in"] == "path" {
				if n, ok := m["name"].(string); ok && names[n] != "" {
					m["name"] = names[n]
				}
			}
		})
		if existing, ok := paths[vend].(map[string]any); ok {
			maps.Copy(existing, item)
		} else {
			paths[vend] = item
		}
	}
}

// maxLine is the longest change text the report prints.
const maxLine = 160

// clip shortens s to at most n characters (spaces collapsed), on a word
// boundary when it can.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// normalizedJSON decodes, normalizes and re-encodes a prepared document.
func normalizedJSON(prepared []byte, renames map[string]string) ([]byte, error) {
	doc, err := specprep.Decode(prepared, specprep.FormatJSON)
	if err != nil {
		return nil, err
	}
	renamePaths(doc, renames)
	b, err := specprep.Encode(normalize(doc))
	if err != nil {
		return nil, fmt.Errorf("encoding the normalized document: %w", err)
	}
	return b, nil
}

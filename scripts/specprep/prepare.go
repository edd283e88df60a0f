package specprep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Decode parses an OpenAPI document into a generic tree of map[string]any,
// []any, string, bool, nil and json.Number (JSON) or int/float64 (YAML).
func Decode(b []byte, f Format) (map[string]any, error) {
	var doc map[string]any
	switch f {
	case FormatJSON:
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("decoding JSON: %w", err)
		}
	case FormatYAML:
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("decoding YAML: %w", err)
		}
		m, ok := normalizeYAML(v).(map[string]any)
		if !ok {
			return nil, fmt.Errorf("decoding YAML: top level is not a mapping")
		}
		doc = m
	default:
		return nil, fmt.Errorf("cannot decode format %q", f)
	}
	if doc == nil {
		return nil, fmt.Errorf("empty document")
	}
	return doc, nil
}

// normalizeYAML turns the map[any]any that YAML yields for non-string keys
// (such as unquoted response codes) into map[string]any.
func normalizeYAML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeYAML(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = normalizeYAML(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = normalizeYAML(e)
		}
		return t
	}
	return v
}

// Prepare selects ops from doc, applies the overlay, downgrades the result
// to OpenAPI 3.0, validates the result and encodes it deterministically.
func Prepare(doc map[string]any, ops []Operation, overlayYAML []byte) ([]byte, error) {
	out, err := Select(doc, ops)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(overlayYAML)) > 0 {
		if out, err = ApplyOverlay(out, overlayYAML); err != nil {
			return nil, err
		}
		// The overlay may have removed the last reference to a component, or
		// referred to an upstream component that selection had left out.
		closeComponents(out, doc)
	}
	// Last, so that overlays are written against upstream's own dialect.
	DowngradeTo30(out)
	b, err := Encode(out)
	if err != nil {
		return nil, err
	}
	if err := Validate(b); err != nil {
		return nil, err
	}
	return b, nil
}

// Select returns a new document holding only the listed operations (with
// their operation IDs replaced by the listed ones) and the components they
// reference, transitively. Security schemes named by a kept security
// requirement are kept too. It fails if a listed operation is missing.
func Select(doc map[string]any, ops []Operation) (map[string]any, error) {
	paths, _ := doc["paths"].(map[string]any)
	newPaths := map[string]any{}
	for _, op := range ops {
		item, ok := paths[op.Path].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("operation %s: path %q not in document", op.ID, op.Path)
		}
		m := strings.ToLower(op.Method)
		o, ok := item[m].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("operation %s: %s %s not in document", op.ID, op.Method, op.Path)
		}
		o = deepCopy(o).(map[string]any)
		o["operationId"] = op.ID
		ni, _ := newPaths[op.Path].(map[string]any)
		if ni == nil {
			ni = map[string]any{}
			for k, v := range item { // path-level fields: parameters, summary, servers, ...
				if !slices.Contains(methods, k) {
					ni[k] = deepCopy(v)
				}
			}
			newPaths[op.Path] = ni
		}
		ni[m] = o
	}

	out := map[string]any{"paths": newPaths}
	for _, k := range []string{"openapi", "info", "servers", "security", "tags", "externalDocs"} {
		if v, ok := doc[k]; ok {
			out[k] = deepCopy(v)
		}
	}
	out["components"] = map[string]any{}
	closeComponents(out, doc)
	pruneTags(out)
	return out, nil
}

// closeComponents makes doc's components exactly those reachable from its
// paths and security requirements: unreachable ones are dropped, and
// reachable ones that doc lacks are copied from source, the upstream
// document. Only what is reachable is ever copied, which keeps selection fast
// on a very large upstream document.
func closeComponents(doc, source map[string]any) {
	comps, _ := doc["components"].(map[string]any)
	if comps == nil {
		comps = map[string]any{}
		doc["components"] = comps
	}
	srcComps, _ := source["components"].(map[string]any)
	lookup := func(sec, name string) (any, bool) {
		if s, ok := comps[sec].(map[string]any); ok {
			if c, ok := s[name]; ok {
				return c, true
			}
		}
		s, ok := srcComps[sec].(map[string]any)
		if !ok {
			return nil, false
		}
		c, ok := s[name]
		if !ok {
			return nil, false
		}
		c = deepCopy(c)
		dst, _ := comps[sec].(map[string]any)
		if dst == nil {
			dst = map[string]any{}
			comps[sec] = dst
		}
		dst[name] = c
		return c, true
	}
	keep := map[string]bool{} // "section/name"
	var queue []any
	queue = append(queue, doc["paths"])
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		WalkMaps(n, func(m map[string]any) {
			if ref, ok := m["$ref"].(string); ok {
				if sec, name, ok := localRef(ref); ok && !keep[sec+"/"+name] {
					keep[sec+"/"+name] = true
					if c, ok := lookup(sec, name); ok {
						queue = append(queue, c)
					}
				}
			}
		})
	}
	// Security schemes are referenced by name from security requirements.
	for _, req := range securityRequirements(doc) {
		for name := range req {
			if _, ok := lookup("securitySchemes", name); ok {
				keep["securitySchemes/"+name] = true
			}
		}
	}
	for sec, v := range comps {
		s, ok := v.(map[string]any)
		if !ok {
			continue
		}
		for name := range s {
			if !keep[sec+"/"+name] {
				delete(s, name)
			}
		}
		if len(s) == 0 {
			delete(comps, sec)
		}
	}
}

// securityRequirements lists the top-level and per-operation requirements.
func securityRequirements(doc map[string]any) []map[string]any {
	var reqs []map[string]any
	add := func(v any) {
		l, _ := v.([]any)
		for _, r := range l {
			if m, ok := r.(map[string]any); ok {
				reqs = append(reqs, m)
			}
		}
	}
	add(doc["security"])
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		im, _ := item.(map[string]any)
		for _, m := range methods {
			if o, ok := im[m].(map[string]any); ok {
				add(o["security"])
			}
		}
	}
	return reqs
}

// pruneTags keeps only the tags that a kept operation names.
func pruneTags(doc map[string]any) {
	tags, ok := doc["tags"].([]any)
	if !ok {
		return
	}
	used := map[string]bool{}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		im, _ := item.(map[string]any)
		for _, m := range methods {
			if o, ok := im[m].(map[string]any); ok {
				l, _ := o["tags"].([]any)
				for _, t := range l {
					if s, ok := t.(string); ok {
						used[s] = true
					}
				}
			}
		}
	}
	kept := []any{}
	for _, t := range tags {
		if m, ok := t.(map[string]any); ok && used[fmt.Sprint(m["name"])] {
			kept = append(kept, t)
		}
	}
	doc["tags"] = kept
}

// localRef splits "#/components/schemas/Foo" into ("schemas", "Foo").
func localRef(ref string) (section, name string, ok bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return "", "", false
	}
	section, name, ok = strings.Cut(rest, "/")
	if !ok {
		return "", "", false
	}
	// JSON pointer escapes (RFC 6901) and URL escapes in the name.
	if u, err := url.PathUnescape(name); err == nil {
		name = u
	}
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	return section, name, true
}

// WalkMaps calls f on every map in the decoded JSON or YAML tree rooted at
// v (objects within objects and arrays, depth first).
func WalkMaps(v any, f func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		f(t)
		for _, e := range t {
			WalkMaps(e, f)
		}
	case []any:
		for _, e := range t {
			WalkMaps(e, f)
		}
	}
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// DowngradeTo30 rewrites the OpenAPI 3.1 constructs found in the vendored
// specs into their OpenAPI 3.0 equivalents, in place:
//
//   - `type: [T, "null"]` becomes `type: T, nullable: true`;
//   - `const: v` becomes `enum: [v]`;
//   - a schema's `examples` array becomes `example` (its first item);
//   - numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum`
//     with the boolean flag;
//   - the version becomes 3.0.3.
//
// A 3.0 document is left unchanged.
func DowngradeTo30(doc map[string]any) {
	v, _ := doc["openapi"].(string)
	if !strings.HasPrefix(v, "3.1") {
		return
	}
	doc["openapi"] = "3.0.3"
	WalkMaps(doc, func(m map[string]any) {
		if ts, ok := m["type"].([]any); ok {
			var rest []any
			for _, t := range ts {
				if t == "null" {
					m["nullable"] = true
				} else {
					rest = append(rest, t)
				}
			}
			switch len(rest) {
			case 0:
				delete(m, "type")
			case 1:
				m["type"] = rest[0]
			default:
				delete(m, "type")
				var alts []any
				for _, t := range rest {
					alts = append(alts, map[string]any{"type": t})
				}
				m["anyOf"] = alts
			}
		}
		if c, ok := m["const"]; ok {
			m["enum"] = []any{c}
			delete(m, "const")
		}
		if ex, ok := m["examples"].([]any); ok {
			if len(ex) > 0 {
				m["example"] = ex[0]
			}
			delete(m, "examples")
		}
		for _, k := range []string{"Minimum", "Maximum"} {
			key := "exclusive" + k
			switch x := m[key].(type) {
			case bool, nil:
			default:
				m[strings.ToLower(k)] = x
				m[key] = true
			}
		}
	})
}

// ApplyOverlay applies an OpenAPI Overlay 1.0 document to doc. Every action
// must match at least one node, so an overlay that no longer fits the
// upstream document fails loudly instead of silently doing nothing.
func ApplyOverlay(doc map[string]any, overlayYAML []byte) (map[string]any, error) {
	ov, err := overlay.ParseReader(bytes.NewReader(overlayYAML))
	if err != nil {
		return nil, fmt.Errorf("parsing overlay: %w", err)
	}
	if err := ov.Validate(); err != nil {
		return nil, fmt.Errorf("invalid overlay: %w", err)
	}
	var root yaml.Node
	b, err := Encode(doc)
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, err
	}
	warnings, err := ov.ApplyToStrict(&root)
	if err != nil {
		return nil, fmt.Errorf("applying overlay: %w", err)
	}
	if len(warnings) > 0 {
		return nil, fmt.Errorf("applying overlay: %s", strings.Join(warnings, "; "))
	}
	var v any
	if err := root.Decode(&v); err != nil {
		return nil, err
	}
	out, ok := normalizeYAML(v).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("overlay result is not a mapping")
	}
	return out, nil
}

// Encode writes doc as indented JSON with sorted keys, no HTML escaping and a
// final newline: the same tree always gives the same bytes.
func Encode(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Validate loads b with kin-openapi and validates it, examples included.
func Validate(b []byte) error {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	t, err := loader.LoadFromData(b)
	if err != nil {
		return fmt.Errorf("loading prepared document: %w", err)
	}
	if err := t.Validate(context.Background()); err != nil {
		return fmt.Errorf("prepared document is not valid OpenAPI: %w", err)
	}
	return nil
}

// OperationIDs lists the operation IDs of a decoded document, sorted.
func OperationIDs(doc map[string]any) []string {
	var ids []string
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[p].(map[string]any)
		for _, m := range methods {
			if o, ok := item[m].(map[string]any); ok {
				if id, ok := o["operationId"].(string); ok {
					ids = append(ids, id)
				}
			}
		}
	}
	slices.Sort(ids)
	return ids
}

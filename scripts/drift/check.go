package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
	"github.com/secondarydns/secondarydns-go/scripts/specprep"
)

// status is the outcome of checking one provider.
type status string

// The outcomes, from least to most urgent.
const (
	statusNoDrift     status = "no-drift"        // upstream file unchanged
	statusOutsideOnly status = "outside-only"    // changed, but not in any used operation
	statusCannotCheck status = "could-not-check" // see providerReport.Error
	statusNonBreaking status = "non-breaking"
	statusBreaking    status = "breaking"
)

// IDs of the findings the tool adds to oasdiff's.
const (
	idPathRenamed     = "sdk-path-parameters-renamed"
	idOperationMoved  = "sdk-operation-moved"
	idOverlayFails    = "sdk-overlay-no-longer-applies"
	idPreparedChanged = "sdk-prepared-document-changed"
	idOverlayUnused   = "sdk-overlay-action-unused"
	idFormatChanged   = "sdk-upstream-format-changed"
)

// change is one difference in an operation the SDK uses.
type change struct {
	// ID is oasdiff's rule ID, or one of the sdk-* IDs above.
	ID string `json:"id"`
	// Level is oasdiff's level (error, warning, info); empty for sdk-* IDs.
	Level string `json:"oasdiff_level,omitempty"`
	// Breaking is true when Ours is breaking-for-us.
	Breaking bool `json:"breaking"`
	// Wire is the view of any client of the API: breaking (oasdiff level
	// error or warning), non-breaking (info) or none (not an API change).
	Wire string `json:"wire"`
	// Ours is what the change does to this repository: breaking-for-us,
	// maintenance or no-action (see the package documentation).
	Ours string `json:"ours"`
	// Predicted is set when Ours comes from rules rather than from a
	// scratch regeneration and build.
	Predicted bool `json:"predicted,omitempty"`
	// Why backs Ours: the build error or failing test it is attributed to.
	Why string `json:"why,omitempty"`
	// Method and Path locate the operation, as in the vendored document.
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// Operation is the SDK's operation ID (the generated method's name).
	Operation string `json:"operation,omitempty"`
	// Text says what changed.
	Text string `json:"text"`
}

// outside counts upstream changes outside the operations the SDK uses.
type outside struct {
	PathsAdded        int `json:"paths_added"`
	PathsRemoved      int `json:"paths_removed"`
	OperationsAdded   int `json:"operations_added"`
	OperationsRemoved int `json:"operations_removed"`
	OperationsChanged int `json:"operations_changed"`
}

func (o outside) zero() bool { return o == outside{} }

// String summarises the changes outside the used operations in one line.
func (o outside) String() string {
	if o.zero() {
		return "outside the SDK's operations upstream: no path or operation added, removed or changed"
	}
	return fmt.Sprintf("outside the SDK's operations upstream: %s added, %d removed; %s added, %d removed, %d changed",
		plural(o.PathsAdded, "path"), o.PathsRemoved, plural(o.OperationsAdded, "operation"), o.OperationsRemoved, o.OperationsChanged)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// providerReport is what was found for one provider.
type providerReport struct {
	Name   string `json:"name"`
	Status status `json:"status"`
	// Source is where the upstream document was read from.
	Source         string `json:"source"`
	VendoredSHA256 string `json:"vendored_sha256"`
	UpstreamSHA256 string `json:"upstream_sha256,omitempty"`
	// Error says why the provider could not be checked.
	Error   string   `json:"error,omitempty"`
	Changes []change `json:"changes,omitempty"`
	// Outside summarises the changes outside the used operations.
	Outside *outside `json:"outside,omitempty"`
	// Updated is set when -update re-vendored this provider.
	Updated bool `json:"updated,omitempty"`

	// ScratchSeconds is how long the scratch regeneration and build took.
	ScratchSeconds float64 `json:"scratch_seconds,omitempty"`
	// ScratchError says why the scratch build could not run; the changes
	// are then classified by rules (predicted).
	ScratchError string `json:"scratch_error,omitempty"`

	upstream  []byte               // the upstream file, for -update
	upDoc     map[string]any       // the decoded (for IONOS: assembled) upstream document
	upFormat  specprep.Format      // the upstream file's format
	upOps     []specprep.Operation // the used operations as upstream spells them
	upOverlay []byte               // the overlay fitted to upstream, if it had to change
}

func cannotCheck(r *providerReport, format string, args ...any) *providerReport {
	r.Status = statusCannotCheck
	r.Error = strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	return r
}

// checkProvider fetches p's upstream document from source and compares it
// with the vendored one under root. With sc set, the upstream client is also
// regenerated and built in a scratch copy to classify the changes for us.
func checkProvider(ctx context.Context, client *http.Client, root string, p *specprep.Provider, source string, maxBytes int64, sc *scratchConfig) *providerReport {
	r := &providerReport{Name: p.Name, Source: source, VendoredSHA256: p.SHA256}
	vendored, err := os.ReadFile(filepath.Join(root, p.Vendored))
	if err != nil {
		return cannotCheck(r, "reading the vendored file: %v", err)
	}
	if got := specprep.SHA256Hex(vendored); got != p.SHA256 {
		return cannotCheck(r, "%s has sha256 %s but the sources file records %s (edited by hand? run `go generate ./...`)", p.Vendored, got, p.SHA256)
	}
	up, err := fetch(ctx, client, source, maxBytes)
	if err != nil {
		return cannotCheck(r, "%v", err)
	}
	r.upstream = up
	r.UpstreamSHA256 = specprep.SHA256Hex(up)
	if r.UpstreamSHA256 == p.SHA256 {
		r.Status = statusNoDrift
		return r
	}
	overlay, err := os.ReadFile(filepath.Join(root, p.Overlay))
	if err != nil {
		return cannotCheck(r, "reading the overlay: %v", err)
	}
	vs, err := vendoredSideOf(p, vendored, overlay)
	if err != nil {
		return cannotCheck(r, "vendored document: %v", err)
	}
	vendDoc := vs.doc
	upProv := *p
	upProv.SHA256 = r.UpstreamSHA256
	upProv.Format = sniffFormat(up, p.Format)
	upDoc, err := rawDocument(&upProv, up)
	if err != nil {
		return cannotCheck(r, "upstream document from %s cannot be read as %s: %v", source, upProv.Format, err)
	}
	r.upDoc = upDoc
	r.upFormat = upProv.Format
	r.upOps = p.Operations
	var changes []change
	if upProv.Format != p.Format {
		changes = append(changes, change{ID: idFormatChanged, Wire: wireNone,
			Text: fmt.Sprintf("upstream is now %s (vendored: %s); set \"format\" in specs/sources.json (drift-update does)", upProv.Format, p.Format)})
	}

	// Find the used operations upstream; follow renamed path parameters.
	upOps, found := matchOperations(p.Operations, upDoc)
	changes = append(changes, found...)
	upProv.Operations = upOps
	r.upOps = upOps
	moves, back := map[string]string{}, map[string]string{}
	for _, op := range p.Operations {
		for _, u := range upOps {
			if u.ID == op.ID && u.Path != op.Path {
				moves[op.Path], back[u.Path] = u.Path, op.Path
			}
		}
	}

	// Fit the overlay to upstream: follow moved paths, drop dead actions.
	upOverlay := rewriteOverlayPaths(overlay, moves)
	if fitted, dead, err := fitOverlay(upDoc, upOps, upOverlay); err == nil {
		upOverlay = fitted
		if len(dead) > 0 || len(moves) > 0 {
			r.upOverlay = upOverlay
		}
		for _, d := range dead {
			// A dead removal: what it removed is gone, drop it. A dead update:
			// its fix is no longer applied, as its target was fixed, renamed
			// or moved upstream (the changes it causes are listed too).
			advice := "fixed there?): drop it from " + p.Overlay
			if !d.Remove {
				advice = "its fix is lost): retarget it if renamed upstream, else drop it from " + p.Overlay
			}
			changes = append(changes, change{ID: idOverlayUnused, Wire: wireNone,
				Text: fmt.Sprintf("overlay action %d (%s) matches nothing upstream (%s", d.Index, clip(d.Target, 60), advice)})
		}
	}

	// specprep.Prepare is PrepareProvider on the already decoded (and for
	// IONOS assembled) documents; it does not modify them.
	base, err := vs.prepared, vs.prepErr
	if err != nil {
		return cannotCheck(r, "the vendored document does not prepare (run `go generate ./...`): %v", err)
	}
	var revision []byte
	if upPrepared, err := specprep.Prepare(upDoc, upOps, upOverlay); err == nil {
		revision = upPrepared
	} else {
		// The overlay (or validation) no longer fits upstream. The changes
		// are still listed, from both documents prepared the same way
		// without the overlay.
		changes = append(changes, change{
			ID: idOverlayFails, Wire: wireNone, Ours: oursBreaking,
			Text: fmt.Sprintf("upstream no longer prepares with %s: %s", p.Overlay, oneLine(err)),
		})
		if base, err = loosePrepare(vendDoc, p.Operations); err == nil {
			revision, err = loosePrepare(upDoc, upOps)
		}
		if err != nil {
			changes = append(changes, change{ID: idOverlayFails, Wire: wireNone, Ours: oursBreaking,
				Text: "the operations could not be compared without the overlay either: " + oneLine(err)})
			base, revision = nil, nil
		}
	}
	preparedChanged := false
	if base != nil {
		nb, err := normalizedJSON(base, nil)
		if err != nil {
			return cannotCheck(r, "normalizing the vendored document: %v", err)
		}
		nr, err := normalizedJSON(revision, back)
		if err != nil {
			return cannotCheck(r, "normalizing the upstream document: %v", err)
		}
		semantic := []change(nil)
		if !bytes.Equal(nb, nr) {
			if semantic, err = compare(nb, nr); err != nil {
				return cannotCheck(r, "comparing the prepared documents: %v", err)
			}
		}
		// Renamed components and reworded descriptions are no change; the
		// scratch build still runs, in case our code names a renamed type.
		preparedChanged = !bytes.Equal(base, revision)
		changes = append(changes, semantic...)
	}
	for i := range changes {
		if changes[i].Wire == "" {
			changes[i].Wire = wireNonBreaking
		}
	}

	if sc != nil && (len(changes) > 0 || preparedChanged) {
		in := scratchInput{root: root, sources: sc.sources, vendored: p, upstream: upProv, raw: up, overlay: upOverlay}
		res := sc.build(ctx, in)
		r.ScratchSeconds = res.Took.Seconds()
		if res.Failed != "" {
			r.ScratchError = res.Failed
			classifyStatic(changes)
		} else {
			refs := map[string]opRef{}
			for _, op := range p.Operations {
				refs[op.ID] = opRef{op.Method, op.Path}
			}
			changes = classifyScratch(changes, res, p.Package, refs)
		}
	} else {
		classifyStatic(changes)
	}
	sortChanges(changes)
	r.Changes = changes

	used := map[string]bool{}
	for _, ops := range [][]specprep.Operation{p.Operations, upOps} {
		for _, op := range ops {
			used[opKey(op.Method, op.Path)] = true
		}
	}
	rp, ro := pathsAndOps(upDoc)
	o := summarizeOutside(vs.paths, vs.ops, rp, ro, used)
	r.Outside = &o

	r.Status = statusOutsideOnly
	for _, c := range changes {
		switch c.Ours {
		case oursBreaking:
			r.Status = statusBreaking
		case oursMaintenance:
			if r.Status != statusBreaking {
				r.Status = statusNonBreaking
			}
		}
	}
	return r
}

// vendoredSide is what checkProvider derives from a vendored file alone.
type vendoredSide struct {
	doc      map[string]any // decoded (IONOS: assembled); never modified
	prepared []byte
	prepErr  error
	paths    map[string]bool   // from pathsAndOps
	ops      map[string]string // from pathsAndOps
}

// vendoredSides caches vendoredSide by provider, file and overlay digest:
// the vendored side is the same for every upstream checked against it (the
// tests check dozens against one 4 MB Cloudflare file).
var vendoredSides sync.Map

func vendoredSideOf(p *specprep.Provider, raw, overlay []byte) (*vendoredSide, error) {
	key := p.Name + " " + specprep.SHA256Hex(raw) + " " + specprep.SHA256Hex(overlay) + " " + fmt.Sprint(p.Operations)
	if v, ok := vendoredSides.Load(key); ok {
		return v.(*vendoredSide), nil
	}
	doc, err := rawDocument(p, raw)
	if err != nil {
		return nil, err
	}
	vs := &vendoredSide{doc: doc}
	// specprep.Prepare is PrepareProvider on the decoded document; it does
	// not modify it.
	vs.prepared, vs.prepErr = specprep.Prepare(doc, p.Operations, overlay)
	vs.paths, vs.ops = pathsAndOps(doc)
	vendoredSides.Store(key, vs)
	return vs, nil
}

// rawDocument decodes a vendored or upstream file in p's format; an IONOS
// reference page is assembled first.
func rawDocument(p *specprep.Provider, raw []byte) (map[string]any, error) {
	if p.Format == specprep.FormatIONOSReference {
		assembled, err := specprep.AssembleIONOS(raw)
		if err != nil {
			return nil, err
		}
		return specprep.Decode(assembled, specprep.FormatJSON)
	}
	return specprep.Decode(raw, p.Format)
}

// loosePrepare is preparation without the overlay and without validation,
// for comparing documents that the overlay no longer fits.
func loosePrepare(doc map[string]any, ops []specprep.Operation) ([]byte, error) {
	out, err := specprep.Select(doc, ops)
	if err != nil {
		return nil, err
	}
	specprep.DowngradeTo30(out)
	return specprep.Encode(out)
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// matchOperations finds the used operations in the upstream document. An
// operation whose path is missing is looked for under the same path with
// other parameter names, then by its upstream operation ID; both are
// reported as breaking. An operation found neither way is left out of the
// returned list, so the comparison reports it as removed.
func matchOperations(ops []specprep.Operation, doc map[string]any) ([]specprep.Operation, []change) {
	paths, _ := doc["paths"].(map[string]any)
	has := func(path, method string) bool {
		item, _ := paths[path].(map[string]any)
		_, ok := item[strings.ToLower(method)].(map[string]any)
		return ok
	}
	var out []specprep.Operation
	var changes []change
	for _, op := range ops {
		if has(op.Path, op.Method) {
			out = append(out, op)
			continue
		}
		var same []string
		norm := pathParam.ReplaceAllString(op.Path, "{}")
		for _, p := range slices.Sorted(maps.Keys(paths)) {
			if pathParam.ReplaceAllString(p, "{}") == norm && has(p, op.Method) {
				same = append(same, p)
			}
		}
		if len(same) == 1 {
			moved := op
			moved.Path = same[0]
			out = append(out, moved)
			changes = append(changes, change{
				ID: idPathRenamed, Wire: wireNonBreaking, Method: op.Method, Path: op.Path, Operation: op.ID,
				Text: fmt.Sprintf("path parameters renamed upstream: now %s (edit sources.json, overlay targets)", same[0]),
			})
			continue
		}
		if p, m, ok := findOperationID(paths, op.UpstreamID); ok {
			moved := op
			moved.Method, moved.Path = m, p
			out = append(out, moved)
			changes = append(changes, change{
				ID: idOperationMoved, Wire: wireBreaking, Method: op.Method, Path: op.Path, Operation: op.ID,
				Text: fmt.Sprintf("operation %s moved upstream to %s %s: update specs/sources.json", op.UpstreamID, m, p),
			})
		}
	}
	return out, changes
}

func findOperationID(paths map[string]any, id string) (path, method string, ok bool) {
	if id == "" {
		return "", "", false
	}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[p].(map[string]any)
		for _, m := range httpMethods {
			if o, _ := item[m].(map[string]any); o != nil && o["operationId"] == id {
				return p, strings.ToUpper(m), true
			}
		}
	}
	return "", "", false
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func opKey(method, path string) string { return strings.ToUpper(method) + " " + path }

// compare diffs two prepared documents with oasdiff and classifies what its
// checker finds, down to level INFO.
func compare(base, revision []byte) ([]change, error) {
	s1, err := loadSpec(base, "vendored/prepared.json")
	if err != nil {
		return nil, fmt.Errorf("vendored: %w", err)
	}
	s2, err := loadSpec(revision, "upstream/prepared.json")
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, err
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewLocalizer("en")
	var out []change
	seen := map[string]bool{}
	for _, c := range found {
		// Component-level findings (a schema removed, ...) are only names
		// once references are resolved: what they do shows at operations.
		if ignored[c.GetId()] || c.GetOperation() == "" {
			continue
		}
		wire := wireNonBreaking
		if c.GetLevel() >= checker.WARN {
			wire = wireBreaking
		}
		ch := change{
			ID:        c.GetId(),
			Level:     c.GetLevel().String(),
			Wire:      wire,
			Breaking:  breakingForSDK(c.GetId(), c.GetLevel()),
			Method:    c.GetOperation(),
			Path:      c.GetPath(),
			Operation: c.GetOperationId(),
			Text:      clip(c.GetUncolorizedText(l), maxLine),
		}
		// The same change reached twice (a shared schema in two responses
		// of one operation) is one line.
		key := ch.Method + " " + ch.Path + " " + ch.ID + " " + ch.Text
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, ch)
	}
	return out, nil
}

func loadSpec(b []byte, name string) (*load.SpecInfo, error) {
	loader := openapi3.NewLoader() // one per document: the loader caches by name
	loader.IsExternalRefsAllowed = false
	return load.NewSpecInfoFromData(loader, b, name)
}

// ignored lists checks that judge upstream's own versioning discipline,
// which is no concern of the SDK.
var ignored = map[string]bool{
	checker.APIVersionNotBumpedId: true,
	checker.APIVersionDecreasedId: true,
}

// sdkBreaking lists checks that oasdiff rates INFO, since the API stays
// compatible, but that remove a Go identifier from the generated client
// (a struct field, an enum constant, a response field, a method), which
// breaks the facade or SDK users when gen/ is regenerated.
var sdkBreaking = map[string]bool{
	checker.ResponseOptionalPropertyRemovedId:                true,
	checker.ResponseRequiredPropertyRemovedWithDeprecationId: true,
	checker.RequestPropertyRemovedWithDeprecationId:          true,
	checker.RequestParameterRemovedWithDeprecationId:         true,
	checker.APIRemovedWithDeprecationId:                      true,
	checker.APIPathRemovedWithDeprecationId:                  true,
	checker.ResponsePropertyEnumValueRemovedId:               true,
	checker.ResponseMediaTypeEnumValueRemovedId:              true,
	checker.ResponseNonSuccessStatusRemovedId:                true,
	checker.ResponseBodyOneOfRemovedId:                       true,
	checker.ResponsePropertyOneOfRemovedId:                   true,
	checker.ResponseBodyAnyOfRemovedId:                       true,
	checker.ResponsePropertyAnyOfRemovedId:                   true,
	checker.APISchemasRemovedId:                              true,
}

// sdkNonBreaking lists checks that oasdiff rates ERR or WARN but that the SDK
// absorbs: generated enums are string types, so a value the server starts
// sending decodes and is passed through.
var sdkNonBreaking = map[string]bool{
	checker.ResponsePropertyEnumValueAddedId:  true,
	checker.ResponseMediaTypeEnumValueAddedId: true,
}

// breakingForSDK classifies an oasdiff finding for the generated client and
// the facade: ERR and WARN are breaking, INFO is not, except for the checks
// listed in sdkBreaking and sdkNonBreaking.
func breakingForSDK(id string, level checker.Level) bool {
	switch {
	case sdkBreaking[id]:
		return true
	case sdkNonBreaking[id]:
		return false
	}
	return level >= checker.WARN
}

// oursRank orders the classes for us, most urgent first.
var oursRank = map[string]int{oursBreaking: 0, oursMaintenance: 1, oursNoAction: 2}

// sortChanges groups the changes by operation (findings about the whole
// provider first, then the operations with the most urgent change first)
// and orders each group by urgency.
func sortChanges(cs []change) {
	worst := map[string]int{}
	for _, c := range cs {
		k := c.Method + " " + c.Path
		if r, ok := worst[k]; !ok || oursRank[c.Ours] < r {
			worst[k] = oursRank[c.Ours]
		}
	}
	slices.SortStableFunc(cs, func(a, b change) int {
		ka, kb := a.Method+" "+a.Path, b.Method+" "+b.Path
		if (a.Path == "") != (b.Path == "") {
			if a.Path == "" {
				return -1
			}
			return 1
		}
		if c := worst[ka] - worst[kb]; c != 0 {
			return c
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := strings.Compare(a.Method, b.Method); c != 0 {
			return c
		}
		if c := oursRank[a.Ours] - oursRank[b.Ours]; c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// summarizeOutside counts the paths and operations that differ between the
// two full documents, leaving out the used operations (keys in used) and the
// paths that hold one. An operation's digest covers the operation object and
// its path's shared parameters, not the components it references.
func summarizeOutside(bp map[string]bool, bo map[string]string, rp map[string]bool, ro map[string]string, used map[string]bool) outside {
	usedPaths := map[string]bool{}
	for k := range used {
		_, p, _ := strings.Cut(k, " ")
		usedPaths[p] = true
	}
	for p := range usedPaths { // compared without parameter names, like the paths
		usedPaths[pathParam.ReplaceAllString(p, "{}")] = true
	}
	for k := range used {
		used[pathParam.ReplaceAllString(k, "{}")] = true
	}
	var o outside
	for p := range rp {
		if !bp[p] && !usedPaths[p] {
			o.PathsAdded++
		}
	}
	for p := range bp {
		if !rp[p] && !usedPaths[p] {
			o.PathsRemoved++
		}
	}
	for k, d := range ro {
		if used[k] {
			continue
		}
		if bd, ok := bo[k]; !ok {
			o.OperationsAdded++
		} else if bd != d {
			o.OperationsChanged++
		}
	}
	for k := range bo {
		if _, ok := ro[k]; !ok && !used[k] {
			o.OperationsRemoved++
		}
	}
	return o
}

// pathsAndOps returns a document's paths and a digest of each operation,
// keyed "METHOD /path".
func pathsAndOps(doc map[string]any) (map[string]bool, map[string]string) {
	paths, _ := doc["paths"].(map[string]any)
	ps := map[string]bool{}
	ops := map[string]string{}
	for p, v := range paths {
		// A path-parameter rename is not a new path.
		p = pathParam.ReplaceAllString(p, "{}")
		ps[p] = true
		item, _ := v.(map[string]any)
		for _, m := range httpMethods {
			o, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			b, err := specprep.Encode(map[string]any{"operation": o, "parameters": item["parameters"]})
			if err != nil { // cannot happen for a decoded document
				b = []byte(fmt.Sprint(o))
			}
			ops[opKey(m, p)] = specprep.SHA256Hex(b)
		}
	}
	return ps, ops
}

package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// What a change means for this repository ("ours"), as opposed to what it
// means on the wire for any client ("wire").
const (
	oursBreaking    = "breaking-for-us" // our code stops compiling or the contract tests fail
	oursMaintenance = "maintenance"     // regenerate, and edit the overlay or sources.json
	oursNoAction    = "no-action"       // nothing we generate or use changes

	wireBreaking    = "breaking"
	wireNonBreaking = "non-breaking"
	wireNone        = "none" // not an API change (an overlay or file-format matter)
)

// IDs of the findings the scratch build adds.
const (
	idBuildFails    = "sdk-regenerated-build-fails"
	idContractFails = "sdk-contract-test-fails"
	idPrepareFails  = "sdk-upstream-does-not-generate"
)

// maintenanceIDs are the tool's own findings that need an edit of
// specs/sources.json or the overlay, and no change of our code.
var maintenanceIDs = map[string]bool{
	idPathRenamed:    true,
	idOperationMoved: true,
	idOverlayUnused:  true,
	idFormatChanged:  true,
}

// classifyStatic sets Ours when no scratch build ran: the prediction from
// oasdiff's level and the generator rules in breakingForSDK.
func classifyStatic(cs []change) {
	for i := range cs {
		c := &cs[i]
		c.Predicted = true
		switch {
		case c.Ours != "":
		case maintenanceIDs[c.ID]:
			c.Ours = oursMaintenance
		case c.ID == idPreparedChanged:
			c.Ours = oursNoAction
		case c.Breaking:
			c.Ours = oursBreaking
		default:
			c.Ours = oursMaintenance
		}
		c.Breaking = c.Ours == oursBreaking
	}
}

var (
	quoted   = regexp.MustCompile("'([^']+)'|`([^`]+)`|\"([^\"]+)\"")
	nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)
)

// names are the quoted names in a change's text, normalised for comparison
// with Go identifiers ("zone_id" → "zoneid").
func names(text string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			// the last segment of a property path: "result/status" → "status"
			if i := strings.LastIndexAny(g, "/."); i >= 0 {
				g = g[i+1:]
			}
			if n := nonAlnum.ReplaceAllString(strings.ToLower(g), ""); len(n) >= 2 {
				out = append(out, n)
			}
		}
	}
	return out
}

// classifyScratch sets Ours from a scratch build: changes that a compile
// or vet error or a failing contract test is attributed to are breaking for
// us; failures that no reported change explains become findings of their
// own; every other change is maintenance if the generated code of its
// operation changed, or if it is one of the tool's edit findings, and no
// action otherwise.
func classifyScratch(cs []change, s *scratchResult, pkg string, ops map[string]opRef) []change {
	mark := func(i int, why string) {
		if cs[i].Ours != oursBreaking {
			cs[i].Ours, cs[i].Why = oursBreaking, why
		}
	}
	byOp := func(op string) []int {
		var idx []int
		for i, c := range cs {
			if c.Operation == op {
				idx = append(idx, i)
			}
		}
		return idx
	}
	if s.PrepareErr != "" {
		cs = append(cs, change{ID: idPrepareFails, Wire: wireNone, Ours: oursBreaking,
			Text: "upstream does not regenerate even with the fitted overlay: " + s.PrepareErr + "; needs a new overlay fix"})
	}
	identRe := regexp.MustCompile(`\b` + regexp.QuoteMeta(pkg) + `\.([A-Z]\w*)`)
	fieldRe := regexp.MustCompile(`has no field or method (\w+)|unknown field (\w+)`)
	for _, e := range s.Errors {
		why := clip(e.Where+": "+e.Msg, 150)
		var idents []string
		for _, m := range identRe.FindAllStringSubmatch(e.Msg, -1) {
			idents = append(idents, m[1])
			if s.Old != nil && s.Old.constType[m[1]] != "" { // an enum constant: match its type
				idents = append(idents, s.Old.constType[m[1]])
			}
		}
		var field string
		if m := fieldRe.FindStringSubmatch(e.Msg); m != nil {
			field = strings.ToLower(m[1] + m[2])
		}
		var affected []string
		if s.Old != nil {
			for _, id := range idents {
				affected = append(affected, s.Old.opsUsing(id)...)
			}
			// A method or type named after an operation (a removed operation's
			// XWithResponse) belongs to it even if no type reaches it.
			for _, id := range append(idents, strings.TrimSpace(fieldName(e.Msg, fieldRe))) {
				if op := opOfDecl(id, s.Old.opIDs); op != "" {
					affected = append(affected, op)
				}
			}
		}
		slices.Sort(affected)
		affected = slices.Compact(affected)
		hit := false
		for _, op := range affected {
			idx := byOp(op)
			pinned := false
			for _, i := range idx {
				for _, n := range names(cs[i].Text) {
					for _, id := range idents {
						if strings.Contains(strings.ToLower(id), n) && !strings.EqualFold(id, op) || n == field {
							mark(i, why)
							pinned, hit = true, true
						}
					}
					if field != "" && n == field {
						mark(i, why)
						pinned, hit = true, true
					}
				}
			}
			if !pinned {
				for _, i := range idx { // already attributed to another error of this operation?
					if cs[i].Ours == oursBreaking {
						pinned, hit = true, true
					}
				}
			}
			if !pinned {
				for _, i := range idx {
					if cs[i].ID != idPathRenamed && cs[i].ID != idOverlayUnused {
						mark(i, why+" (not pinned to one change of this operation)")
						hit = true
					}
				}
			}
		}
		if !hit {
			c := change{ID: idBuildFails, Wire: wireNone, Ours: oursBreaking,
				Text: fmt.Sprintf("regenerated client breaks our code: %s: %s", e.Where, e.Msg)}
			if len(affected) > 0 {
				c.Operation = affected[0]
				if r, ok := ops[c.Operation]; ok {
					c.Method, c.Path = r.Method, r.Path
				}
				c.Text += " (no reported change explains it: a schema renamed or moved?)"
			}
			cs = append(cs, c)
		}
	}
	for _, t := range s.FailedTests {
		why := clip("contract test fails: "+t, 150)
		op := ""
		for _, part := range strings.Split(t, "/") {
			if _, ok := ops[part]; ok {
				op = part
			}
		}
		idx := byOp(op)
		if op == "" || len(idx) == 0 {
			c := change{ID: idContractFails, Wire: wireNone, Ours: oursBreaking, Operation: op,
				Text: "contract test fails against the regenerated client: " + t}
			if r, ok := ops[op]; ok {
				c.Method, c.Path = r.Method, r.Path
			}
			cs = append(cs, c)
			continue
		}
		for _, i := range idx {
			mark(i, why)
		}
	}
	for i := range cs {
		c := &cs[i]
		if c.Ours == "" {
			switch {
			case maintenanceIDs[c.ID]:
				c.Ours = oursMaintenance
			case c.Operation != "" && s.Old != nil && s.New != nil && s.Old.digest(c.Operation) == s.New.digest(c.Operation):
				c.Ours = oursNoAction
				c.Why = "generated code of this operation unchanged"
			case validationOnly.MatchString(c.ID):
				c.Ours = oursNoAction
				c.Why = "validation limit: the generated code does not carry it"
			default:
				c.Ours = oursMaintenance
			}
		}
		c.Breaking = c.Ours == oursBreaking
	}
	return cs
}

// validationOnly matches oasdiff checks about validation limits (lengths,
// counts, bounds, patterns, defaults), which oapi-codegen does not turn into
// Go: such a change alters no generated declaration.
var validationOnly = regexp.MustCompile(`(max|min)(-length|-items)?-(set|unset|increased|decreased)|pattern-(added|removed|changed|generalized)|default-value`)

// fieldName is the field or method an error says is missing, as written.
func fieldName(msg string, re *regexp.Regexp) string {
	if m := re.FindStringSubmatch(msg); m != nil {
		return m[1] + m[2]
	}
	return ""
}

// opRef locates an SDK operation.
type opRef struct{ Method, Path string }

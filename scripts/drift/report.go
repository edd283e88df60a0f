package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// report is the whole result, as printed by -json.
type report struct {
	// Result is the overall outcome: the most urgent provider status.
	Result    status            `json:"result"`
	ExitCode  int               `json:"exit_code"`
	Summary   string            `json:"summary"`
	Providers []*providerReport `json:"providers"`
	// UpdateError says why -update failed.
	UpdateError string `json:"update_error,omitempty"`
}

// urgency orders the statuses for the overall result: breaking drift beats
// non-breaking drift, which beats a provider that could not be checked.
var urgency = map[status]int{
	statusNoDrift:     0,
	statusOutsideOnly: 1,
	statusCannotCheck: 2,
	statusNonBreaking: 3,
	statusBreaking:    4,
}

var exitCodes = map[status]int{
	statusNoDrift:     exitNoDrift,
	statusOutsideOnly: exitNoDrift,
	statusCannotCheck: exitCannotCheck,
	statusNonBreaking: exitNonBreaking,
	statusBreaking:    exitBreaking,
}

// finish sets the overall result, exit code and summary.
func (r *report) finish() {
	r.Result = statusNoDrift
	counts := map[status]int{}
	for _, p := range r.Providers {
		counts[p.Status]++
		if urgency[p.Status] > urgency[r.Result] {
			r.Result = p.Status
		}
	}
	r.ExitCode = exitCodes[r.Result]
	var parts []string
	for _, s := range []status{statusBreaking, statusNonBreaking, statusCannotCheck, statusOutsideOnly, statusNoDrift} {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, describe(s)))
		}
	}
	r.Summary = strings.Join(parts, ", ")
}

func describe(s status) string {
	switch s {
	case statusBreaking:
		return "breaking for us"
	case statusNonBreaking:
		return "maintenance"
	case statusCannotCheck:
		return "could not check"
	case statusOutsideOnly:
		return "no action (nothing we use changed)"
	}
	return "no drift"
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// opGroup is the changes of one operation (or, with no path, of the
// provider as a whole), in report order.
type opGroup struct {
	Method, Path, Operation string
	Changes                 []change
}

// title names the group: "GET /zones (ListZones)", or "whole provider".
func (g opGroup) title() string {
	if g.Path == "" && g.Operation == "" {
		return "whole provider"
	}
	t := strings.TrimSpace(g.Method + " " + g.Path)
	if g.Operation != "" {
		t += " (" + g.Operation + ")"
	}
	return t
}

// groups splits sorted changes into per-operation groups.
func groups(cs []change) []opGroup {
	var out []opGroup
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].Method == c.Method && out[n-1].Path == c.Path {
			out[n-1].Changes = append(out[n-1].Changes, c)
			if out[n-1].Operation == "" {
				out[n-1].Operation = c.Operation
			}
			continue
		}
		out = append(out, opGroup{Method: c.Method, Path: c.Path, Operation: c.Operation, Changes: []change{c}})
	}
	return out
}

// counts returns how many changes are in each class for us.
func counts(cs []change) (breaking, maintenance, noAction int) {
	for _, c := range cs {
		switch c.Ours {
		case oursBreaking:
			breaking++
		case oursMaintenance:
			maintenance++
		default:
			noAction++
		}
	}
	return
}

// oursLabel is the class for us as printed.
func oursLabel(c change) string {
	l := strings.ReplaceAll(c.Ours, "-", " ")
	if c.Predicted {
		l += "?"
	}
	return l
}

// maxReportLine bounds every change line of the text report.
const maxReportLine = 200

// changeLine is one change on one line: class for us, wire view, text and
// what backs the class (the check ID is in -json and -markdown).
func changeLine(c change) string {
	head := fmt.Sprintf("%s (wire: %s): ", oursLabel(c), c.Wire)
	why := ""
	if c.Why != "" {
		why = " [" + clip(c.Why, 100) + "]"
	}
	room := maxReportLine - 4 - utf8.RuneCountInString(head) - utf8.RuneCountInString(why)
	return head + clip(c.Text, max(room, 40)) + why
}

// writeText prints the report for a person: one headline per provider with
// the counts per class, the changes grouped by operation under it, and the
// one-line outside summary.
func (r *report) writeText(w io.Writer) error {
	var b strings.Builder
	for _, p := range r.Providers {
		switch p.Status {
		case statusCannotCheck:
			fmt.Fprintf(&b, "%s: could not check: %s\n", p.Name, p.Error)
			continue
		case statusNoDrift:
			fmt.Fprintf(&b, "%s: no drift (upstream sha256 %s matches the vendored file)\n", p.Name, short(p.UpstreamSHA256))
			continue
		}
		br, mt, na := counts(p.Changes)
		fmt.Fprintf(&b, "%s: %s: %d breaking for us, %d maintenance, %d no action (sha256 %s vendored, %s upstream at %s)\n",
			p.Name, headline(p.Status), br, mt, na, short(p.VendoredSHA256), short(p.UpstreamSHA256), p.Source)
		for _, g := range groups(p.Changes) {
			fmt.Fprintf(&b, "  %s\n", g.title())
			for _, c := range g.Changes {
				fmt.Fprintf(&b, "    %s\n", changeLine(c))
			}
		}
		if p.Outside != nil {
			fmt.Fprintf(&b, "  %s\n", p.Outside)
		}
		switch {
		case p.ScratchError != "":
			fmt.Fprintf(&b, "  scratch build could not run (classes marked ? are predicted): %s\n", clip(p.ScratchError, 150))
		case p.ScratchSeconds > 0:
			fmt.Fprintf(&b, "  classified by regenerating and building in a scratch copy (%.0f s)\n", p.ScratchSeconds)
		case len(p.Changes) > 0:
			fmt.Fprintf(&b, "  no scratch build (-scratch=false): classes marked ? are predicted from rules\n")
		}
		if p.Updated {
			fmt.Fprintf(&b, "  re-vendored from %s\n", p.Source)
		}
	}
	fmt.Fprintf(&b, "drift: %s (exit %d)\n", r.Summary, r.ExitCode)
	if r.UpdateError != "" {
		fmt.Fprintf(&b, "drift: update failed: %s\n", r.UpdateError)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func headline(s status) string {
	switch s {
	case statusBreaking:
		return "BREAKING FOR US"
	case statusNonBreaking:
		return "maintenance"
	}
	return "no action"
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// mdShown is how many operation groups the Markdown report shows before
// folding the rest; groups with nothing to do are always folded.
const mdShown = 8

// markdown renders the report for an issue or a pull request description:
// a summary table, then per provider the changes by operation, the long
// tail folded.
func (r *report) markdown() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "**Spec-drift check: %s** (exit %d)\n\n", r.Summary, r.ExitCode)
	b.WriteString("| provider | breaking for us | maintenance | no action | status |\n|---|---:|---:|---:|---|\n")
	for _, p := range r.Providers {
		br, mt, na := counts(p.Changes)
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", p.Name, br, mt, na, describe(p.Status))
	}
	b.WriteString("\n")
	for _, p := range r.Providers {
		switch p.Status {
		case statusCannotCheck:
			fmt.Fprintf(&b, "### %s\n\nCould not check: %s\n\n", p.Name, mdEscape(p.Error))
			continue
		case statusNoDrift:
			continue
		}
		fmt.Fprintf(&b, "### %s: %s\n\n", p.Name, describe(p.Status))
		var shown, folded []opGroup
		for _, g := range groups(p.Changes) {
			_, _, na := counts(g.Changes)
			if len(shown) < mdShown && na < len(g.Changes) {
				shown = append(shown, g)
			} else {
				folded = append(folded, g)
			}
		}
		writeGroups := func(gs []opGroup) {
			for _, g := range gs {
				fmt.Fprintf(&b, "**%s**\n\n", mdEscape(g.title()))
				for _, c := range g.Changes {
					fmt.Fprintf(&b, "- **%s** (wire: %s) `%s` %s", oursLabel(c), c.Wire, c.ID, mdEscape(c.Text))
					if c.Why != "" {
						fmt.Fprintf(&b, " — %s", mdEscape(c.Why))
					}
					b.WriteString("\n")
				}
				b.WriteString("\n")
			}
		}
		writeGroups(shown)
		if len(folded) > 0 {
			n := 0
			for _, g := range folded {
				n += len(g.Changes)
			}
			fmt.Fprintf(&b, "<details><summary>%s in %s more</summary>\n\n", plural(n, "change"), plural(len(folded), "operation"))
			writeGroups(folded)
			b.WriteString("</details>\n\n")
		}
		if p.Outside != nil {
			fmt.Fprintf(&b, "%s.\n\n", mdEscape(p.Outside.String()))
		}
		switch {
		case p.ScratchError != "":
			fmt.Fprintf(&b, "Scratch build could not run (classes marked ? are predicted): %s\n\n", mdEscape(p.ScratchError))
		case p.ScratchSeconds > 0:
			fmt.Fprintf(&b, "Classified by regenerating the client and building and contract-testing the repository in a scratch copy (%.0f s).\n\n", p.ScratchSeconds)
		}
		fmt.Fprintf(&b, "<sub>sha256 vendored `%s`, upstream `%s` (from %s)</sub>\n\n", short(p.VendoredSHA256), short(p.UpstreamSHA256), mdEscape(p.Source))
		if p.Updated {
			b.WriteString("Re-vendored by `make drift-update`.\n\n")
		}
	}
	if r.UpdateError != "" {
		fmt.Fprintf(&b, "**Update failed:** %s\n", mdEscape(r.UpdateError))
	}
	return []byte(b.String())
}

// mdEscape keeps text from breaking a Markdown table row.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

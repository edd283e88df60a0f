package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
		return "breaking drift"
	case statusNonBreaking:
		return "non-breaking drift"
	case statusCannotCheck:
		return "could not check"
	case statusOutsideOnly:
		return "changed outside the SDK's operations only"
	}
	return "no drift"
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeText prints the report for a person: one headline per provider, the
// changes in used operations under it, and the one-line outside summary.
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
		fmt.Fprintf(&b, "%s: %s (sha256 %s vendored, %s upstream at %s)\n", p.Name, headline(p.Status), short(p.VendoredSHA256), short(p.UpstreamSHA256), p.Source)
		for _, c := range p.Changes {
			kind := "non-breaking"
			if c.Breaking {
				kind = "BREAKING"
			}
			where := ""
			if c.Method != "" || c.Path != "" {
				where = strings.TrimSpace(c.Method+" "+c.Path) + " "
				if c.Operation != "" {
					where += "(" + c.Operation + ") "
				}
			}
			fmt.Fprintf(&b, "  %-12s %s[%s] %s\n", kind, where, c.ID, c.Text)
		}
		if p.Outside != nil {
			fmt.Fprintf(&b, "  %s\n", p.Outside)
			if p.Status == statusOutsideOnly && p.Outside.zero() {
				fmt.Fprintf(&b, "  (the file differs only in components, metadata or formatting that no operation reaches)\n")
			}
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
		return "BREAKING drift in used operations"
	case statusNonBreaking:
		return "non-breaking drift in used operations"
	}
	return "no drift in used operations; upstream changed elsewhere"
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// markdown renders the report for an issue or a pull request description.
func (r *report) markdown() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "**Spec-drift check: %s** (exit %d)\n\n", r.Summary, r.ExitCode)
	for _, p := range r.Providers {
		fmt.Fprintf(&b, "### %s: %s\n\n", p.Name, describe(p.Status))
		switch p.Status {
		case statusCannotCheck:
			fmt.Fprintf(&b, "Could not check: %s\n\n", mdEscape(p.Error))
			continue
		case statusNoDrift:
			fmt.Fprintf(&b, "Upstream sha256 `%s` matches the vendored file.\n\n", p.UpstreamSHA256)
			continue
		}
		fmt.Fprintf(&b, "Vendored sha256 `%s`, upstream `%s` (from %s).\n\n", p.VendoredSHA256, p.UpstreamSHA256, mdEscape(p.Source))
		if len(p.Changes) > 0 {
			b.WriteString("| | operation | check | change |\n|---|---|---|---|\n")
			for _, c := range p.Changes {
				kind := "non-breaking"
				if c.Breaking {
					kind = "**breaking**"
				}
				op := strings.TrimSpace(c.Method + " " + c.Path)
				if op != "" {
					op = "`" + op + "`"
				}
				if c.Operation != "" {
					op += " " + c.Operation
				}
				fmt.Fprintf(&b, "| %s | %s | `%s` | %s |\n", kind, op, c.ID, mdEscape(c.Text))
			}
			b.WriteString("\n")
		}
		if p.Outside != nil {
			fmt.Fprintf(&b, "%s.\n\n", mdEscape(p.Outside.String()))
		}
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

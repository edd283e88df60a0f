package verify

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the report as an aligned table: per zone a row for the
// primary, per provider a row for its API view and one per nameserver
// address, then the findings and a summary line. With onlyProblems, zones
// whose severity is OK are left out (the summary still counts them).
func (r *Report) WriteTable(w io.Writer, onlyProblems bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ZONE\tPROVIDER\tSERVER\tSERIAL\tSTATUS\tDETAIL")
	for _, z := range r.Zones {
		if onlyProblems && z.Severity == OK {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Zone, "(primary)", z.Primary.Addr, serial(z.Primary.Serial), statusText(z.Primary), z.Primary.Error)
		for _, f := range z.Findings {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Zone, "(primary)", "-", "-", f.Severity, f.Kind+": "+f.Message)
		}
		for _, p := range z.Providers {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Zone, p.Provider, "(api)", serial(p.API.Serial), dash(p.API.State), apiDetail(p.API))
			for _, ns := range p.Nameservers {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Zone, p.Provider, serverText(ns), serial(ns.Serial), statusText(ns), ns.Error)
			}
			for _, f := range p.Findings {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Zone, p.Provider, "-", "-", f.Severity, f.Kind+": "+f.Message)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := r.Summary
	_, err := fmt.Fprintf(w, "%d zone(s): %d in sync, %d with warnings, %d behind, %d broken; %d DNS queries in %s\n",
		s.Zones, s.OK, s.Warning, s.Behind, s.Broken, s.Queries, r.Finished.Sub(r.Started).Round(time.Millisecond))
	return err
}

func serial(s uint32) string {
	if s == 0 {
		return "-"
	}
	return strconv.FormatUint(uint64(s), 10)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func statusText(r ServerResult) string {
	switch r.Status {
	case StatusBehind:
		return fmt.Sprintf("behind by %d", r.Behind)
	case StatusAhead:
		return fmt.Sprintf("ahead by %d", r.Behind)
	case StatusBackwards:
		return fmt.Sprintf("backwards by %d", r.Behind)
	}
	return string(r.Status)
}

func serverText(r ServerResult) string {
	if !r.Addr.IsValid() {
		return r.Name
	}
	if r.Name == "" || r.Name == r.Addr.String() {
		return r.Addr.String()
	}
	return r.Name + " " + r.Addr.String()
}

func apiDetail(v APIView) string {
	var parts []string
	if v.LastTransfer.IsZero() {
		parts = append(parts, "last transfer unknown")
	} else {
		parts = append(parts, fmt.Sprintf("last transfer %s ago", v.SinceLastTransfer.Round(time.Second)))
	}
	for _, p := range v.Primaries {
		s := p.Primary + " " + dash(p.Status)
		if p.Error != "" {
			s += " (" + p.Error + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

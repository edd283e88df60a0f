package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// statusCommand is `secdns status ZONE`: one zone at every selected
// provider, side by side, and whether they agree.
func statusCommand() *commandEntry {
	return &commandEntry{
		name: "status", args: "ZONE", summary: "show one zone at every selected provider side by side, and whether they agree",
		help: `Reads the zone at each selected provider (-p ionos,cloudflare, -p all, or
the one provider given) and shows side by side: the primaries with their
effective ports (192.0.2.1 is 192.0.2.1:53, so they compare), the provider-
independent readiness (ready, pending, failed, unknown), the provider's raw
state, the SOA serial, the last transfer and, where the provider reports it,
each primary's transfer status. "n/a" marks what a provider does not report
at all (IONOS reports no serial; only Cloudflare reports serials), "-" what
it has not reported yet.

The verdict says whether the providers agree: the zone exists at every one,
with the same primaries, and the same serial wherever one is reported.

Exit codes: the worst outcome of the providers' reads (3 if the zone is
missing at one, 4 for credentials, ...); 7 if every read succeeded but the
providers disagree; 0 if they agree.`,
		run: cmdStatus, minArgs: 1, maxArgs: 1,
	}
}

// primaryStatusJSON is one primary's transfer status.
type primaryStatusJSON struct {
	Primary string `json:"primary"`
	Status  string `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
}

// statusRowJSON is the zone at one provider. Serial and LastTransfer are
// null where the provider does not report them (n/a); 0 and "" mean it has
// not reported one yet. PrimaryStatus is null where the provider reports
// no per-primary status.
type statusRowJSON struct {
	Provider      string              `json:"provider"`
	Type          string              `json:"type"`
	Found         bool                `json:"found"`
	ID            string              `json:"id,omitempty"`
	Primaries     []string            `json:"primaries"`
	Readiness     string              `json:"readiness"`
	State         string              `json:"state"`
	Serial        *uint32             `json:"serial"`
	LastTransfer  *string             `json:"last_transfer"`
	PrimaryStatus []primaryStatusJSON `json:"primary_status"`
	Error         *errorJSON          `json:"error,omitempty"`

	primaries []facade.Primary
}

// statusJSON is the answer of status.
type statusJSON struct {
	Zone string `json:"zone"`
	// Agree: the zone exists at every provider with equal primaries and,
	// where reported, equal serials.
	Agree bool `json:"agree"`
	// Disagreements say why not, one sentence each.
	Disagreements []string        `json:"disagreements"`
	Providers     []statusRowJSON `json:"providers"`
}

func cmdStatus(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	ts, _, err := a.selectTargets()
	if err != nil {
		return err
	}
	rows := make([]statusRowJSON, len(ts))
	for i, t := range ts {
		rows[i] = statusRowJSON{Provider: t.name, Type: t.typ, Primaries: []string{}, Readiness: string(facade.ReadinessUnknown)}
	}
	outs := a.fanOut(ctx, ts, func(ctx context.Context, sub *app) error {
		row := &rows[slices.IndexFunc(ts, func(t provTarget) bool { return t.name == sub.name })]
		return readStatus(ctx, sub.neutral, zone, row)
	})
	worst := exitOK
	for i, o := range outs {
		if o.err != nil {
			e := toErrorJSON(o.err, o.t.name)
			rows[i].Error = &e
			worst = worstExit(worst, e.ExitCode)
			a.printError(o.err, o.t.name)
		}
	}
	out := statusJSON{Zone: zone, Providers: rows, Disagreements: disagreements(rows)}
	out.Agree = len(out.Disagreements) == 0
	if a.g.json {
		err = a.printJSON(out)
	} else {
		err = a.printStatusTable(out)
	}
	if err != nil {
		return err
	}
	if worst == exitOK && !out.Agree {
		worst = exitDisagree
	}
	if worst != exitOK {
		return &reportedExit{code: worst}
	}
	return nil
}

// readStatus fills row from the zone and, where the provider reports
// per-primary status, its transfer status.
func readStatus(ctx context.Context, c facade.SecondaryDNS, zone string, row *statusRowJSON) error {
	caps := c.Capabilities()
	z, err := c.GetZone(ctx, zone)
	if err != nil {
		return err
	}
	row.Found, row.ID, row.State = true, z.ID, z.State
	row.Readiness = readiness(z)
	row.primaries = z.Primaries
	row.Primaries = effectivePrimaries(z.Primaries)
	if caps.Serial {
		s := z.Serial
		row.Serial = &s
	}
	if caps.LastTransfer {
		t := timeString(z.LastTransfer)
		row.LastTransfer = &t
	}
	if caps.PrimaryStatus {
		st, err := c.TransferStatus(ctx, zone)
		if err != nil {
			return err
		}
		row.PrimaryStatus = []primaryStatusJSON{}
		for _, p := range st.Primaries {
			row.PrimaryStatus = append(row.PrimaryStatus, primaryStatusJSON{Primary: p.Primary.Effective().String(), Status: p.Status, Error: p.Error})
		}
	}
	return nil
}

// effectivePrimaries formats primaries with their effective ports, sorted,
// so that lists from different providers compare as text too.
func effectivePrimaries(ps []facade.Primary) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Effective().String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// disagreements lists why the providers do not agree on the zone.
func disagreements(rows []statusRowJSON) []string {
	out := []string{}
	var ref *statusRowJSON
	var serialRef *statusRowJSON
	for i := range rows {
		r := &rows[i]
		if !r.Found {
			what := "could not be read"
			if r.Error != nil && r.Error.Kind == "not_found" {
				what = "does not exist"
			}
			out = append(out, fmt.Sprintf("the zone %s at %s", what, r.Provider))
			continue
		}
		if ref == nil {
			ref = r
		} else if !facade.EqualPrimaries(ref.primaries, r.primaries) {
			out = append(out, fmt.Sprintf("primaries differ: %s has %s, %s has %s", ref.Provider, listOrNone(ref.Primaries), r.Provider, listOrNone(r.Primaries)))
		}
		if r.Serial != nil && *r.Serial != 0 {
			if serialRef == nil {
				serialRef = r
			} else if *serialRef.Serial != *r.Serial {
				out = append(out, fmt.Sprintf("serials differ: %s has %d, %s has %d", serialRef.Provider, *serialRef.Serial, r.Provider, *r.Serial))
			}
		}
	}
	return out
}

func listOrNone(ps []string) string {
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, ",")
}

func (a *app) printStatusTable(out statusJSON) error {
	verdict := "the providers agree"
	if !out.Agree {
		verdict = "the providers DISAGREE"
	}
	if len(out.Providers) == 1 {
		verdict = "one provider"
		if !out.Agree {
			verdict = "one provider, zone not read"
		}
	}
	fmt.Fprintf(a.stdout, "Zone %s at %d provider(s): %s\n", out.Zone, len(out.Providers), verdict)
	for _, d := range out.Disagreements {
		fmt.Fprintf(a.stdout, "  - %s\n", d)
	}
	tw := a.table()
	line := func(label string, f func(r statusRowJSON) string) {
		cells := []string{label}
		for _, r := range out.Providers {
			if !r.Found {
				cells = append(cells, "-")
				continue
			}
			cells = append(cells, f(r))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	header := []string{""}
	for _, r := range out.Providers {
		header = append(header, targetLabel(provTarget{name: r.Provider, typ: r.Type}))
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	line("ID", func(r statusRowJSON) string { return dash(r.ID) })
	line("Primaries", func(r statusRowJSON) string { return dash(strings.Join(r.Primaries, ", ")) })
	line("Readiness", func(r statusRowJSON) string { return r.Readiness })
	line("State", func(r statusRowJSON) string { return dash(r.State) })
	line("Serial", func(r statusRowJSON) string {
		if r.Serial == nil {
			return "n/a"
		}
		return serialString(*r.Serial)
	})
	line("Last transfer", func(r statusRowJSON) string {
		if r.LastTransfer == nil {
			return "n/a"
		}
		return dash(*r.LastTransfer)
	})
	line("Primary status", func(r statusRowJSON) string {
		if r.PrimaryStatus == nil {
			return "n/a"
		}
		var s []string
		for _, p := range r.PrimaryStatus {
			s = append(s, p.Primary+" "+dash(p.Status))
		}
		return dash(strings.Join(s, ", "))
	})
	errs := slices.ContainsFunc(out.Providers, func(r statusRowJSON) bool { return r.Error != nil })
	if errs {
		cells := []string{"Error"}
		for _, r := range out.Providers {
			if r.Error == nil {
				cells = append(cells, "-")
				continue
			}
			cells = append(cells, r.Error.Kind)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

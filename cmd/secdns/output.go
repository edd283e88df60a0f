package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// zoneJSON is how a zone is printed with --json.
type zoneJSON struct {
	Provider     string   `json:"provider"`
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	State        string   `json:"state,omitempty"`
	Readiness    string   `json:"readiness"`
	Primaries    []string `json:"primaries"`
	Nameservers  []string `json:"nameservers,omitempty"`
	Serial       uint32   `json:"serial,omitempty"`
	LastTransfer string   `json:"last_transfer,omitempty"`
	TSIGKey      string   `json:"tsig_key,omitempty"`
}

func toZoneJSON(z facade.Zone) zoneJSON {
	return zoneJSON{
		Provider: z.Provider, ID: z.ID, Name: z.Name, State: z.State, Readiness: readiness(z),
		Primaries: primaryStrings(z.Primaries), Nameservers: z.Nameservers,
		Serial: z.Serial, LastTransfer: timeString(z.LastTransfer), TSIGKey: z.TSIGKey,
	}
}

// readiness is the zone's provider-independent readiness, "unknown" where
// the adapter does not say.
func readiness(z facade.Zone) string {
	if z.Readiness == "" {
		return string(facade.ReadinessUnknown)
	}
	return string(z.Readiness)
}

func primaryStrings(ps []facade.Primary) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func serialString(s uint32) string {
	if s == 0 {
		return "-"
	}
	return strconv.FormatUint(uint64(s), 10)
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) table() *tabwriter.Writer {
	return tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
}

func (a *app) printZones(zones []facade.Zone) error {
	if a.g.json {
		out := make([]zoneJSON, 0, len(zones))
		for _, z := range zones {
			out = append(out, toZoneJSON(z))
		}
		return a.printJSON(out)
	}
	if len(zones) == 0 {
		fmt.Fprintln(a.stdout, "no secondary zones")
		return nil
	}
	tw := a.table()
	fmt.Fprintln(tw, "NAME\tSTATE\tPRIMARIES\tSERIAL\tLAST TRANSFER\tID")
	for _, z := range zones {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", z.Name, dash(z.State), dash(strings.Join(primaryStrings(z.Primaries), ",")),
			serialString(z.Serial), dash(timeString(z.LastTransfer)), z.ID)
	}
	return tw.Flush()
}

func (a *app) printZone(z facade.Zone) error {
	if a.g.json {
		return a.printJSON(toZoneJSON(z))
	}
	tw := a.table()
	fmt.Fprintf(tw, "Zone:\t%s\n", z.Name)
	fmt.Fprintf(tw, "Provider:\t%s\n", z.Provider)
	fmt.Fprintf(tw, "ID:\t%s\n", z.ID)
	if z.Readiness != "" {
		fmt.Fprintf(tw, "State:\t%s (%s)\n", dash(z.State), z.Readiness)
	} else {
		fmt.Fprintf(tw, "State:\t%s\n", dash(z.State))
	}
	fmt.Fprintf(tw, "Primaries:\t%s\n", dash(strings.Join(primaryStrings(z.Primaries), ", ")))
	if len(z.Nameservers) > 0 {
		fmt.Fprintf(tw, "Nameservers:\t%s\n", strings.Join(z.Nameservers, ", "))
	}
	fmt.Fprintf(tw, "Serial:\t%s\n", serialString(z.Serial))
	fmt.Fprintf(tw, "Last transfer:\t%s\n", dash(timeString(z.LastTransfer)))
	if z.TSIGKey != "" {
		fmt.Fprintf(tw, "TSIG key:\t%s\n", z.TSIGKey)
	}
	return tw.Flush()
}

// printResult prints v with --json, else the formatted line.
func (a *app) printResult(v any, format string, args ...any) error {
	if a.g.json {
		return a.printJSON(v)
	}
	_, err := fmt.Fprintf(a.stdout, format, args...)
	return err
}

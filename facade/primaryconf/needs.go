package primaryconf

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Needs is what a primary must do for one provider on one day, with how
// far the registry can be trusted about it. verify prints it when a
// provider reports a transfer failure or its nameservers lag.
type Needs struct {
	// Provider is the provider name; Title its display name.
	Provider, Title string
	// Date is the day the entries were selected for (YYYY-MM-DD).
	Date string
	// AllowTransferFrom are the addresses the primary must allow zone
	// transfers from. Empty when unknown: see TransferSourcesKnown.
	AllowTransferFrom []netip.Prefix
	// TransferSourcesKnown is false when the registry does not know the
	// provider's transfer sources (IONOS).
	TransferSourcesKnown bool
	// NotifyTo are the addresses the primary should send NOTIFY to, on
	// NotifyPort.
	NotifyTo   []netip.Addr
	NotifyPort uint16
	// TSIG reports whether the provider supports TSIG.
	TSIG bool
	// Stale is true when any of the provider's facts was checked longer
	// ago than the maximum age; StaleFacts lists them.
	Stale      bool
	StaleFacts []StaleFact
	// Sources are the distinct pages the facts come from, in registry order.
	Sources []Source
}

// Needs returns what the primary must allow and notify for provider on day,
// and whether the registry entry is stale (checked more than maxAge before
// day; 0 means [DefaultMaxAge]). An unknown provider is an error of kind
// facade.ErrInvalidInput.
func (r *Registry) Needs(provider string, day time.Time, maxAge time.Duration) (Needs, error) {
	p, err := r.lookup(provider)
	if err != nil {
		return Needs{}, err
	}
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	pc := r.providerConfig(p, day)
	n := Needs{Provider: p.Name, Title: p.Title, Date: truncateDay(day).Format(dateLayout),
		NotifyTo: notifyAddrs(pc.Notify), NotifyPort: pc.NotifyPort, TSIG: p.SupportsTSIG()}
	for _, a := range pc.Transfer {
		n.AllowTransferFrom = append(n.AllowTransferFrom, a.Prefixes...)
	}
	n.TransferSourcesKnown = len(n.AllowTransferFrom) > 0
	for _, s := range p.pages() {
		n.Sources = append(n.Sources, s)
		if age, old := staleAge(s, day, maxAge); old {
			n.StaleFacts = append(n.StaleFacts, StaleFact{Provider: p.Name, Source: s, AgeDays: age})
		}
	}
	n.Stale = len(n.StaleFacts) > 0
	return n, nil
}

// String is a one-paragraph hint for an operator, e.g. "Cloudflare: the
// primary must allow zone transfers from 104.30.167.163, ... and send
// NOTIFY to ...".
func (n Needs) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", n.Title)
	if n.TransferSourcesKnown {
		list := make([]string, len(n.AllowTransferFrom))
		for i, p := range n.AllowTransferFrom {
			list[i] = addr(p)
		}
		fmt.Fprintf(&b, "the primary must allow zone transfers from %s", strings.Join(list, ", "))
	} else {
		b.WriteString("the addresses its zone transfers come from are not documented (registry), so the primary's ACL cannot be checked against them")
	}
	if len(n.NotifyTo) > 0 {
		list := make([]string, len(n.NotifyTo))
		for i, a := range n.NotifyTo {
			list[i] = a.String()
		}
		fmt.Fprintf(&b, "; send NOTIFY to %s", strings.Join(list, ", "))
		if n.NotifyPort != 53 {
			fmt.Fprintf(&b, " port %d", n.NotifyPort)
		}
	}
	if n.TSIG {
		b.WriteString("; TSIG supported: the key names must match on both sides")
	}
	fmt.Fprintf(&b, " (registry as of %s", n.Date)
	if n.Stale {
		oldest := n.StaleFacts[0]
		for _, s := range n.StaleFacts[1:] {
			if s.AgeDays > oldest.AgeDays {
				oldest = s
			}
		}
		fmt.Fprintf(&b, "; STALE: %d facts not re-checked, oldest %s", len(n.StaleFacts), oldest.Source.Checked)
	}
	b.WriteString(")")
	return b.String()
}

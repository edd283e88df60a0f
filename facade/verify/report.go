package verify

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Severity ranks a finding. A report's severity is its worst finding's.
type Severity int

// Severities, from best to worst.
const (
	// OK: nothing to report.
	OK Severity = iota
	// Warning: served with the current serial, but with a caveat (e.g. a
	// signed zone at a provider that drops the signatures, or the API
	// reporting a serial other than the one served).
	Warning
	// Behind: a nameserver serves an older serial than the primary.
	Behind
	// Broken: a server is not serving the zone, refuses, cannot be reached,
	// answers for another zone, serves a serial newer than the primary's or
	// one that went backwards, or the primary or a provider's API failed.
	Broken
)

var severityNames = [...]string{"ok", "warning", "behind", "broken"}

// String returns "ok", "warning", "behind" or "broken".
func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", clip(string(b)))
}

// Exit codes of [Report.ExitCode], chosen so that the verify command can
// serve as a Nagios/Icinga plugin (OK, WARNING, CRITICAL).
const (
	// ExitInSync: every nameserver serves the primary's serial (warnings
	// may have been printed).
	ExitInSync = 0
	// ExitBehind: at least one nameserver is behind, nothing is broken.
	ExitBehind = 1
	// ExitBroken: something is broken (see [Broken]).
	ExitBroken = 2
)

// ExitCodeFor maps a severity to [ExitInSync], [ExitBehind] or [ExitBroken].
// With strict, warnings count as behind.
func ExitCodeFor(s Severity, strict bool) int {
	switch {
	case s >= Broken:
		return ExitBroken
	case s == Behind, s == Warning && strict:
		return ExitBehind
	}
	return ExitInSync
}

// Status is the outcome of one SOA query, compared with the primary.
type Status string

// Statuses of a [ServerResult].
const (
	// StatusInSync: the server serves the primary's serial.
	StatusInSync Status = "in-sync"
	// StatusBehind: the server serves an older serial (Behind says by how
	// many increments).
	StatusBehind Status = "behind"
	// StatusAhead: the server serves a serial newer than the primary's: the
	// primary's serial went backwards, or it is fed by another primary.
	StatusAhead Status = "ahead"
	// StatusBackwards: the server serves a serial older than it served in
	// the previous run (see [WithPrevious]).
	StatusBackwards Status = "backwards"
	// StatusIncomparable: the serials are exactly 2^31 apart, where RFC
	// 1982 defines no order.
	StatusIncomparable Status = "incomparable"
	// StatusAnswered: the server answered, but there is no primary serial to
	// compare with (the primary failed).
	StatusAnswered Status = "answered"
	// StatusNotServing: the server answered without authority for the zone
	// (NOTAUTH, SERVFAIL, NXDOMAIN, no SOA, no AA bit).
	StatusNotServing Status = "not-serving"
	// StatusRefused: the server answered REFUSED.
	StatusRefused Status = "refused"
	// StatusWrongZone: the SOA in the answer belongs to another zone.
	StatusWrongZone Status = "wrong-zone"
	// StatusTimeout: no answer within the query timeout.
	StatusTimeout Status = "timeout"
	// StatusUnreachable: the server could not be reached (e.g. connection
	// refused, no route).
	StatusUnreachable Status = "unreachable"
	// StatusUnresolved: the nameserver's name did not resolve to an address.
	StatusUnresolved Status = "unresolved"
	// StatusError: any other failure (e.g. a malformed answer).
	StatusError Status = "error"
)

// Severity returns the severity of a result with this status.
func (s Status) Severity() Severity {
	switch s {
	case StatusInSync, StatusAnswered:
		return OK
	case StatusBehind:
		return Behind
	}
	return Broken
}

// ServerResult is one SOA query: at the primary or at one address of a
// provider's nameserver.
type ServerResult struct {
	// Name is the nameserver's name (empty for the primary).
	Name string `json:"name,omitempty"`
	// Addr is the address queried (invalid if Name did not resolve).
	Addr netip.AddrPort `json:"addr"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Serial is the serial served, 0 unless the server answered.
	Serial uint32 `json:"serial,omitempty"`
	// Behind is how many increments the serial is behind the primary's
	// (with StatusBehind), or ahead of it (with StatusAhead), or lower than
	// in the previous run (with StatusBackwards).
	Behind uint32 `json:"behind,omitempty"`
	// Error describes a failure, empty otherwise.
	Error string `json:"error,omitempty"`
}

// Finding is a problem or caveat that is not one server's SOA answer: an
// API failure, a disagreement between the API and DNS, a warning.
type Finding struct {
	// Severity ranks the finding.
	Severity Severity `json:"severity"`
	// Kind is a stable identifier, one of the Kind* constants.
	Kind string `json:"kind"`
	// Message explains it to an operator.
	Message string `json:"message"`
}

// Kinds of [Finding].
const (
	KindPrimaryFailed   = "primary-failed"   // the primary's SOA query failed
	KindPrimaryBackward = "primary-backward" // the primary's serial is lower than in the previous run
	KindZoneMissing     = "zone-missing"     // the provider has no secondary zone of that name
	KindAPIError        = "api-error"        // the provider's API failed
	KindAPIDisagrees    = "api-dns-disagree" // the API reports a serial the nameservers do not serve
	KindTransferFailed  = "transfer-failed"  // the API reports a failed transfer from a primary
	KindNoNameservers   = "no-nameservers"   // no nameserver to query (the API lists none)
	KindSignedUnsupport = "dnssec-dropped"   // a signed zone at a provider that drops signatures
	KindSignedUnknown   = "dnssec-unknown"   // could not tell whether the zone is signed
	KindPrimaryACL      = "primary-acl"      // what the primary must allow and notify for the provider (registry), given when it lags
)

// APIView is what a provider's API says about the zone.
type APIView struct {
	// State is the provider's zone state, e.g. "available", "active".
	State string `json:"state,omitempty"`
	// Serial is the serial the API reports, 0 if it reports none.
	Serial uint32 `json:"serial,omitempty"`
	// LastTransfer is when the API says the zone was last transferred.
	LastTransfer time.Time `json:"last_transfer,omitzero"`
	// SinceLastTransfer is the time from LastTransfer to the report's
	// start, 0 if LastTransfer is unknown.
	SinceLastTransfer time.Duration `json:"since_last_transfer_ns,omitempty"`
	// Nameservers are the names the API lists for the zone.
	Nameservers []string `json:"nameservers,omitempty"`
	// Primaries is the per-primary transfer status, where reported.
	Primaries []PrimaryStatus `json:"primaries,omitempty"`
}

// PrimaryStatus is a provider's view of one primary.
type PrimaryStatus struct {
	Primary string `json:"primary"`
	Status  string `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
}

// ProviderReport is one provider's view of one zone.
type ProviderReport struct {
	// Provider is the provider name, e.g. "ionos".
	Provider string `json:"provider"`
	// Severity is the worst of the findings and nameservers.
	Severity Severity `json:"severity"`
	// API is the provider's API view (zero if the API failed).
	API APIView `json:"api"`
	// Nameservers holds one result per nameserver address.
	Nameservers []ServerResult `json:"nameservers"`
	// Findings are the problems and caveats beyond the SOA answers.
	Findings []Finding `json:"findings,omitempty"`
}

// ZoneReport is one zone at the primary and at every provider.
type ZoneReport struct {
	// Zone is the normalised zone name.
	Zone string `json:"zone"`
	// Severity is the worst of the primary, the findings and the providers.
	Severity Severity `json:"severity"`
	// Primary is the primary's SOA answer.
	Primary ServerResult `json:"primary"`
	// Signed is true if the primary serves DNSKEY for the zone; it is only
	// checked when a provider that drops signatures is involved.
	Signed bool `json:"signed,omitempty"`
	// Findings are zone-level problems (the primary's).
	Findings []Finding `json:"findings,omitempty"`
	// Providers holds one report per provider, in the order given.
	Providers []ProviderReport `json:"providers"`
}

// Summary counts the zones by severity.
type Summary struct {
	Zones   int `json:"zones"`
	OK      int `json:"ok"`
	Warning int `json:"warning"`
	Behind  int `json:"behind"`
	Broken  int `json:"broken"`
	// Queries is the number of DNS queries sent.
	Queries int64 `json:"queries"`
}

// Report is the outcome of [Verifier.Verify].
type Report struct {
	// Started and Finished bound the run.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Primary is the primary queried for the reference serial.
	Primary netip.AddrPort `json:"primary"`
	// Severity is the worst zone's.
	Severity Severity `json:"severity"`
	// Summary counts the zones by severity.
	Summary Summary `json:"summary"`
	// Zones holds one report per zone, in the order given.
	Zones []ZoneReport `json:"zones"`
}

// ExitCode is [ExitCodeFor] the report's severity.
func (r *Report) ExitCode(strict bool) int { return ExitCodeFor(r.Severity, strict) }

// finish computes the severities and the summary.
func (r *Report) finish() {
	r.Severity = OK
	r.Summary = Summary{Zones: len(r.Zones), Queries: r.Summary.Queries}
	for i := range r.Zones {
		z := &r.Zones[i]
		z.Severity = max(z.Primary.Status.Severity(), worst(z.Findings))
		for j := range z.Providers {
			p := &z.Providers[j]
			p.Severity = worst(p.Findings)
			for _, ns := range p.Nameservers {
				p.Severity = max(p.Severity, ns.Status.Severity())
			}
			z.Severity = max(z.Severity, p.Severity)
		}
		switch z.Severity {
		case OK:
			r.Summary.OK++
		case Warning:
			r.Summary.Warning++
		case Behind:
			r.Summary.Behind++
		default:
			r.Summary.Broken++
		}
		r.Severity = max(r.Severity, z.Severity)
	}
}

func worst(fs []Finding) Severity {
	s := OK
	for _, f := range fs {
		s = max(s, f.Severity)
	}
	return s
}

// apiView converts the facade's values.
func apiView(z facade.Zone, st facade.TransferStatus, now time.Time) APIView {
	v := APIView{State: z.State, Serial: z.Serial, LastTransfer: z.LastTransfer, Nameservers: z.Nameservers}
	if st.Serial != 0 {
		v.Serial = st.Serial
	}
	if st.LastTransfer.After(v.LastTransfer) {
		v.LastTransfer = st.LastTransfer
	}
	if !v.LastTransfer.IsZero() {
		v.SinceLastTransfer = now.Sub(v.LastTransfer)
	}
	for _, p := range st.Primaries {
		v.Primaries = append(v.Primaries, PrimaryStatus{Primary: p.Primary.String(), Status: p.Status, Error: p.Error})
	}
	return v
}

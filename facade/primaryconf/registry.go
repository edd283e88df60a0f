package primaryconf

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// registryJSON is the reviewed registry of provider facts shipped with the
// library. Edit registry.json, not this variable; every entry names the
// page it was checked against and when.
//
//go:embed registry.json
var registryJSON []byte

// dateLayout is the layout of every date in the registry (YYYY-MM-DD, UTC).
const dateLayout = "2006-01-02"

// Source says where a fact comes from.
type Source struct {
	// URL is the provider's documentation page the fact was checked against.
	URL string `json:"url"`
	// Checked is the day (UTC, YYYY-MM-DD) the fact was last checked.
	Checked string `json:"checked"`
	// Confirmed reports whether the page stated the fact on Checked; false
	// means the fact is inferred or unknown, and Note says why.
	Confirmed bool `json:"confirmed"`
	// Note quotes or explains what the page says.
	Note string `json:"note,omitempty"`
}

// CheckedDate parses Checked.
func (s Source) CheckedDate() (time.Time, error) {
	return time.Parse(dateLayout, s.Checked)
}

// AddressEntry is a set of addresses valid over an optional window.
type AddressEntry struct {
	// Prefixes are addresses in CIDR form (a single address is a /32 or /128).
	Prefixes []string `json:"prefixes"`
	// From is the first day the entry is valid (YYYY-MM-DD), empty for
	// "always was".
	From string `json:"from,omitempty"`
	// Until is the first day the entry is no longer valid (YYYY-MM-DD,
	// exclusive), empty for "still valid".
	Until string `json:"until,omitempty"`
	// Source is where the addresses were found.
	Source Source `json:"source"`

	prefixes []netip.Prefix
	from     time.Time
	until    time.Time
}

// ValidOn reports whether the entry applies on day (compared as UTC dates).
func (e AddressEntry) ValidOn(day time.Time) bool {
	d := truncateDay(day)
	if !e.from.IsZero() && d.Before(e.from) {
		return false
	}
	return e.until.IsZero() || d.Before(e.until)
}

// Fact is a yes/no/unknown or valued property of a provider with its source.
type Fact struct {
	// Value is the fact: "yes", "no" or "unknown" for TSIG and DNSSEC; a
	// port number or "any" for ports.
	Value string `json:"value"`
	// Source is where it was found.
	Source Source `json:"source"`
}

// Provider holds the registry's facts about one provider.
type Provider struct {
	// Name is the provider name, e.g. [facade.ProviderCloudflare].
	Name string `json:"name"`
	// Title is the provider's display name.
	Title string `json:"title"`
	// TransferSources are the addresses the provider's zone transfers
	// (AXFR/IXFR) come from: the primary must allow them.
	TransferSources []AddressEntry `json:"transfer_sources,omitempty"`
	// TransferSourcesUnknown, when set, records that the transfer sources
	// could not be found, and where they were looked for.
	TransferSourcesUnknown *Source `json:"transfer_sources_unknown,omitempty"`
	// NotifyTargets are the addresses the primary should send NOTIFY to.
	NotifyTargets []AddressEntry `json:"notify_targets,omitempty"`
	// NotifyTargetsNone, when set, records that the provider documents no
	// NOTIFY target.
	NotifyTargetsNone *Source `json:"notify_targets_none,omitempty"`
	// NotifyPort is the port NOTIFY is sent to, if there are targets.
	NotifyPort *Fact `json:"notify_port,omitempty"`
	// PrimaryPort is the port the provider transfers from on the primary:
	// "any" (set per primary) or a number.
	PrimaryPort Fact `json:"primary_port"`
	// TSIG says whether transfers can be authenticated with TSIG.
	TSIG Fact `json:"tsig"`
	// DNSSEC says whether the signatures of a pre-signed zone are carried.
	DNSSEC Fact `json:"dnssec"`
}

// SupportsTSIG reports whether the registry says the provider supports TSIG.
func (p Provider) SupportsTSIG() bool { return p.TSIG.Value == "yes" }

// Sources returns every source of the provider's facts, in file order.
func (p Provider) Sources() []Source {
	var out []Source
	for _, e := range p.TransferSources {
		out = append(out, e.Source)
	}
	if p.TransferSourcesUnknown != nil {
		out = append(out, *p.TransferSourcesUnknown)
	}
	for _, e := range p.NotifyTargets {
		out = append(out, e.Source)
	}
	if p.NotifyTargetsNone != nil {
		out = append(out, *p.NotifyTargetsNone)
	}
	if p.NotifyPort != nil {
		out = append(out, p.NotifyPort.Source)
	}
	return append(out, p.PrimaryPort.Source, p.TSIG.Source, p.DNSSEC.Source)
}

// pages returns the provider's sources with one entry per page and check
// date (the first fact's), in file order.
func (p Provider) pages() []Source {
	type key struct{ url, checked string }
	seen := map[key]bool{}
	var out []Source
	for _, s := range p.Sources() {
		if k := (key{s.URL, s.Checked}); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// Registry is a validated set of provider facts. It is immutable and safe
// for concurrent use.
type Registry struct {
	providers []Provider // sorted by Name
}

// registryFile is the file format.
type registryFile struct {
	Schema    int        `json:"schema"`
	Providers []Provider `json:"providers"`
}

// Default returns the registry embedded in the library.
func Default() (*Registry, error) {
	return Parse(registryJSON)
}

// Parse reads and validates a registry in the format of the embedded
// registry.json (unknown fields are rejected). Tests use it for a registry
// of loopback addresses.
func Parse(data []byte) (*Registry, error) {
	var f registryFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("primaryconf: registry: %w", err)
	}
	if f.Schema != 1 {
		return nil, fmt.Errorf("primaryconf: registry: schema %d, want 1", f.Schema)
	}
	if len(f.Providers) == 0 {
		return nil, errors.New("primaryconf: registry: no providers")
	}
	seen := map[string]bool{}
	for i := range f.Providers {
		p := &f.Providers[i]
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("primaryconf: registry: provider %q: %w", p.Name, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("primaryconf: registry: provider %q listed twice", p.Name)
		}
		seen[p.Name] = true
	}
	slices.SortFunc(f.Providers, func(a, b Provider) int { return strings.Compare(a.Name, b.Name) })
	return &Registry{providers: f.Providers}, nil
}

func (p *Provider) validate() error {
	if p.Name == "" || p.Name != strings.ToLower(p.Name) || strings.ContainsAny(p.Name, " \t\"';{}#") {
		return errors.New("name must be a non-empty lower-case word")
	}
	if p.Title == "" {
		return errors.New("title is empty")
	}
	if (len(p.TransferSources) == 0) == (p.TransferSourcesUnknown == nil) {
		return errors.New("exactly one of transfer_sources and transfer_sources_unknown must be given")
	}
	if len(p.NotifyTargets) > 0 && p.NotifyTargetsNone != nil {
		return errors.New("notify_targets and notify_targets_none exclude each other")
	}
	if len(p.NotifyTargets) == 0 && p.NotifyTargetsNone == nil {
		return errors.New("one of notify_targets and notify_targets_none must be given")
	}
	if len(p.NotifyTargets) > 0 && p.NotifyPort == nil {
		return errors.New("notify_port is required with notify_targets")
	}
	for i := range p.TransferSources {
		if err := p.TransferSources[i].parse(); err != nil {
			return fmt.Errorf("transfer_sources[%d]: %w", i, err)
		}
	}
	for i := range p.NotifyTargets {
		if err := p.NotifyTargets[i].parse(); err != nil {
			return fmt.Errorf("notify_targets[%d]: %w", i, err)
		}
		for _, pf := range p.NotifyTargets[i].prefixes {
			if !pf.IsSingleIP() {
				return fmt.Errorf("notify_targets[%d]: %s: a NOTIFY target is one address (/32 or /128)", i, pf)
			}
		}
	}
	if p.NotifyPort != nil {
		if _, err := parsePort(p.NotifyPort.Value, false); err != nil {
			return fmt.Errorf("notify_port: %w", err)
		}
	}
	if _, err := parsePort(p.PrimaryPort.Value, true); err != nil {
		return fmt.Errorf("primary_port: %w", err)
	}
	for name, f := range map[string]Fact{"tsig": p.TSIG, "dnssec": p.DNSSEC} {
		if !slices.Contains([]string{"yes", "no", "unknown"}, f.Value) {
			return fmt.Errorf("%s: value %q, want yes, no or unknown", name, f.Value)
		}
	}
	for _, s := range p.Sources() {
		if err := s.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (s Source) validate() error {
	if !strings.HasPrefix(s.URL, "https://") {
		return fmt.Errorf("source url %q: must be an https page", s.URL)
	}
	if _, err := s.CheckedDate(); err != nil {
		return fmt.Errorf("source %s: checked %q: want YYYY-MM-DD", s.URL, s.Checked)
	}
	if !s.Confirmed && s.Note == "" {
		return fmt.Errorf("source %s: an unconfirmed fact needs a note saying why", s.URL)
	}
	return nil
}

// parsePort accepts a port number, or "any" when anyOK.
func parsePort(v string, anyOK bool) (uint16, error) {
	if v == "any" && anyOK {
		return 0, nil
	}
	var n int
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || fmt.Sprint(n) != v {
		return 0, fmt.Errorf("%q is not a port", v)
	}
	if err := facade.ValidatePort(n); err != nil {
		return 0, err
	}
	return uint16(n), nil
}

func (e *AddressEntry) parse() error {
	if len(e.Prefixes) == 0 {
		return errors.New("no prefixes")
	}
	for _, s := range e.Prefixes {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return err
		}
		if p != p.Masked() {
			return fmt.Errorf("prefix %s has host bits set", s)
		}
		e.prefixes = append(e.prefixes, p)
	}
	var err error
	if e.From != "" {
		if e.from, err = time.Parse(dateLayout, e.From); err != nil {
			return fmt.Errorf("from %q: want YYYY-MM-DD", e.From)
		}
	}
	if e.Until != "" {
		if e.until, err = time.Parse(dateLayout, e.Until); err != nil {
			return fmt.Errorf("until %q: want YYYY-MM-DD", e.Until)
		}
	}
	if !e.from.IsZero() && !e.until.IsZero() && !e.from.Before(e.until) {
		return fmt.Errorf("from %s is not before until %s", e.From, e.Until)
	}
	return e.Source.validate()
}

// Names returns the provider names in the registry, sorted.
func (r *Registry) Names() []string {
	out := make([]string, len(r.providers))
	for i, p := range r.providers {
		out[i] = p.Name
	}
	return out
}

// Provider returns the facts about the named provider.
func (r *Registry) Provider(name string) (Provider, bool) {
	for _, p := range r.providers {
		if p.Name == name {
			return p, true
		}
	}
	return Provider{}, false
}

// lookup is Provider with an error naming the known providers.
func (r *Registry) lookup(name string) (Provider, error) {
	p, ok := r.Provider(strings.ToLower(strings.TrimSpace(name)))
	if !ok {
		return Provider{}, invalidf("unknown provider %q (the registry knows %s)", name, strings.Join(r.Names(), ", "))
	}
	return p, nil
}

// Addresses is one selected address set with the facts about it.
type Addresses struct {
	// Prefixes are the addresses, in registry order.
	Prefixes []netip.Prefix
	// Source is where they come from.
	Source Source
	// From and Until are the entry's validity window as written ("" if open).
	From, Until string
}

// selectValid returns the entries of es valid on day.
func selectValid(es []AddressEntry, day time.Time) []Addresses {
	var out []Addresses
	for _, e := range es {
		if e.ValidOn(day) {
			out = append(out, Addresses{Prefixes: slices.Clone(e.prefixes), Source: e.Source, From: e.From, Until: e.Until})
		}
	}
	return out
}

// StaleFact is a registry fact whose check date is older than allowed.
type StaleFact struct {
	// Provider is the provider name.
	Provider string
	// Source is the fact's source; Source.Checked is the old date.
	Source Source
	// Age is how long ago it was checked, in whole days.
	AgeDays int
}

// String describes the stale fact.
func (s StaleFact) String() string {
	return fmt.Sprintf("%s: %s checked %s (%d days ago)", s.Provider, s.Source.URL, s.Source.Checked, s.AgeDays)
}

// Stale returns the facts checked more than maxAge before now, per
// provider in name order and each provider's pages in file order (a page
// backing several facts is listed once).
func (r *Registry) Stale(now time.Time, maxAge time.Duration) []StaleFact {
	var out []StaleFact
	for _, p := range r.providers {
		for _, s := range p.pages() {
			if age, old := staleAge(s, now, maxAge); old {
				out = append(out, StaleFact{Provider: p.Name, Source: s, AgeDays: age})
			}
		}
	}
	return out
}

// staleAge returns the age of s in days and whether it exceeds maxAge.
func staleAge(s Source, now time.Time, maxAge time.Duration) (int, bool) {
	c, err := s.CheckedDate() // validated by Parse
	if err != nil {
		return 0, true
	}
	age := truncateDay(now).Sub(c)
	return int(age / (24 * time.Hour)), age > maxAge
}

// CheckFresh returns an error listing every fact checked more than maxAge
// before now, or nil if all are fresh. The drift job runs it weekly.
func (r *Registry) CheckFresh(now time.Time, maxAge time.Duration) error {
	stale := r.Stale(now, maxAge)
	if len(stale) == 0 {
		return nil
	}
	lines := make([]string, len(stale))
	for i, s := range stale {
		lines[i] = "  " + s.String()
	}
	return fmt.Errorf("%w: %d registry facts checked more than %d days ago; re-check the pages and update registry.json:\n%s",
		ErrStale, len(stale), int(maxAge/(24*time.Hour)), strings.Join(lines, "\n"))
}

func truncateDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

package primaryconf

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/secondarydns/secondarydns-go/facade"
)

// operation names the library in [*facade.Error] values.
const operation = "PrimaryConfig"

// DefaultMaxAge is how old a registry fact's check date may be before it is
// reported as stale.
const DefaultMaxAge = 180 * 24 * time.Hour

// ErrStale reports registry facts checked longer ago than allowed; see
// [Registry.CheckFresh].
var ErrStale = errors.New("stale registry facts")

// ErrIncomplete reports that the registry lacks a fact the configuration
// needs (e.g. IONOS's transfer source addresses). [Build] returns it,
// together with the configuration and its [Config.Gaps], unless
// [Request.AllowIncomplete] is set.
var ErrIncomplete = errors.New("configuration incomplete")

func invalidf(format string, args ...any) error {
	return facade.Invalid(operation, fmt.Errorf(format, args...))
}

// Server is a kind of primary name server a configuration is rendered for.
type Server string

// The server kinds [Render] knows.
const (
	// BIND is ISC BIND 9 (named.conf).
	BIND Server = "bind"
	// Knot is Knot DNS (knot.conf).
	Knot Server = "knot"
	// NSD is NLnet Labs NSD (nsd.conf).
	NSD Server = "nsd"
	// PowerDNS is the PowerDNS Authoritative Server (pdns.conf plus pdnsutil
	// commands).
	PowerDNS Server = "powerdns"
)

// Servers lists the server kinds in the order help shows them.
func Servers() []Server { return []Server{BIND, Knot, NSD, PowerDNS} }

// ParseServer accepts a server kind by name ("bind", "named", "knot",
// "nsd", "powerdns", "pdns"; case-insensitive).
func ParseServer(s string) (Server, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "bind", "bind9", "named":
		return BIND, nil
	case "knot", "knotd":
		return Knot, nil
	case "nsd":
		return NSD, nil
	case "powerdns", "pdns":
		return PowerDNS, nil
	}
	return "", invalidf("unknown server type %q: use bind, knot, nsd or powerdns", s)
}

// SecretRef says where the operator keeps the TSIG secret. It is written
// into comments and pdnsutil commands instead of the secret itself.
type SecretRef struct {
	// File is a path to a file holding the base64 secret.
	File string
	// Env is the name of an environment variable holding it.
	Env string
}

// describe returns a short description, e.g. "file /etc/x" or "$VAR".
func (s SecretRef) describe() string {
	switch {
	case s.File != "":
		return "file " + s.File
	case s.Env != "":
		return "$" + s.Env
	}
	return "where you keep it"
}

// shell returns a shell expression producing the secret.
func (s SecretRef) shell() string {
	switch {
	case s.File != "":
		return `"$(cat '` + strings.ReplaceAll(s.File, "'", `'\''`) + `')"`
	case s.Env != "":
		return `"$` + s.Env + `"`
	}
	return `"$TSIG_SECRET"`
}

// Request says what to generate.
type Request struct {
	// Providers are the providers the primary serves, by name. Required.
	Providers []string
	// Zones, if any, get zone stanzas; otherwise only the reusable
	// definitions (ACLs, keys, notify lists) are emitted.
	Zones []string
	// Date selects the registry entries valid on that day (the CLI passes
	// today). Required.
	Date time.Time
	// TSIG, if set, is the key transfers must be signed with. Its Secret may
	// be empty unless IncludeSecret is set.
	TSIG *facade.TSIG
	// TSIGProviders are the providers the key applies to; empty means all of
	// Providers. Each must support TSIG.
	TSIGProviders []string
	// IncludeSecret writes the TSIG secret into the output; otherwise a
	// placeholder the servers reject stands in its place.
	IncludeSecret bool
	// SecretFrom says where the secret is kept, for comments and commands.
	SecretFrom SecretRef
	// ZoneFile is the zone file path pattern for zone stanzas; "%s" is
	// replaced by the zone name. Default "%s.zone".
	ZoneFile string
	// MaxAge is the age beyond which registry facts are flagged as stale in
	// the output; 0 means [DefaultMaxAge].
	MaxAge time.Duration
	// AllowIncomplete makes [Build] succeed despite gaps (facts the registry
	// does not know); the gaps are still written into the output.
	AllowIncomplete bool
}

// ProviderConfig is one provider's part of a [Config].
type ProviderConfig struct {
	// Name and Title identify the provider.
	Name, Title string
	// Transfer are the address sets the primary must allow transfers from;
	// empty if unknown (then a gap is recorded).
	Transfer []Addresses
	// Notify are the address sets the primary should send NOTIFY to.
	Notify []Addresses
	// NotifyPort is the port NOTIFY goes to (53 unless the registry says
	// otherwise).
	NotifyPort uint16
	// UseTSIG reports whether transfers to this provider require the key.
	UseTSIG bool
	// Facts are the registry's facts about the provider.
	Facts Provider
}

// Config is everything a primary needs for the selected providers, ready
// to be rendered with [Render]. It is a plain value: rendering is
// deterministic.
type Config struct {
	// Date is the day the registry entries were selected for (YYYY-MM-DD).
	Date string
	// Providers are sorted by name.
	Providers []ProviderConfig
	// Zones are normalised, de-duplicated and sorted.
	Zones []string
	// TSIG is the key, if any.
	TSIG *facade.TSIG
	// IncludeSecret and SecretFrom are copied from the request.
	IncludeSecret bool
	SecretFrom    SecretRef
	// ZoneFile is the zone file pattern.
	ZoneFile string
	// Gaps are facts the configuration lacks, one sentence each.
	Gaps []string
	// Notes are other things the operator must know (stale facts,
	// unconfirmed facts, DNSSEC caveats), one sentence each.
	Notes []string
}

// Build selects the registry facts valid on req.Date for req.Providers and
// returns the configuration. Invalid input (unknown provider, TSIG for a
// provider without TSIG, a bad zone name or key) is an [*facade.Error] of
// kind [facade.ErrInvalidInput]. If a needed fact is unknown, Build returns
// the configuration and an error matching [ErrIncomplete] unless
// req.AllowIncomplete is set.
func (r *Registry) Build(req Request) (*Config, error) {
	if req.Date.IsZero() {
		return nil, invalidf("no date given to select registry entries for")
	}
	if len(req.Providers) == 0 {
		return nil, invalidf("no provider given (the registry knows %s)", strings.Join(r.Names(), ", "))
	}
	maxAge := req.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	c := &Config{Date: truncateDay(req.Date).Format(dateLayout), IncludeSecret: req.IncludeSecret, SecretFrom: req.SecretFrom, ZoneFile: req.ZoneFile}
	if c.ZoneFile == "" {
		c.ZoneFile = "%s.zone"
	}
	if strings.Count(c.ZoneFile, "%s") != 1 || strings.ContainsAny(c.ZoneFile, "\"\n\r;{}") || strings.Count(c.ZoneFile, "%") != 1 {
		return nil, invalidf("zone file pattern %q: must contain %%s exactly once and no quotes, braces, semicolons or other %%", req.ZoneFile)
	}
	seen := map[string]bool{}
	for _, name := range req.Providers {
		p, err := r.lookup(name)
		if err != nil {
			return nil, err
		}
		if seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		c.Providers = append(c.Providers, r.providerConfig(p, req.Date))
	}
	slices.SortFunc(c.Providers, func(a, b ProviderConfig) int { return strings.Compare(a.Name, b.Name) })
	for _, z := range req.Zones {
		n, err := facade.NormalizeZoneName(z)
		if err != nil {
			return nil, facade.Invalid(operation, err)
		}
		if !slices.Contains(c.Zones, n) {
			c.Zones = append(c.Zones, n)
		}
	}
	slices.Sort(c.Zones)
	if err := c.applyTSIG(r, req); err != nil {
		return nil, err
	}
	c.collectNotes(req.Date, maxAge)
	if len(c.Gaps) > 0 && !req.AllowIncomplete {
		return c, fmt.Errorf("%w: %s", ErrIncomplete, strings.Join(c.Gaps, "; "))
	}
	return c, nil
}

func (r *Registry) providerConfig(p Provider, day time.Time) ProviderConfig {
	pc := ProviderConfig{Name: p.Name, Title: p.Title, Facts: p, NotifyPort: 53,
		Transfer: selectValid(p.TransferSources, day), Notify: selectValid(p.NotifyTargets, day)}
	if p.NotifyPort != nil {
		pc.NotifyPort, _ = parsePort(p.NotifyPort.Value, false) // validated by Parse
	}
	return pc
}

// validTSIGName reports whether a key name is safe to write into every
// server's configuration unquoted or quoted.
func validTSIGName(n string) bool {
	if n == "" || len(n) > 255 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// validEnvName reports whether e is a portable environment variable name.
func validEnvName(e string) bool {
	for i, r := range e {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return e != ""
}

func (c *Config) applyTSIG(r *Registry, req Request) error {
	if req.TSIG == nil {
		if len(req.TSIGProviders) > 0 {
			return invalidf("TSIG providers given but no TSIG key")
		}
		return nil
	}
	k := *req.TSIG
	k.Algorithm = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(k.Algorithm), "."), ".sig-alg.reg.int")
	if !validTSIGName(k.Name) {
		return invalidf("TSIG key name %q: use letters, digits, '-', '_' and '.' only", k.Name)
	}
	check := k
	if !req.IncludeSecret {
		check.Secret = "AAAA" // the secret is not needed; validate name and algorithm
		k.Secret = ""
	}
	if err := check.Validate(); err != nil {
		return facade.Invalid(operation, err)
	}
	if req.SecretFrom.File != "" && req.SecretFrom.Env != "" {
		return invalidf("TSIG secret: give a file or an environment variable, not both")
	}
	if strings.ContainsFunc(req.SecretFrom.File, unicode.IsControl) {
		return invalidf("TSIG secret file: the path contains control characters")
	}
	if e := req.SecretFrom.Env; e != "" && !validEnvName(e) {
		return invalidf("TSIG secret environment variable %q: use letters, digits and '_', not starting with a digit", e)
	}
	targets := req.TSIGProviders
	if len(targets) == 0 {
		for _, p := range c.Providers {
			targets = append(targets, p.Name)
		}
	}
	var without []string
	for _, name := range targets {
		p, err := r.lookup(name)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(c.Providers, func(pc ProviderConfig) bool { return pc.Name == p.Name })
		if i < 0 {
			return invalidf("TSIG requested for %s, which is not among the selected providers", p.Name)
		}
		if !p.SupportsTSIG() {
			without = append(without, fmt.Sprintf("%s (registry: TSIG %s; %s, checked %s)", p.Name, p.TSIG.Value, p.TSIG.Source.URL, p.TSIG.Source.Checked))
			continue
		}
		c.Providers[i].UseTSIG = true
	}
	if len(without) > 0 {
		return invalidf("TSIG requested for a provider without TSIG support: %s; limit the key to the providers that support it", strings.Join(without, ", "))
	}
	c.TSIG = &k
	return nil
}

func (c *Config) collectNotes(day time.Time, maxAge time.Duration) {
	for _, p := range c.Providers {
		f := p.Facts
		if len(p.Transfer) == 0 {
			why := "no entry valid on " + c.Date
			if s := f.TransferSourcesUnknown; s != nil {
				why = fmt.Sprintf("not found in the documentation at %s, checked %s", s.URL, s.Checked)
			}
			c.Gaps = append(c.Gaps, fmt.Sprintf("%s: the addresses its zone transfers come from are unknown (%s); this configuration does NOT allow %s to transfer", p.Name, why, f.Title))
		}
		if len(p.Notify) == 0 && f.NotifyTargetsNone == nil {
			c.Gaps = append(c.Gaps, fmt.Sprintf("%s: no NOTIFY target valid on %s", p.Name, c.Date))
		}
		if f.NotifyTargetsNone != nil {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: documents no NOTIFY target, so changes reach it only when it polls the primary", p.Name))
		}
		if f.SupportsTSIG() && !p.UseTSIG {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: supports TSIG, none requested: transfers are authorised by address only", p.Name))
		}
		switch f.DNSSEC.Value {
		case "no":
			c.Notes = append(c.Notes, fmt.Sprintf("%s: does not carry DNSSEC signatures of a pre-signed zone (%s)", p.Name, f.DNSSEC.Source.URL))
		case "unknown":
			c.Notes = append(c.Notes, fmt.Sprintf("%s: whether DNSSEC signatures are carried is unknown (%s)", p.Name, f.DNSSEC.Source.URL))
		}
		for _, s := range f.pages() {
			if age, old := staleAge(s, day, maxAge); old {
				c.Notes = append(c.Notes, fmt.Sprintf("%s: STALE fact: %s was checked %s (%d days ago); re-check it", p.Name, s.URL, s.Checked, age))
			}
		}
	}
}

// tsigFor returns the key name for p, or "".
func (c *Config) tsigFor(p ProviderConfig) string {
	if p.UseTSIG && c.TSIG != nil {
		return c.TSIG.Name
	}
	return ""
}

// notifyAddrs returns the provider's NOTIFY addresses (single-address
// prefixes), in registry order.
func notifyAddrs(as []Addresses) []netip.Addr {
	var out []netip.Addr
	for _, a := range as {
		for _, p := range a.Prefixes {
			out = append(out, p.Addr())
		}
	}
	return out
}

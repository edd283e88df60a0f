package facade

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/secondarydns/secondarydns-go/facade/internal/text"
	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
)

// Limits from RFC 1035 §2.3.4.
const (
	maxNameLen  = 253 // presentation form without the trailing dot
	maxLabelLen = 63
)

// zoneProfile maps Unicode names (case folding, width mapping, IDNA2008
// with UTS #46 non-transitional processing) to A-labels, enforcing STD3
// (LDH) rules and bidi/joiner checks.
var zoneProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.StrictDomainName(true),
)

// NormalizeZoneName validates a zone name and returns its canonical form:
// lower-case ASCII, Unicode labels converted to punycode A-labels (IDNA2008,
// UTS #46 lookup mapping), without the trailing dot.
//
// Accepted: one optional trailing dot; at least two labels; each label 1–63
// octets of letters, digits and hyphens, not starting or ending with a
// hyphen; at most 253 octets in total after conversion. Rejected: empty
// names, whitespace or control characters anywhere, a leading dot, empty
// labels (".."), underscores (zone names here are host names; "_acme-challenge"
// style zones are not supported), invalid IDNs, and names that IDNA mapping
// changes beyond case, the trailing dot and U-label to A-label conversion:
// code points it ignores or maps (zero-width characters, soft hyphens,
// variation selectors, full-width letters, ideographic full stops) and text
// not in NFC. Such a name would silently address another zone
// ("ex\u200bample.com" is example.com after mapping).
//
// Errors are [*Error] of kind [ErrInvalidInput] without Operation; label them
// with [Invalid].
//
//	NormalizeZoneName("Bücher.Example.") // "xn--bcher-kva.example", nil
func NormalizeZoneName(name string) (string, error) {
	fail := func(why string) (string, error) {
		return "", invalidf(fmt.Sprintf("zone name %q: %s", text.Clip(name, maxNameLen+10), why))
	}
	switch {
	case name == "":
		return fail("empty")
	case !utf8.ValidString(name):
		return fail("not valid UTF-8")
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return fail("contains whitespace or control characters")
	case len(name) > 4*maxNameLen:
		return fail("too long")
	}
	n := strings.TrimSuffix(name, ".")
	if canonicalLDH(n) {
		return n, nil // already normalised: the path below would return it unchanged
	}
	switch {
	case n == "":
		return fail("empty")
	case strings.HasPrefix(n, "."):
		return fail("leading dot")
	case strings.Contains(n, ".."):
		return fail("empty label")
	}
	ascii, err := zoneProfile.ToASCII(n)
	if err != nil {
		return fail("invalid name: " + text.Clip(err.Error(), 200))
	}
	ascii = strings.ToLower(ascii)
	if why := idnaChanged(n, ascii); why != "" {
		return fail(why)
	}
	if len(ascii) > maxNameLen {
		return fail(fmt.Sprintf("longer than %d octets", maxNameLen))
	}
	if strings.IndexByte(ascii, '.') < 0 {
		return fail("needs at least two labels")
	}
	for l := range strings.SplitSeq(ascii, ".") {
		if why := checkLabel(l); why != "" {
			return fail(fmt.Sprintf("label %q: %s", text.Clip(l, 80), why))
		}
	}
	return ascii, nil
}

// idnaChanged reports why ascii, the IDNA mapping of n, names another zone
// than n does: NormalizeZoneName accepts a change of case, a trailing dot
// and U-label to A-label conversion, nothing else. Label by label, the
// input must equal the A-label or the A-label's Unicode form up to case
// (lower-casing, or full case folding, which maps U+0130 İ to
// "i\u0307" as UTS #46 does), so that code points UTS #46 maps or ignores
// (zero-width space, soft hyphen, variation selectors, full-width letters,
// ideographic full stops, decomposed accents) are refused instead of
// silently dropped or rewritten: "ex\u200bample.com" must not address
// example.com.
func idnaChanged(n, ascii string) string {
	in := strings.Split(n, ".")
	out := strings.Split(ascii, ".")
	if len(in) != len(out) {
		return "IDNA mapping changes its labels (e.g. a full-width or ideographic full stop); write it with ASCII dots"
	}
	for i, l := range out {
		lower := strings.ToLower(in[i])
		if lower == l {
			continue
		}
		u, err := idna.Punycode.ToUnicode(l)
		if err == nil && u == lower {
			continue
		}
		if err == nil && cases.Fold().String(u) == cases.Fold().String(in[i]) { // a Caser is not safe for concurrent use
			continue
		}
		return fmt.Sprintf("label %q: IDNA mapping changes it beyond case and A-label conversion (ignored or mapped code points such as zero-width or soft hyphen characters, full-width letters or non-NFC text)", text.Clip(in[i], 80))
	}
	return ""
}

// canonicalLDH reports whether n is already a normalised zone name that IDNA
// processing would leave unchanged: at most maxNameLen octets, at least two
// labels, each a valid lower-case letter-digit-hyphen label without "--"
// (which could make it an A-label, xn--..., that IDNA must check). Names
// that providers report are nearly always of this form, so normalising them
// costs no allocation.
func canonicalLDH(n string) bool {
	if len(n) > maxNameLen || strings.Contains(n, "--") || strings.IndexByte(n, '.') < 0 {
		return false
	}
	for l := range strings.SplitSeq(n, ".") {
		if checkLabel(l) != "" {
			return false
		}
	}
	return true
}

func checkLabel(l string) string {
	switch {
	case l == "":
		return "empty"
	case len(l) > maxLabelLen:
		return fmt.Sprintf("longer than %d octets", maxLabelLen)
	case l[0] == '-' || l[len(l)-1] == '-':
		return "starts or ends with a hyphen"
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Sprintf("invalid character %q", c)
		}
	}
	return ""
}

// ParseIP parses a primary name server address. It rejects IPv6 zones
// ("fe80::1%eth0"), the unspecified addresses 0.0.0.0 and ::, and
// surrounding whitespace; IPv4-mapped IPv6 addresses ("::ffff:192.0.2.1")
// are unmapped to IPv4. Errors are [*Error] of kind [ErrInvalidInput].
func ParseIP(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, invalidf(fmt.Sprintf("IP address %q: not a valid IPv4 or IPv6 address", text.Clip(s, 64)))
	}
	return checkAddr(a)
}

func checkAddr(a netip.Addr) (netip.Addr, error) {
	switch {
	case !a.IsValid():
		return netip.Addr{}, invalidf("IP address: missing")
	case a.Zone() != "":
		return netip.Addr{}, invalidf(fmt.Sprintf("IP address %q: zones are not allowed", a))
	}
	a = a.Unmap()
	if a.IsUnspecified() {
		return netip.Addr{}, invalidf(fmt.Sprintf("IP address %q: unspecified address", a))
	}
	return a, nil
}

// ValidatePort reports whether p is a usable TCP/UDP port (1–65535). Errors
// are [*Error] of kind [ErrInvalidInput].
func ValidatePort(p int) error {
	if p < 1 || p > 65535 {
		return invalidf(fmt.Sprintf("port %d: must be between 1 and 65535", p))
	}
	return nil
}

// DefaultPort is the DNS port assumed when [Primary.Port] is 0.
const DefaultPort = 53

// Primary is a primary (master) name server a secondary zone transfers from.
type Primary struct {
	// Addr is the server's IP address; see [ParseIP] for the accepted forms.
	Addr netip.Addr
	// Port is the server's port; 0 means the default, 53.
	Port uint16
}

// Effective returns p with its effective port: Port 0 becomes
// [DefaultPort]. The address is unmapped (an IPv4-mapped IPv6 address
// becomes IPv4).
func (p Primary) Effective() Primary {
	return Primary{Addr: p.Addr.Unmap(), Port: p.PortOrDefault()}
}

// Equal reports whether p and q name the same server: the same address
// (IPv4-mapped IPv6 compares as IPv4) and the same effective port, so
// 192.0.2.1 equals 192.0.2.1:53.
func (p Primary) Equal(q Primary) bool { return p.Effective() == q.Effective() }

// EqualPrimaries reports whether a and b name the same set of servers,
// each compared with [Primary.Equal], regardless of order and repetition.
func EqualPrimaries(a, b []Primary) bool {
	set := make(map[Primary]int, len(a))
	for _, p := range a {
		set[p.Effective()] |= 1
	}
	for _, p := range b {
		set[p.Effective()] |= 2
	}
	for _, v := range set {
		if v != 3 {
			return false
		}
	}
	return true
}

// ParsePrimary parses "192.0.2.1", "192.0.2.1:5353", "2001:db8::1",
// "[2001:db8::1]" or "[2001:db8::1]:53". Addresses follow [ParseIP], an
// explicit port must be 1–65535. Errors are [*Error] of kind
// [ErrInvalidInput].
func ParsePrimary(s string) (Primary, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		a, err := checkAddr(a)
		return Primary{Addr: a}, err
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		a, err := netip.ParseAddr(s[1 : len(s)-1])
		if err != nil || !a.Is6() {
			return Primary{}, invalidf(fmt.Sprintf("primary %q: not a valid IPv6 address", text.Clip(s, 64)))
		}
		a, err = checkAddr(a)
		return Primary{Addr: a}, err
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return Primary{}, invalidf(fmt.Sprintf("primary %q: not an IP address or IP:port", text.Clip(s, 64)))
	}
	host, portStr := s[:i], s[i+1:]
	port, err := strconv.Atoi(portStr)
	if err != nil || portStr == "" || portStr[0] == '+' || portStr[0] == '-' {
		return Primary{}, invalidf(fmt.Sprintf("primary %q: invalid port", text.Clip(s, 64)))
	}
	if err := ValidatePort(port); err != nil {
		return Primary{}, err
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		// IPv6 without brackets but with a port, or a bad host.
		return Primary{}, invalidf(fmt.Sprintf("primary %q: invalid address %q (bracket IPv6 addresses with a port)", text.Clip(s, 64), text.Clip(host, 64)))
	}
	a, err := checkAddr(ap.Addr())
	if err != nil {
		return Primary{}, err
	}
	return Primary{Addr: a, Port: uint16(port)}, nil
}

// PortOrDefault returns Port, or [DefaultPort] if Port is 0.
func (p Primary) PortOrDefault() uint16 {
	if p.Port == 0 {
		return DefaultPort
	}
	return p.Port
}

// String formats p so that [ParsePrimary] parses it back: the bare address
// if Port is 0, else "192.0.2.1:5353" or "[2001:db8::1]:53".
func (p Primary) String() string {
	if !p.Addr.IsValid() {
		return "invalid primary"
	}
	if p.Port == 0 {
		return p.Addr.String()
	}
	return netip.AddrPortFrom(p.Addr, p.Port).String()
}

// Validate checks the address as [ParseIP] does (the port needs no check:
// 0 means 53 and every other uint16 is valid).
func (p Primary) Validate() error {
	_, err := checkAddr(p.Addr)
	return err
}

// ValidatePrimaries validates a primaries list before any request: it must
// be non-empty, every entry must pass [Primary.Validate], and no server
// (address and effective port) may appear twice. It returns a copy with
// IPv4-mapped addresses unmapped. Errors are [*Error] of kind
// [ErrInvalidInput].
func ValidatePrimaries(ps []Primary) ([]Primary, error) {
	if len(ps) == 0 {
		return nil, invalidf("primaries: at least one primary is required")
	}
	out := make([]Primary, 0, len(ps))
	seen := make(map[netip.AddrPort]bool, len(ps))
	for i, p := range ps {
		a, err := checkAddr(p.Addr)
		if err != nil {
			return nil, invalidf(fmt.Sprintf("primaries[%d]: %s", i, err.(*Error).Messages[0]))
		}
		p.Addr = a
		key := netip.AddrPortFrom(a, p.PortOrDefault())
		if seen[key] {
			return nil, invalidf(fmt.Sprintf("primaries[%d]: duplicate primary %s", i, key))
		}
		seen[key] = true
		out = append(out, p)
	}
	return out, nil
}

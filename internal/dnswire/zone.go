package dnswire

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// Record is one resource record in presentation form.
type Record struct {
	// Name is the fully qualified owner name, lower case, e.g. "www.example.com.".
	Name string
	// TTL is the time to live in seconds.
	TTL uint32
	// Type is the type mnemonic, e.g. "A", "SOA".
	Type string
	// Data is the record data in presentation form, e.g. "192.0.2.1".
	Data string
}

// String is the record as a zone-file line.
func (r Record) String() string {
	return fmt.Sprintf("%s\t%d\tIN\t%s\t%s", r.Name, r.TTL, r.Type, r.Data)
}

// SOA is a zone's start of authority.
type SOA struct {
	// Zone is the owner name, fully qualified, lower case.
	Zone string
	// Serial is the zone's serial number.
	Serial uint32
	// Primary (MNAME) and Mailbox (RNAME) are the SOA's names.
	Primary, Mailbox string
	// Refresh, Retry, Expire and Minimum are the SOA timers in seconds.
	Refresh, Retry, Expire, Minimum uint32
	// Authoritative is set on a query answer that had the AA flag.
	Authoritative bool
	// TCP is set on a query answer that came over TCP (after a truncated UDP
	// answer).
	TCP bool
}

// Zone is an immutable set of records with one SOA at its apex. Build one with
// [ParseZone] or [NewZone]; [Transfer] returns one.
type Zone struct {
	name string
	soa  *dns.SOA
	rrs  []dns.RR // SOA first
}

// maxZoneText bounds the zone text ParseZone accepts.
const maxZoneText = 64 << 20

// ParseZone parses zone-file text (RFC 1035 master format) for the zone
// origin. Relative names are relative to origin. The zone must hold exactly
// one SOA, at origin, and only names at or below origin.
func ParseZone(origin, text string) (*Zone, error) {
	name, err := canonicalZone(origin)
	if err != nil {
		return nil, err
	}
	if len(text) > maxZoneText {
		return nil, invalid("zone %s: text larger than %d bytes", name, maxZoneText)
	}
	zp := dns.NewZoneParser(strings.NewReader(text), name, "")
	zp.SetIncludeAllowed(false)
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, invalid("zone %s: %v", name, err)
	}
	return newZone(name, rrs)
}

// NewZone builds a zone from records.
func NewZone(origin string, records []Record) (*Zone, error) {
	var b strings.Builder
	for _, r := range records {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return ParseZone(origin, b.String())
}

// newZone checks rrs (one SOA at the apex, everything in the zone, class IN)
// and puts the SOA first.
func newZone(name string, rrs []dns.RR) (*Zone, error) {
	z := &Zone{name: name}
	for _, rr := range rrs {
		h := rr.Header()
		h.Name = strings.ToLower(h.Name)
		if h.Class != dns.ClassINET {
			return nil, invalid("zone %s: record %s: class %s, want IN", name, h.Name, dns.ClassToString[h.Class])
		}
		if !dns.IsSubDomain(name, h.Name) {
			return nil, invalid("zone %s: record %s is outside the zone", name, h.Name)
		}
		if soa, ok := rr.(*dns.SOA); ok {
			if z.soa != nil {
				return nil, invalid("zone %s: more than one SOA", name)
			}
			if h.Name != name {
				return nil, invalid("zone %s: SOA owner %s is not the apex", name, h.Name)
			}
			z.soa = soa
			continue
		}
		z.rrs = append(z.rrs, rr)
	}
	if z.soa == nil {
		return nil, invalid("zone %s: no SOA", name)
	}
	z.rrs = append([]dns.RR{z.soa}, z.rrs...)
	return z, nil
}

// Name is the zone's fully qualified, lower-case name.
func (z *Zone) Name() string { return z.name }

// Serial is the SOA serial.
func (z *Zone) Serial() uint32 { return z.soa.Serial }

// SOA returns the zone's SOA.
func (z *Zone) SOA() SOA { return soaOf(z.soa) }

// Len is the number of records, the SOA included.
func (z *Zone) Len() int { return len(z.rrs) }

// Records returns the records, SOA first.
func (z *Zone) Records() []Record {
	out := make([]Record, len(z.rrs))
	for i, rr := range z.rrs {
		out[i] = recordOf(rr)
	}
	return out
}

// String is the zone in master-file format.
func (z *Zone) String() string {
	var b strings.Builder
	for _, r := range z.Records() {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// WithSerial returns a copy of the zone with the SOA serial set to serial.
func (z *Zone) WithSerial(serial uint32) *Zone {
	soa := dns.Copy(z.soa).(*dns.SOA)
	soa.Serial = serial
	rrs := append([]dns.RR{soa}, z.rrs[1:]...)
	return &Zone{name: z.name, soa: soa, rrs: rrs}
}

// recordOf converts a library record.
func recordOf(rr dns.RR) Record {
	h := rr.Header()
	return Record{
		Name: h.Name,
		TTL:  h.Ttl,
		Type: dns.TypeToString[h.Rrtype],
		Data: strings.TrimPrefix(rr.String(), h.String()),
	}
}

// soaOf converts a library SOA.
func soaOf(s *dns.SOA) SOA {
	return SOA{
		Zone: strings.ToLower(s.Hdr.Name), Serial: s.Serial, Primary: s.Ns, Mailbox: s.Mbox,
		Refresh: s.Refresh, Retry: s.Retry, Expire: s.Expire, Minimum: s.Minttl,
	}
}

// canonicalZone validates a zone name and returns it fully qualified and in
// lower case.
func canonicalZone(zone string) (string, error) {
	if zone == "" {
		return "", invalid("zone name is empty")
	}
	name := dns.CanonicalName(zone)
	if _, ok := dns.IsDomainName(name); !ok || strings.ContainsAny(name, " \t\n\\") {
		return "", invalid("zone name %q is not a domain name", clip(zone))
	}
	return name, nil
}

// invalid is an ErrInvalidInput error.
func invalid(format string, args ...any) error {
	return &Error{Op: "input", Kind: ErrInvalidInput, Detail: fmt.Sprintf(format, args...)}
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

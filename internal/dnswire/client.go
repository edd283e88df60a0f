package dnswire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Default bounds, applied only when the caller's context has no deadline.
const (
	// DefaultQueryTimeout bounds [QuerySOA] and [Notify].
	DefaultQueryTimeout = 5 * time.Second
	// DefaultTransferTimeout bounds [Transfer].
	DefaultTransferTimeout = 60 * time.Second
	// DefaultMaxRecords bounds the records one [Transfer] accepts.
	DefaultMaxRecords = 1_000_000
)

// udpSize is the EDNS0 buffer size queries advertise (the DNS flag day 2020
// value).
const udpSize = 1232

// Option configures [QuerySOA], [Transfer] and [Notify].
type Option func(*config) error

// config is what the options set.
type config struct {
	key        *tsigKey
	tcp        bool
	maxRecords int
}

// WithTSIG signs the request with key and requires a signed answer that
// verifies. The key is validated with [facade.TSIG.Validate].
func WithTSIG(key facade.TSIG) Option {
	return func(c *config) error {
		k, err := newTSIGKey(key)
		if err != nil {
			return err
		}
		c.key = k
		return nil
	}
}

// WithTCP sends queries and NOTIFY over TCP instead of UDP.
func WithTCP() Option {
	return func(c *config) error { c.tcp = true; return nil }
}

// WithMaxRecords bounds the records a [Transfer] accepts (default
// [DefaultMaxRecords]); a longer transfer fails with [ErrBadAnswer].
func WithMaxRecords(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return invalid("max records %d: must be at least 1", n)
		}
		c.maxRecords = n
		return nil
	}
}

// prepare validates the common arguments and options.
func prepare(op, server, zone string, opts []Option) (string, string, *config, error) {
	c := &config{maxRecords: DefaultMaxRecords}
	name, err := canonicalZone(zone)
	if err != nil {
		return "", "", nil, err
	}
	ap, err := netip.ParseAddrPort(server)
	if err != nil || ap.Port() == 0 {
		return "", "", nil, invalid("%s: server %q is not an ip:port address", op, clip(server))
	}
	for _, o := range opts {
		if o == nil {
			return "", "", nil, invalid("%s: nil option", op)
		}
		if err := o(c); err != nil {
			return "", "", nil, err
		}
	}
	return ap.String(), name, c, nil
}

// bound applies d when ctx has no deadline.
func bound(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// dial connects to server and ties the connection's deadline to ctx: the
// deadline is ctx's, and a cancelled ctx unblocks any read or write at once.
// stop must be called before the connection is closed.
func dial(ctx context.Context, network, server string) (conn net.Conn, stop func() bool, err error) {
	var d net.Dialer
	conn, err = d.DialContext(ctx, network, server)
	if err != nil {
		return nil, nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop = context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	return conn, stop, nil
}

// exchange sends m over network and returns the answer with the same ID.
// Over UDP, answers with another ID are ignored (a spoofed or late answer).
func exchange(ctx context.Context, network, server string, m *dns.Msg, key *tsigKey) (*dns.Msg, error) {
	conn, stop, err := dial(ctx, network, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer stop()
	co := &dns.Conn{Conn: conn, UDPSize: udpSize}
	if key != nil {
		co.TsigProvider = key.provider()
	}
	if err := co.WriteMsg(m); err != nil {
		return nil, err
	}
	for {
		r, err := co.ReadMsg()
		if r != nil && r.Id != m.Id && network == "udp" {
			continue
		}
		if err != nil {
			return r, err
		}
		if r.Id != m.Id {
			return nil, fmt.Errorf("answer ID %d, want %d", r.Id, m.Id)
		}
		if key != nil && r.IsTsig() == nil {
			// The library verifies only answers that carry a TSIG.
			return r, dns.ErrNoSig
		}
		return r, nil
	}
}

// fail builds an *Error for an exchange that failed; r may be nil.
func fail(ctx context.Context, op, server, zone string, key *tsigKey, r *dns.Msg, err error) *Error {
	e := &Error{Op: op, Server: server, Zone: zone, Err: err}
	var tsigErr uint16 // the TSIG error the server reported, if any
	if r != nil {
		if t := r.IsTsig(); t != nil {
			tsigErr = t.Error
		}
	}
	switch {
	case errors.Is(err, dns.ErrNoSig) && r != nil && r.Rcode != dns.RcodeSuccess && tsigErr == 0:
		// An unsigned error answer (e.g. NOTAUTH for a zone the server does
		// not have, where it cannot pick a key): its rcode is the news.
		e.Kind, e.Rcode, e.Err = rcodeKind(r.Rcode), rcodeName(r.Rcode), nil
		e.Detail = "unsigned answer"
	case isTSIGError(err) || (key != nil && tsigErr != 0):
		e.Kind, e.Err = ErrTSIG, nil
		e.Detail = tsigDetail(err)
		if tsigErr != 0 {
			e.Detail = "the server rejected the request's key or signature"
		}
		if r != nil {
			e.Rcode = rcodeName(r.Rcode)
			if tsigErr != 0 {
				e.Rcode += "/" + rcodeName(int(tsigErr))
			}
		}
	case r != nil && r.Rcode != dns.RcodeSuccess && err == nil:
		e.Kind, e.Rcode = rcodeKind(r.Rcode), rcodeName(r.Rcode)
	default:
		e.Kind = netKind(ctx, err)
		if e.Kind == ErrTimeout || e.Kind == context.Canceled {
			e.Err = ctx.Err()
			if e.Err == nil {
				e.Err = err
			}
		}
	}
	return e
}

// tsigDetail names a TSIG failure without any key material.
func tsigDetail(err error) string {
	switch {
	case err == nil:
		return "the server rejected the key"
	case errors.Is(err, dns.ErrNoSig):
		return "answer not signed"
	case errors.Is(err, dns.ErrTime):
		return "signature time out of range"
	default:
		return "answer signature does not verify"
	}
}

// badAnswer is an ErrBadAnswer error.
func badAnswer(op, server, zone string, format string, args ...any) *Error {
	return &Error{Op: op, Server: server, Zone: zone, Kind: ErrBadAnswer, Detail: fmt.Sprintf(format, args...)}
}

// newQuery builds a query or NOTIFY for zone, signed when key is set.
func newQuery(zone string, qtype uint16, key *tsigKey, edns bool) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(zone, qtype)
	m.RecursionDesired = false
	if edns {
		m.SetEdns0(udpSize, false)
	}
	if key != nil {
		m.SetTsig(key.name, key.algorithm, 300, time.Now().Unix())
	}
	return m
}

// checkQuestion checks that r answers q's question.
func checkQuestion(q, r *dns.Msg) string {
	if !r.Response {
		return "answer without the QR flag"
	}
	if r.Opcode != q.Opcode {
		return fmt.Sprintf("answer opcode %s, want %s", dns.OpcodeToString[r.Opcode], dns.OpcodeToString[q.Opcode])
	}
	if len(r.Question) != 1 {
		return fmt.Sprintf("answer has %d questions, want 1", len(r.Question))
	}
	got, want := r.Question[0], q.Question[0]
	if !strings.EqualFold(got.Name, want.Name) || got.Qtype != want.Qtype || got.Qclass != want.Qclass {
		return fmt.Sprintf("answer is for %s %s %s", got.Name, dns.ClassToString[got.Qclass], dns.TypeToString[got.Qtype])
	}
	return ""
}

// QuerySOA asks server ("ip:port") for zone's SOA: over UDP, again over TCP
// when the UDP answer is truncated (or only over TCP with [WithTCP]). The
// answer must carry the question asked, rcode NOERROR and a SOA of class IN
// owned by zone; anything else is an [*Error] (REFUSED is [ErrRefused], a SOA
// of another zone is [ErrBadAnswer], no answer in time is [ErrTimeout], ...).
func QuerySOA(ctx context.Context, server, zone string, opts ...Option) (SOA, error) {
	server, zone, c, err := prepare("soa", server, zone, opts)
	if err != nil {
		return SOA{}, err
	}
	ctx, cancel := bound(ctx, DefaultQueryTimeout)
	defer cancel()
	q := newQuery(zone, dns.TypeSOA, c.key, true)
	network := "udp"
	if c.tcp {
		network = "tcp"
	}
	r, err := exchange(ctx, network, server, q, c.key)
	if err == nil && r.Truncated && network == "udp" {
		network = "tcp"
		q = newQuery(zone, dns.TypeSOA, c.key, true)
		r, err = exchange(ctx, network, server, q, c.key)
	}
	if err != nil || r.Rcode != dns.RcodeSuccess {
		return SOA{}, fail(ctx, "soa", server, zone, c.key, r, err)
	}
	if d := checkQuestion(q, r); d != "" {
		return SOA{}, badAnswer("soa", server, zone, "%s", d)
	}
	if r.Truncated {
		return SOA{}, badAnswer("soa", server, zone, "answer truncated over TCP")
	}
	for _, rr := range r.Answer {
		soa, ok := rr.(*dns.SOA)
		if !ok {
			continue
		}
		if !strings.EqualFold(soa.Hdr.Name, zone) {
			return SOA{}, badAnswer("soa", server, zone, "SOA owned by %s", soa.Hdr.Name)
		}
		if soa.Hdr.Class != dns.ClassINET {
			return SOA{}, badAnswer("soa", server, zone, "SOA of class %s", dns.ClassToString[soa.Hdr.Class])
		}
		out := soaOf(soa)
		out.Authoritative, out.TCP = r.Authoritative, network == "tcp"
		return out, nil
	}
	return SOA{}, badAnswer("soa", server, zone, "no SOA in the answer section")
}

// Notify sends a NOTIFY for zone, with serial as the SOA hint, to server
// ("ip:port") over UDP (TCP with [WithTCP]) and returns nil when the server
// acknowledges it with NOERROR; a refusal is an [*Error] ([ErrRefused],
// [ErrNotAuth], ...). Notify does not retry.
func Notify(ctx context.Context, server, zone string, serial uint32, opts ...Option) error {
	server, zone, c, err := prepare("notify", server, zone, opts)
	if err != nil {
		return err
	}
	ctx, cancel := bound(ctx, DefaultQueryTimeout)
	defer cancel()
	q := newQuery(zone, dns.TypeSOA, nil, false)
	q.Opcode = dns.OpcodeNotify
	q.Authoritative = true
	q.Answer = []dns.RR{&dns.SOA{
		Hdr: dns.RR_Header{Name: zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET}, Ns: ".", Mbox: ".", Serial: serial,
	}}
	if c.key != nil {
		q.SetTsig(c.key.name, c.key.algorithm, 300, time.Now().Unix())
	}
	network := "udp"
	if c.tcp {
		network = "tcp"
	}
	r, err := exchange(ctx, network, server, q, c.key)
	if err != nil || r.Rcode != dns.RcodeSuccess {
		return fail(ctx, "notify", server, zone, c.key, r, err)
	}
	if d := checkQuestion(q, r); d != "" {
		return badAnswer("notify", server, zone, "%s", d)
	}
	return nil
}

// Transfer pulls zone from server ("ip:port") by AXFR over TCP, signed with
// [WithTSIG] if given. It checks every answer message (ID, rcode, TSIG when
// signed), that the records begin with the zone's SOA and end with the same
// SOA, that every record belongs to the zone, and the record bound
// ([WithMaxRecords]).
func Transfer(ctx context.Context, server, zone string, opts ...Option) (*Zone, error) {
	server, zone, c, err := prepare("axfr", server, zone, opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := bound(ctx, DefaultTransferTimeout)
	defer cancel()
	conn, stop, err := dial(ctx, "tcp", server)
	if err != nil {
		return nil, fail(ctx, "axfr", server, zone, c.key, nil, err)
	}
	defer conn.Close()
	defer stop()
	co := &dns.Conn{Conn: conn}
	q := newQuery(zone, dns.TypeAXFR, c.key, false)
	out, mac, err := pack(q, c.key)
	if err == nil {
		_, err = co.Write(out)
	}
	if err != nil {
		return nil, fail(ctx, "axfr", server, zone, c.key, nil, err)
	}
	var rrs []dns.RR
	var first *dns.SOA
	for msgs := 0; ; msgs++ {
		r, err := readSigned(co, c.key, &mac, msgs > 0)
		if err != nil || r.Rcode != dns.RcodeSuccess {
			return nil, fail(ctx, "axfr", server, zone, c.key, r, err)
		}
		if r.Id != q.Id {
			return nil, badAnswer("axfr", server, zone, "answer ID %d, want %d", r.Id, q.Id)
		}
		if msgs == 0 {
			if d := checkQuestion(q, r); d != "" {
				return nil, badAnswer("axfr", server, zone, "%s", d)
			}
		}
		for _, rr := range r.Answer {
			h := rr.Header()
			if first == nil {
				soa, ok := rr.(*dns.SOA)
				if !ok || !strings.EqualFold(h.Name, zone) {
					return nil, badAnswer("axfr", server, zone, "transfer starts with %s %s, want the zone's SOA", h.Name, dns.TypeToString[h.Rrtype])
				}
				first = soa
				rrs = append(rrs, rr)
				continue
			}
			if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(h.Name, zone) {
				if soa.Serial != first.Serial {
					return nil, badAnswer("axfr", server, zone, "transfer ends with serial %d, began with %d", soa.Serial, first.Serial)
				}
				if rr != r.Answer[len(r.Answer)-1] {
					return nil, badAnswer("axfr", server, zone, "records after the closing SOA")
				}
				z, err := newZone(zone, rrs)
				if err != nil {
					return nil, badAnswer("axfr", server, zone, "%v", err)
				}
				return z, nil
			}
			if len(rrs) >= c.maxRecords {
				return nil, badAnswer("axfr", server, zone, "more than %d records", c.maxRecords)
			}
			rrs = append(rrs, rr)
		}
		if first == nil {
			return nil, badAnswer("axfr", server, zone, "empty answer")
		}
	}
}

// pack packs m, signed when key is set, and returns the request MAC.
func pack(m *dns.Msg, key *tsigKey) ([]byte, string, error) {
	if key == nil {
		b, err := m.Pack()
		return b, "", err
	}
	return dns.TsigGenerateWithProvider(m, key.provider(), "", false)
}

// readSigned reads one message of a transfer. With a key, every message must
// carry a TSIG that verifies against the previous MAC (RFC 8945 5.3.1; later
// messages sign timers only); *mac is advanced.
func readSigned(co *dns.Conn, key *tsigKey, mac *string, timersOnly bool) (*dns.Msg, error) {
	p, err := co.ReadMsgHeader(nil)
	if err != nil {
		return nil, err
	}
	r := new(dns.Msg)
	if err := r.Unpack(p); err != nil {
		return nil, err
	}
	if key == nil {
		return r, nil
	}
	t := r.IsTsig()
	if t == nil {
		return r, dns.ErrNoSig
	}
	if err := dns.TsigVerifyWithProvider(p, key.provider(), *mac, timersOnly); err != nil {
		return r, err
	}
	*mac = t.MAC
	return r, nil
}

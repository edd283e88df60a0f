package dnswire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Fault is a misbehaviour a [Server] shows for a zone, for tests.
type Fault int

// The faults. They apply to every query and transfer for the zone (and
// names below it) except where noted.
const (
	// FaultNone answers normally.
	FaultNone Fault = iota
	// FaultRefuse answers REFUSED.
	FaultRefuse
	// FaultNotAuth answers NOTAUTH.
	FaultNotAuth
	// FaultServFail answers SERVFAIL.
	FaultServFail
	// FaultDrop never answers (the asker times out).
	FaultDrop
	// FaultTruncate answers UDP queries with the TC flag and no records, so
	// that the asker retries over TCP; TCP is answered normally.
	FaultTruncate
	// FaultWrongOwner answers SOA queries with a SOA owned by another zone.
	FaultWrongOwner
)

// Notification is a NOTIFY a [Server] received.
type Notification struct {
	// Zone is the notified zone, fully qualified, lower case.
	Zone string
	// Serial is the SOA serial hint, valid when HasSerial is set.
	Serial uint32
	// HasSerial tells whether the NOTIFY carried a SOA with a serial.
	HasSerial bool
	// From is the sender's address.
	From netip.AddrPort
	// Key is the name of the TSIG key that signed the NOTIFY, empty if
	// unsigned. Signed NOTIFYs that do not verify never reach the callback.
	Key string
}

// ServerOption configures [Listen].
type ServerOption func(*serverConfig) error

// serverConfig is what the server options set.
type serverConfig struct {
	addr     netip.AddrPort
	keys     keyring
	acl      []netip.Prefix
	notify   func(Notification) error
	log      *slog.Logger
	needTSIG bool
}

// WithListenAddr sets the "ip:port" to listen on (UDP and TCP); the default,
// "127.0.0.1:0", picks a free loopback port.
func WithListenAddr(addr string) ServerOption {
	return func(c *serverConfig) error {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil {
			return invalid("listen address %q is not an ip:port address", clip(addr))
		}
		c.addr = ap
		return nil
	}
}

// WithTransferTSIG makes AXFR require a request signed with one of keys;
// unsigned or wrongly signed requests get NOTAUTH. The keys also verify
// signed NOTIFYs.
func WithTransferTSIG(keys ...facade.TSIG) ServerOption {
	return func(c *serverConfig) error {
		if len(keys) == 0 {
			return invalid("WithTransferTSIG: no key")
		}
		for _, key := range keys {
			k, err := newTSIGKey(key)
			if err != nil {
				return err
			}
			c.keys[k.name] = k
		}
		c.needTSIG = true
		return nil
	}
}

// WithTransferACL sets the source prefixes AXFR is allowed from (default
// 127.0.0.0/8 and ::1/128); other sources get REFUSED.
func WithTransferACL(prefixes ...netip.Prefix) ServerOption {
	return func(c *serverConfig) error {
		for _, p := range prefixes {
			if !p.IsValid() {
				return invalid("transfer ACL: invalid prefix")
			}
		}
		c.acl = append([]netip.Prefix(nil), prefixes...)
		return nil
	}
}

// WithNotifyHandler calls f for every NOTIFY received (for any zone, served
// or not). f runs on the server's goroutine: it must return quickly (start
// slow work elsewhere). A nil return answers NOERROR, an error matching
// [ErrNotAuth] answers NOTAUTH, any other error REFUSED. Without a handler
// NOTIFY is answered REFUSED.
func WithNotifyHandler(f func(Notification) error) ServerOption {
	return func(c *serverConfig) error {
		if f == nil {
			return invalid("WithNotifyHandler: nil handler")
		}
		c.notify = f
		return nil
	}
}

// WithServerLogger logs served transfers, NOTIFYs and refusals (default:
// discard).
func WithServerLogger(l *slog.Logger) ServerOption {
	return func(c *serverConfig) error {
		if l == nil {
			return invalid("WithServerLogger: nil logger")
		}
		c.log = l
		return nil
	}
}

// Server is an authoritative DNS server for a set of zones on one UDP and
// one TCP socket. Its methods are safe for concurrent use.
type Server struct {
	cfg      serverConfig
	addr     netip.AddrPort
	udp, tcp *dns.Server

	mu     sync.RWMutex
	zones  map[string]*Zone
	faults map[string]Fault
}

// Listen starts a server on UDP and TCP at the same address and returns once
// both sockets serve. ctx bounds the start only; stop the server with
// [Server.Close].
func Listen(ctx context.Context, opts ...ServerOption) (*Server, error) {
	cfg := serverConfig{
		addr: netip.MustParseAddrPort("127.0.0.1:0"),
		keys: keyring{},
		acl:  []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		log:  slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		if o == nil {
			return nil, invalid("Listen: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg, zones: map[string]*Zone{}, faults: map[string]Fault{}}
	ln, pc, err := listenPair(ctx, cfg.addr)
	if err != nil {
		return nil, err
	}
	s.addr = netip.MustParseAddrPort(ln.Addr().String())
	var secrets dns.TsigProvider
	if len(cfg.keys) > 0 {
		secrets = cfg.keys
	}
	started := make(chan struct{}, 2)
	h := dns.HandlerFunc(s.serve)
	s.tcp = &dns.Server{Listener: ln, Handler: h, TsigProvider: secrets, NotifyStartedFunc: func() { started <- struct{}{} }}
	s.udp = &dns.Server{PacketConn: pc, Handler: h, TsigProvider: secrets, NotifyStartedFunc: func() { started <- struct{}{} }}
	errs := make(chan error, 2)
	for _, srv := range []*dns.Server{s.tcp, s.udp} {
		go func() { errs <- srv.ActivateAndServe() }()
	}
	for range 2 {
		select {
		case <-started:
		case err := <-errs:
			_ = s.Close()
			return nil, fmt.Errorf("dns server %s: %w", s.addr, err)
		case <-ctx.Done():
			_ = s.Close()
			return nil, ctx.Err()
		}
	}
	return s, nil
}

// listenPair binds TCP and UDP on the same address; with port 0 it retries
// until the kernel's free TCP port is also free for UDP.
func listenPair(ctx context.Context, addr netip.AddrPort) (net.Listener, net.PacketConn, error) {
	var lc net.ListenConfig
	var last error
	for range 20 {
		ln, err := lc.Listen(ctx, "tcp", addr.String())
		if err != nil {
			return nil, nil, fmt.Errorf("dns server: listen tcp %s: %w", addr, err)
		}
		pc, err := lc.ListenPacket(ctx, "udp", ln.Addr().String())
		if err == nil {
			return ln, pc, nil
		}
		_ = ln.Close()
		last = err
		if addr.Port() != 0 {
			break
		}
	}
	return nil, nil, fmt.Errorf("dns server: listen udp %s: %w", addr, last)
}

// Addr is the server's "ip:port" (the same for UDP and TCP).
func (s *Server) Addr() string { return s.addr.String() }

// SetZone serves z, replacing any zone of the same name.
func (s *Server) SetZone(z *Zone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zones[z.name] = z
}

// RemoveZone stops serving the zone name; it reports whether it was served.
func (s *Server) RemoveZone(name string) bool {
	name = dns.CanonicalName(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.zones[name]
	delete(s.zones, name)
	return ok
}

// Zone returns the served zone name.
func (s *Server) Zone(name string) (*Zone, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	z, ok := s.zones[dns.CanonicalName(name)]
	return z, ok
}

// SetFault makes the server misbehave for zone (and names below it);
// FaultNone restores normal answers.
func (s *Server) SetFault(zone string, f Fault) {
	zone = dns.CanonicalName(zone)
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == FaultNone {
		delete(s.faults, zone)
		return
	}
	s.faults[zone] = f
}

// Close stops the server and waits for its goroutines.
func (s *Server) Close() error {
	var errs []error
	for _, srv := range []*dns.Server{s.tcp, s.udp} {
		if srv != nil {
			if err := srv.Shutdown(); err != nil && !strings.Contains(err.Error(), "not started") {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// lookup returns the served zone enclosing name and the fault for name.
func (s *Server) lookup(name string) (*Zone, Fault) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var zone *Zone
	fault := FaultNone
	for off, end := 0, false; !end; off, end = dns.NextLabel(name, off) {
		suffix := name[off:]
		if zone == nil {
			zone = s.zones[suffix]
		}
		if f, ok := s.faults[suffix]; ok && fault == FaultNone {
			fault = f
		}
	}
	if z, ok := s.zones["."]; ok && zone == nil {
		zone = z
	}
	return zone, fault
}

// serve answers one request.
func (s *Server) serve(w dns.ResponseWriter, r *dns.Msg) {
	if len(r.Question) != 1 || r.Question[0].Qclass != dns.ClassINET && r.Question[0].Qtype != dns.TypeAXFR {
		s.reply(w, r, dns.RcodeFormatError)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	signed := r.IsTsig() != nil
	if signed && (len(s.cfg.keys) == 0 || w.TsigStatus() != nil) {
		s.cfg.log.Info("dns: TSIG did not verify", "zone", name, "from", w.RemoteAddr().String(), "key", r.IsTsig().Hdr.Name)
		s.tsigError(w, r)
		return
	}
	if r.Opcode == dns.OpcodeNotify {
		s.serveNotify(w, r, name)
		return
	}
	if r.Opcode != dns.OpcodeQuery {
		s.reply(w, r, dns.RcodeNotImplemented)
		return
	}
	zone, fault := s.lookup(name)
	_, udp := w.RemoteAddr().(*net.UDPAddr)
	switch fault {
	case FaultRefuse:
		s.reply(w, r, dns.RcodeRefused)
		return
	case FaultNotAuth:
		s.reply(w, r, dns.RcodeNotAuth)
		return
	case FaultServFail:
		s.reply(w, r, dns.RcodeServerFailure)
		return
	case FaultDrop:
		return
	case FaultTruncate:
		if udp {
			m := new(dns.Msg)
			m.SetReply(r)
			m.Truncated = true
			_ = w.WriteMsg(m)
			return
		}
	}
	if zone == nil {
		s.reply(w, r, dns.RcodeRefused)
		return
	}
	if q.Qtype == dns.TypeAXFR || q.Qtype == dns.TypeIXFR {
		s.serveTransfer(w, r, zone, name, udp)
		return
	}
	m := answer(r, zone, name, q.Qtype)
	if fault == FaultWrongOwner && q.Qtype == dns.TypeSOA && len(m.Answer) > 0 {
		soa := dns.Copy(m.Answer[0])
		soa.Header().Name = "wrong-owner." + zone.name
		m.Answer[0] = soa
	}
	if udp {
		m.Truncate(udpLimit(r))
	}
	s.write(w, r, m)
}

// udpLimit is the size a UDP answer to r may have.
func udpLimit(r *dns.Msg) int {
	if o := r.IsEdns0(); o != nil && o.UDPSize() > dns.MinMsgSize {
		return int(o.UDPSize())
	}
	return dns.MinMsgSize
}

// answer builds an authoritative answer for name/qtype from zone: the
// records, a CNAME, NODATA or NXDOMAIN with the SOA in the authority section.
func answer(r *dns.Msg, zone *Zone, name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	exists := false
	for _, rr := range zone.rrs {
		h := rr.Header()
		if h.Name != name {
			continue
		}
		exists = true
		if h.Rrtype == qtype || qtype == dns.TypeANY || h.Rrtype == dns.TypeCNAME && qtype != dns.TypeCNAME {
			m.Answer = append(m.Answer, rr)
		}
	}
	if len(m.Answer) == 0 {
		if !exists && !hasBelow(zone, name) {
			m.Rcode = dns.RcodeNameError
		}
		m.Ns = []dns.RR{zone.soa}
	}
	return m
}

// hasBelow reports whether some record is owned below name (an empty
// non-terminal, which exists).
func hasBelow(zone *Zone, name string) bool {
	for _, rr := range zone.rrs {
		if h := rr.Header(); h.Name != name && dns.IsSubDomain(name, h.Name) {
			return true
		}
	}
	return false
}

// serveTransfer answers AXFR (and IXFR, with a full transfer) over TCP.
func (s *Server) serveTransfer(w dns.ResponseWriter, r *dns.Msg, zone *Zone, name string, udp bool) {
	from := addrPort(w.RemoteAddr())
	log := s.cfg.log.With("zone", name, "from", from.String())
	switch {
	case name != zone.name:
		s.reply(w, r, dns.RcodeNotAuth)
	case udp && r.Question[0].Qtype == dns.TypeIXFR:
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		m.Answer = []dns.RR{zone.soa}
		s.write(w, r, m)
	case udp:
		s.reply(w, r, dns.RcodeRefused)
	case !s.allowed(from.Addr()):
		log.Info("dns: transfer refused by ACL")
		s.reply(w, r, dns.RcodeRefused)
	case s.cfg.needTSIG && r.IsTsig() == nil:
		log.Info("dns: unsigned transfer refused")
		s.reply(w, r, dns.RcodeNotAuth)
	default:
		const per = 200
		rrs := append(append([]dns.RR(nil), zone.rrs...), zone.soa)
		ch := make(chan *dns.Envelope, (len(rrs)+per-1)/per)
		for i := 0; i < len(rrs); i += per {
			ch <- &dns.Envelope{RR: rrs[i:min(i+per, len(rrs))]}
		}
		close(ch)
		if err := new(dns.Transfer).Out(w, r, ch); err != nil {
			log.Info("dns: transfer out failed", "err", err)
		} else {
			log.Debug("dns: transfer out", "serial", zone.soa.Serial, "records", len(zone.rrs))
		}
		w.Hijack()
		_ = w.Close()
	}
}

// serveNotify answers a NOTIFY through the handler.
func (s *Server) serveNotify(w dns.ResponseWriter, r *dns.Msg, name string) {
	if s.cfg.notify == nil || r.Question[0].Qtype != dns.TypeSOA {
		s.reply(w, r, dns.RcodeRefused)
		return
	}
	n := Notification{Zone: name, From: addrPort(w.RemoteAddr())}
	if t := r.IsTsig(); t != nil {
		n.Key = strings.ToLower(t.Hdr.Name)
	}
	for _, rr := range r.Answer {
		if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, name) {
			n.Serial, n.HasSerial = soa.Serial, true
		}
	}
	err := s.cfg.notify(n)
	s.cfg.log.Debug("dns: notify in", "zone", name, "from", n.From.String(), "serial", n.Serial, "err", err)
	switch {
	case err == nil:
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		s.write(w, r, m)
	case errors.Is(err, ErrNotAuth):
		s.reply(w, r, dns.RcodeNotAuth)
	default:
		s.reply(w, r, dns.RcodeRefused)
	}
}

// tsigError answers a request whose TSIG did not verify: NOTAUTH with an
// unsigned TSIG record carrying the error (BADKEY, BADSIG or BADTIME), as
// RFC 8945 section 5.3.2 says.
func (s *Server) tsigError(w dns.ResponseWriter, r *dns.Msg) {
	t := r.IsTsig()
	code := uint16(dns.RcodeBadSig)
	switch err := w.TsigStatus(); {
	case len(s.cfg.keys) == 0 || s.cfg.keys[strings.ToLower(t.Hdr.Name)] == nil || errors.Is(err, dns.ErrKeyAlg):
		code = dns.RcodeBadKey
	case errors.Is(err, dns.ErrTime):
		code = dns.RcodeBadTime
	}
	m := new(dns.Msg)
	m.SetRcode(r, dns.RcodeNotAuth)
	m.Extra = append(m.Extra, &dns.TSIG{
		Hdr:       dns.RR_Header{Name: t.Hdr.Name, Rrtype: dns.TypeTSIG, Class: dns.ClassANY},
		Algorithm: t.Algorithm, TimeSigned: t.TimeSigned, Fudge: t.Fudge, OrigId: r.Id, Error: code,
	})
	if b, err := m.Pack(); err == nil {
		_, _ = w.Write(b)
	}
}

// allowed reports whether addr is in the transfer ACL.
func (s *Server) allowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.cfg.acl {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// reply answers with rcode and no records.
func (s *Server) reply(w dns.ResponseWriter, r *dns.Msg, rcode int) {
	m := new(dns.Msg)
	m.SetRcode(r, rcode)
	s.write(w, r, m)
}

// write sends m, signed when r was signed with a key that verified.
func (s *Server) write(w dns.ResponseWriter, r, m *dns.Msg) {
	if t := r.IsTsig(); t != nil && len(s.cfg.keys) > 0 && w.TsigStatus() == nil {
		m.SetTsig(t.Hdr.Name, t.Algorithm, 300, time.Now().Unix())
	}
	_ = w.WriteMsg(m)
}

// addrPort converts a net.Addr.
func addrPort(a net.Addr) netip.AddrPort {
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}

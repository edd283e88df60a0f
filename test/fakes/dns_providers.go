package fakes

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// The glue between each fake's API state and its DNS side. All of it is
// called with Server.mu held; the DNS side never calls back into a fake, so
// the lock order is always Server.mu, then DNS.mu.

// dnsNames are the nameserver names each provider's API reports for a
// zone; the DNS side answers for all of them (see [DNS.Resolver]).
func dnsNames(provider string) []string {
	switch provider {
	case "ionos":
		return ionosNameservers()
	case "cloudflare":
		return []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}
	default: // DNSimple's secondary zones are served by its usual name servers.
		return []string{"ns1.dnsimple.com", "ns2.dnsimple-edge.net", "ns3.dnsimple.com", "ns4.dnsimple-edge.org"}
	}
}

// DNS returns the fake's DNS side, starting it on first use (a UDP and a TCP
// socket on a free loopback port). It panics if no loopback socket can be
// opened.
func (s *Server) DNS() *DNS {
	s.dnsOnce.Do(func() {
		d, err := newDNS(&s.cfg, s.log, dnsNames(s.provider))
		if err != nil {
			panic(fmt.Sprintf("fakes: starting the DNS side: %v", err))
		}
		s.dnsSide.Store(d)
	})
	return s.dnsSide.Load()
}

// closeDNS stops the DNS side if it was started.
func (s *Server) closeDNS() {
	s.dnsOnce.Do(func() {}) // a DNS call after Close must not start it
	if d := s.dnsSide.Load(); d != nil {
		d.close()
	}
}

// dnsTrack hands a zone's primaries to the DNS side, starting it only when
// a primary is on loopback. It reports whether the DNS side tracks the zone.
func (s *Server) dnsTrack(name string, ps []DNSPrimary) bool {
	if len(loopbackOnly(ps)) == 0 {
		if d := s.dnsSide.Load(); d != nil {
			d.untrack(name)
		}
		return false
	}
	return s.DNS().track(name, ps)
}

// dnsUntrack forgets a zone.
func (s *Server) dnsUntrack(name string) {
	if d := s.dnsSide.Load(); d != nil {
		d.untrack(name)
	}
}

// dnsRefresh triggers a transfer of a tracked zone.
func (s *Server) dnsRefresh(name string) {
	if d := s.dnsSide.Load(); d != nil {
		d.refresh(name)
	}
}

// dnsZone returns the DNS side's view of a zone, if it tracks it.
func (s *Server) dnsZone(name string) (DNSZone, bool) {
	d := s.dnsSide.Load()
	if d == nil {
		return DNSZone{}, false
	}
	return d.Zone(name)
}

// primaryAddr builds a primary's address; ok is false for an IP that does
// not parse (the fakes validated it already).
func primaryAddr(ip string, port int) (netip.AddrPort, bool) {
	a, err := netip.ParseAddr(ip)
	if err != nil || port < 1 || port > 65535 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(port)), true
}

// --- IONOS: primaries on port 53, per-primary status with an error message.

// IONOSTransferPending is the status of a loopback primary the DNS side has
// not finished a transfer from yet.
const IONOSTransferPending = "PENDING"

func (f *IONOS) dnsTrack(z *ionosZone) {
	var ps []DNSPrimary
	for _, ip := range z.PrimaryIPs {
		if ap, ok := primaryAddr(ip, 53); ok {
			ps = append(ps, DNSPrimary{Addr: ap})
		}
	}
	f.Server.dnsTrack(z.ZoneName, ps)
}

// dnsTransfers is z's transfer status with the real outcome for loopback
// primaries.
func (f *IONOS) dnsTransfers(z *ionosZone) []IONOSTransfer {
	out := slices.Clone(z.Transfers)
	dz, ok := f.dnsZone(z.ZoneName)
	if !ok {
		return out
	}
	for i, t := range out {
		ap, ok := primaryAddr(t.PrimaryIP, 53)
		if !ok {
			continue
		}
		for _, r := range dz.Primaries {
			if r.Primary != ap {
				continue
			}
			switch {
			case !r.Done:
				out[i].Status, out[i].ErrorMessage = IONOSTransferPending, ""
			case r.OK:
				out[i].Status, out[i].ErrorMessage = IONOSTransferOK, ""
			default:
				out[i].Status, out[i].ErrorMessage = IONOSTransferFailed, transferMessage(r.Err)
			}
		}
	}
	return out
}

// --- DNSimple: primaries are the primary servers linked to the zone; the
// API shows last_transferred_at only.

func (f *DNSimple) dnsTrack(zone string) {
	var ps []DNSPrimary
	for _, p := range f.primaries {
		if slices.Contains(p.LinkedSecondaryZones, zone) {
			if ap, ok := primaryAddr(p.IP, p.Port); ok {
				ps = append(ps, DNSPrimary{Addr: ap})
			}
		}
	}
	f.Server.dnsTrack(zone, ps)
}

// dnsLastTransfer overrides last_transferred_at for a zone the DNS side
// tracks: the time of the last successful transfer, nil if none.
func (f *DNSimple) dnsLastTransfer(z *DNSimpleZone, last any) any {
	dz, ok := f.dnsZone(z.Name)
	if !ok {
		return last
	}
	if dz.LastTransfer.IsZero() {
		return nil
	}
	return ts(dz.LastTransfer)
}

// --- Cloudflare: peers with ports and TSIG keys; the API shows soa_serial
// and checked_time.

func (f *Cloudflare) dnsTrack(in *CloudflareIncoming) {
	var ps []DNSPrimary
	for _, pid := range in.Peers {
		p := findByID(f.peers, pid, func(p *CloudflarePeer) string { return p.ID })
		if p == nil {
			continue
		}
		ap, ok := primaryAddr(p.IP, p.Port)
		if !ok {
			continue
		}
		dp := DNSPrimary{Addr: ap}
		if t := findByID(f.tsigs, p.TSIGID, func(t *CloudflareTSIG) string { return t.ID }); p.TSIGID != "" && t != nil {
			dp.Key = &facade.TSIG{Name: t.Name, Algorithm: strings.TrimSuffix(t.Algo, "."), Secret: facade.Secret(t.Secret)}
		}
		ps = append(ps, dp)
	}
	f.Server.dnsTrack(in.Name, ps)
}

// dnsPeerChanged re-tracks the zones using peer id.
func (f *Cloudflare) dnsPeerChanged(id string) {
	for _, in := range f.incoming {
		if slices.Contains(in.Peers, id) {
			f.dnsTrack(in)
		}
	}
}

// dnsTSIGChanged re-tracks the zones whose peers use TSIG key id.
func (f *Cloudflare) dnsTSIGChanged(id string) {
	for _, p := range f.peers {
		if p.TSIGID == id {
			f.dnsPeerChanged(p.ID)
		}
	}
}

// dnsIncoming is in as the API shows it: for a zone the DNS side tracks,
// soa_serial is the serial served (0 before the first transfer) and
// checked_time the last attempt.
func (f *Cloudflare) dnsIncoming(in *CloudflareIncoming) *CloudflareIncoming {
	dz, ok := f.dnsZone(in.Name)
	if !ok {
		return in
	}
	c := *in
	c.SOASerial = dz.Serial
	if !dz.LastAttempt.IsZero() {
		c.CheckedTime = dz.LastAttempt
	}
	return &c
}

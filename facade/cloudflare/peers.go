package cloudflare

import (
	"context"
	"iter"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	cf "github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// Peer is an account-wide secondary DNS peer: for secondary zones, a
// primary name server Cloudflare transfers from.
type Peer struct {
	// ID is the peer's identifier (32 lower-case hex digits); ignored by
	// [Client.CreatePeer], required by [Client.UpdatePeer].
	ID string
	// Name is the peer's display name; required.
	Name string
	// IP is the name server's address; required.
	IP netip.Addr
	// Port is the name server's port; 0 means 53 when creating or updating.
	Port uint16
	// IXFR enables incremental transfers (the default is AXFR).
	IXFR bool
	// TSIGID, if set, is the TSIG key (32 hex digits) used for transfers.
	TSIGID string
}

// Primary returns the peer as a [facade.Primary].
func (p Peer) Primary() facade.Primary { return facade.Primary{Addr: p.IP, Port: p.Port} }

func (p Peer) body() (cf.SecondaryDNSPeerInput, error) {
	var zero cf.SecondaryDNSPeerInput
	if strings.TrimSpace(p.Name) == "" {
		return zero, errorf("peer name: must not be empty")
	}
	ip, err := checkIP(p.IP)
	if err != nil {
		return zero, err
	}
	port := p.Port
	if port == 0 {
		port = facade.DefaultPort
	}
	in := cf.SecondaryDNSPeerInput{
		Name:       p.Name,
		IP:         ptr(ip.String()),
		Port:       ptr(int64(port)),
		IxfrEnable: ptr(p.IXFR),
	}
	if p.TSIGID != "" {
		if err := checkHexID("TSIG ID", p.TSIGID); err != nil {
			return zero, err
		}
		in.TsigID = ptr(p.TSIGID)
	}
	return in, nil
}

// checkIP validates a primary's address like [facade.ParseIP].
func checkIP(a netip.Addr) (netip.Addr, error) {
	if !a.IsValid() {
		return netip.Addr{}, errorf("IP address: missing")
	}
	return facade.ParseIP(a.String())
}

func convertPeer(p *cf.SecondaryDNSPeer) Peer {
	if p == nil {
		return Peer{}
	}
	out := Peer{ID: deref(p.ID), Name: p.Name, IXFR: deref(p.IxfrEnable), TSIGID: deref(p.TsigID)}
	if p.IP != nil {
		if a, err := netip.ParseAddr(*p.IP); err == nil {
			out.IP = a.Unmap()
		}
	}
	if p.Port != nil && *p.Port > 0 && *p.Port <= 65535 {
		out.Port = uint16(*p.Port)
	}
	return out
}

// peerObjects is the peers' part of the account-wide object shape.
func (c *Client) peerObjects() objects[Peer, cf.SecondaryDNSPeer, cf.SecondaryDNSPeerInput] {
	one := func(e *cf.SecondaryDNSSchemasSingleResponse) *cf.SecondaryDNSPeer { return e.Result }
	id := func(p *cf.SecondaryDNSPeer) *string { return p.ID }
	return objects[Peer, cf.SecondaryDNSPeer, cf.SecondaryDNSPeerInput]{
		c: c, what: "peer",
		input: func(op string, p Peer) (cf.SecondaryDNSPeerInput, error) {
			body, err := p.body()
			if err != nil {
				return body, c.invalid(op, err)
			}
			return body, c.core.CheckPrimaryAddr(op, p.IP)
		},
		id:   func(p Peer) string { return p.ID },
		from: convertPeer,
		list: func(ctx context.Context, op string) (*[]cf.SecondaryDNSPeer, error) {
			return result(c, op, (*cf.ListPeersResponse).GetJSON200,
				func(e *cf.SecondaryDNSSchemasResponseCollection) *[]cf.SecondaryDNSPeer { return e.Result },
				hasIDs("peer", id))(c.api.ListPeersWithResponse(ctx, c.accountID))
		},
		get: func(ctx context.Context, op, pid string) (*cf.SecondaryDNSPeer, error) {
			return result(c, op, (*cf.GetPeerResponse).GetJSON200, one)(c.api.GetPeerWithResponse(ctx, c.accountID, pid))
		},
		create: func(ctx context.Context, op string, in cf.SecondaryDNSPeerInput) (*cf.SecondaryDNSPeer, error) {
			return result(c, op, (*cf.CreatePeerResponse).GetJSON200, one, hasID("peer", id))(c.api.CreatePeerWithResponse(ctx, c.accountID, in))
		},
		update: func(ctx context.Context, op, pid string, in cf.SecondaryDNSPeerInput) (*cf.SecondaryDNSPeer, error) {
			return result(c, op, (*cf.UpdatePeerResponse).GetJSON200, one)(c.api.UpdatePeerWithResponse(ctx, c.accountID, pid, in))
		},
		remove: func(ctx context.Context, op, pid string) error {
			_, err := envelope(c, op, (*cf.DeletePeerResponse).GetJSON200)(c.api.DeletePeerWithResponse(ctx, c.accountID, pid))
			return err
		},
	}
}

// ListPeers iterates over the account's peers (GET
// /accounts/{account_id}/secondary_dns/peers; the API returns them in one
// page).
func (c *Client) ListPeers(ctx context.Context) iter.Seq2[Peer, error] {
	return c.peers.List(ctx, "ListPeers")
}

// GetPeer returns the peer with the given ID; an unknown ID yields
// [facade.ErrNotFound].
func (c *Client) GetPeer(ctx context.Context, id string) (Peer, error) {
	return c.peers.Get(ctx, "GetPeer", id)
}

// CreatePeer creates a peer from p (p.ID is ignored) and returns it with
// its new ID.
func (c *Client) CreatePeer(ctx context.Context, p Peer) (Peer, error) {
	return c.peers.Create(ctx, "CreatePeer", p)
}

// UpdatePeer replaces the attributes of the peer p.ID with those of p.
func (c *Client) UpdatePeer(ctx context.Context, p Peer) (Peer, error) {
	return c.peers.Update(ctx, "UpdatePeer", p)
}

// DeletePeer deletes the peer with the given ID. Zones still naming it in
// their incoming configuration lose that primary.
func (c *Client) DeletePeer(ctx context.Context, id string) error {
	return c.peers.Delete(ctx, "DeletePeer", id)
}

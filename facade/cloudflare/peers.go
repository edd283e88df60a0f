package cloudflare

import (
	"context"
	"iter"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
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

func (p Peer) body() (cloudflareapi.SecondaryDNSPeerInput, error) {
	var zero cloudflareapi.SecondaryDNSPeerInput
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
	in := cloudflareapi.SecondaryDNSPeerInput{
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

func convertPeer(p *cloudflareapi.SecondaryDNSPeer) Peer {
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

// ListPeers iterates over the account's peers (GET
// /accounts/{account_id}/secondary_dns/peers; the API returns them in one
// page).
func (c *Client) ListPeers(ctx context.Context) iter.Seq2[Peer, error] {
	return c.listPeers(ctx, "ListPeers")
}

func (c *Client) listPeers(ctx context.Context, op string) iter.Seq2[Peer, error] {
	return singlePage(ctx, c, op, func(ctx context.Context) ([]Peer, error) {
		rsp, err := c.api.ListPeersWithResponse(ctx, c.accountID)
		if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.ListPeersResponse).GetJSON200); err != nil {
			return nil, err
		}
		if rsp.JSON200.Result == nil {
			return nil, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of peers (\"result\" missing)")
		}
		out := make([]Peer, 0, len(*rsp.JSON200.Result))
		for i := range *rsp.JSON200.Result {
			p := &(*rsp.JSON200.Result)[i]
			if deref(p.ID) == "" {
				return nil, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "peer list item %d has no id", i)
			}
			out = append(out, convertPeer(p))
		}
		return out, nil
	})
}

// GetPeer returns the peer with the given ID; an unknown ID yields
// [facade.ErrNotFound].
func (c *Client) GetPeer(ctx context.Context, id string) (Peer, error) {
	const op = "GetPeer"
	if err := checkHexID("peer ID", id); err != nil {
		return Peer{}, c.invalid(op, err)
	}
	rsp, err := c.api.GetPeerWithResponse(ctx, c.accountID, id)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.GetPeerResponse).GetJSON200); err != nil {
		return Peer{}, err
	}
	if rsp.JSON200.Result == nil {
		return Peer{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertPeer(rsp.JSON200.Result), nil
}

// CreatePeer creates a peer from p (p.ID is ignored) and returns it with
// its new ID.
func (c *Client) CreatePeer(ctx context.Context, p Peer) (Peer, error) {
	return c.createPeer(ctx, "CreatePeer", p)
}

func (c *Client) createPeer(ctx context.Context, op string, p Peer) (Peer, error) {
	body, err := p.body()
	if err != nil {
		return Peer{}, c.invalid(op, err)
	}
	if err := c.core.CheckPrimaryAddr(op, p.IP); err != nil {
		return Peer{}, err
	}
	rsp, err := c.api.CreatePeerWithResponse(ctx, c.accountID, body)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.CreatePeerResponse).GetJSON200); err != nil {
		return Peer{}, err
	}
	if rsp.JSON200.Result == nil || deref(rsp.JSON200.Result.ID) == "" {
		return Peer{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertPeer(rsp.JSON200.Result), nil
}

// UpdatePeer replaces the attributes of the peer p.ID with those of p.
func (c *Client) UpdatePeer(ctx context.Context, p Peer) (Peer, error) {
	const op = "UpdatePeer"
	if err := checkHexID("peer ID", p.ID); err != nil {
		return Peer{}, c.invalid(op, err)
	}
	body, err := p.body()
	if err != nil {
		return Peer{}, c.invalid(op, err)
	}
	if err := c.core.CheckPrimaryAddr(op, p.IP); err != nil {
		return Peer{}, err
	}
	rsp, err := c.api.UpdatePeerWithResponse(ctx, c.accountID, p.ID, body)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.UpdatePeerResponse).GetJSON200); err != nil {
		return Peer{}, err
	}
	if rsp.JSON200.Result == nil {
		return Peer{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertPeer(rsp.JSON200.Result), nil
}

// DeletePeer deletes the peer with the given ID. Zones still naming it in
// their incoming configuration lose that primary.
func (c *Client) DeletePeer(ctx context.Context, id string) error {
	return c.deletePeer(ctx, "DeletePeer", id)
}

func (c *Client) deletePeer(ctx context.Context, op, id string) error {
	if err := checkHexID("peer ID", id); err != nil {
		return c.invalid(op, err)
	}
	rsp, err := c.api.DeletePeerWithResponse(ctx, c.accountID, id)
	_, err = core.Call(c.core, op, rsp, err, (*cloudflareapi.DeletePeerResponse).GetJSON200)
	return err
}

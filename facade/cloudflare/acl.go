package cloudflare

import (
	"context"
	"iter"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade/internal/core"

	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// ACL is an account-wide secondary DNS access control entry: an address
// range allowed to send NOTIFYs for secondary zones (and to transfer
// primary zones).
type ACL struct {
	// ID is the ACL's identifier; ignored by [Client.CreateACL], required
	// by [Client.UpdateACL].
	ID string
	// Name is the ACL's display name; required.
	Name string
	// IPRange is the allowed range: at most a /24 for IPv4 and a /64 for
	// IPv6.
	IPRange netip.Prefix
}

func (a ACL) body() (cloudflareapi.SecondaryDNSACLInput, error) {
	var zero cloudflareapi.SecondaryDNSACLInput
	if strings.TrimSpace(a.Name) == "" {
		return zero, errorf("ACL name: must not be empty")
	}
	p := a.IPRange
	switch {
	case !p.IsValid():
		return zero, errorf("ACL IP range: missing or invalid")
	case p.Addr().Zone() != "":
		return zero, errorf("ACL IP range %s: zones are not allowed", p)
	case p.Addr().Is4() && p.Bits() < 24:
		return zero, errorf("ACL IP range %s: IPv4 ranges are limited to /24 or smaller", p)
	case p.Addr().Is6() && p.Bits() < 64:
		return zero, errorf("ACL IP range %s: IPv6 ranges are limited to /64 or smaller", p)
	}
	return cloudflareapi.SecondaryDNSACLInput{Name: a.Name, IPRange: p.String()}, nil
}

func convertACL(a *cloudflareapi.SecondaryDNSACL) ACL {
	if a == nil {
		return ACL{}
	}
	out := ACL{ID: deref(a.ID), Name: a.Name}
	if p, err := netip.ParsePrefix(a.IPRange); err == nil {
		out.IPRange = p
	} else if ip, err := netip.ParseAddr(a.IPRange); err == nil {
		out.IPRange = netip.PrefixFrom(ip, ip.BitLen())
	}
	return out
}

// ListACLs iterates over the account's ACLs (the API returns them in one
// page).
func (c *Client) ListACLs(ctx context.Context) iter.Seq2[ACL, error] {
	const op = "ListACLs"
	return singlePage(ctx, c, op, func(ctx context.Context) ([]ACL, error) {
		rsp, err := c.api.ListACLsWithResponse(ctx, c.accountID)
		if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.ListACLsResponse).GetJSON200); err != nil {
			return nil, err
		}
		if rsp.JSON200.Result == nil {
			return nil, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of ACLs (\"result\" missing)")
		}
		out := make([]ACL, 0, len(*rsp.JSON200.Result))
		for i := range *rsp.JSON200.Result {
			out = append(out, convertACL(&(*rsp.JSON200.Result)[i]))
		}
		return out, nil
	})
}

// GetACL returns the ACL with the given ID; an unknown ID yields
// [facade.ErrNotFound].
func (c *Client) GetACL(ctx context.Context, id string) (ACL, error) {
	const op = "GetACL"
	if err := checkHexID("ACL ID", id); err != nil {
		return ACL{}, c.invalid(op, err)
	}
	rsp, err := c.api.GetACLWithResponse(ctx, c.accountID, id)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.GetACLResponse).GetJSON200); err != nil {
		return ACL{}, err
	}
	if rsp.JSON200.Result == nil {
		return ACL{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertACL(rsp.JSON200.Result), nil
}

// CreateACL creates an ACL from a (a.ID is ignored).
func (c *Client) CreateACL(ctx context.Context, a ACL) (ACL, error) {
	const op = "CreateACL"
	body, err := a.body()
	if err != nil {
		return ACL{}, c.invalid(op, err)
	}
	rsp, err := c.api.CreateACLWithResponse(ctx, c.accountID, body)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.CreateACLResponse).GetJSON200); err != nil {
		return ACL{}, err
	}
	if rsp.JSON200.Result == nil || deref(rsp.JSON200.Result.ID) == "" {
		return ACL{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertACL(rsp.JSON200.Result), nil
}

// UpdateACL replaces the ACL a.ID with a's name and range.
func (c *Client) UpdateACL(ctx context.Context, a ACL) (ACL, error) {
	const op = "UpdateACL"
	if err := checkHexID("ACL ID", a.ID); err != nil {
		return ACL{}, c.invalid(op, err)
	}
	body, err := a.body()
	if err != nil {
		return ACL{}, c.invalid(op, err)
	}
	rsp, err := c.api.UpdateACLWithResponse(ctx, c.accountID, a.ID, body)
	if _, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.UpdateACLResponse).GetJSON200); err != nil {
		return ACL{}, err
	}
	if rsp.JSON200.Result == nil {
		return ACL{}, c.unexpected(op, rsp.HTTPResponse, rsp.Body)
	}
	return convertACL(rsp.JSON200.Result), nil
}

// DeleteACL deletes the ACL with the given ID.
func (c *Client) DeleteACL(ctx context.Context, id string) error {
	const op = "DeleteACL"
	if err := checkHexID("ACL ID", id); err != nil {
		return c.invalid(op, err)
	}
	rsp, err := c.api.DeleteACLWithResponse(ctx, c.accountID, id)
	_, err = core.Call(c.core, op, rsp, err, (*cloudflareapi.DeleteACLResponse).GetJSON200)
	return err
}

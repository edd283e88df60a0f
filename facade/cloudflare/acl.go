package cloudflare

import (
	"context"
	"iter"
	"net/netip"
	"strings"

	cf "github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
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

func (a ACL) body() (cf.SecondaryDNSACLInput, error) {
	var zero cf.SecondaryDNSACLInput
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
	return cf.SecondaryDNSACLInput{Name: a.Name, IPRange: p.String()}, nil
}

func convertACL(a *cf.SecondaryDNSACL) ACL {
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

// aclObjects is the ACLs' part of the account-wide object shape.
func (c *Client) aclObjects() objects[ACL, cf.SecondaryDNSACL, cf.SecondaryDNSACLInput] {
	one := func(e *cf.SecondaryDNSComponentsSchemasSingleResponse) *cf.SecondaryDNSACL { return e.Result }
	id := func(a *cf.SecondaryDNSACL) *string { return a.ID }
	return objects[ACL, cf.SecondaryDNSACL, cf.SecondaryDNSACLInput]{
		c: c, what: "ACL",
		input: func(op string, a ACL) (cf.SecondaryDNSACLInput, error) {
			body, err := a.body()
			if err != nil {
				return body, c.invalid(op, err)
			}
			return body, nil
		},
		id:   func(a ACL) string { return a.ID },
		from: convertACL,
		list: func(ctx context.Context, op string) (*[]cf.SecondaryDNSACL, error) {
			return result(c, op, (*cf.ListACLsResponse).GetJSON200,
				func(e *cf.SecondaryDNSComponentsSchemasResponseCollection) *[]cf.SecondaryDNSACL { return e.Result },
				hasIDs("ACL", id))(c.api.ListACLsWithResponse(ctx, c.accountID))
		},
		get: func(ctx context.Context, op, aid string) (*cf.SecondaryDNSACL, error) {
			return result(c, op, (*cf.GetACLResponse).GetJSON200, one)(c.api.GetACLWithResponse(ctx, c.accountID, aid))
		},
		create: func(ctx context.Context, op string, in cf.SecondaryDNSACLInput) (*cf.SecondaryDNSACL, error) {
			return result(c, op, (*cf.CreateACLResponse).GetJSON200, one, hasID("ACL", id))(c.api.CreateACLWithResponse(ctx, c.accountID, in))
		},
		update: func(ctx context.Context, op, aid string, in cf.SecondaryDNSACLInput) (*cf.SecondaryDNSACL, error) {
			return result(c, op, (*cf.UpdateACLResponse).GetJSON200, one)(c.api.UpdateACLWithResponse(ctx, c.accountID, aid, in))
		},
		remove: func(ctx context.Context, op, aid string) error {
			_, err := envelope(c, op, (*cf.DeleteACLResponse).GetJSON200)(c.api.DeleteACLWithResponse(ctx, c.accountID, aid))
			return err
		},
	}
}

// ListACLs iterates over the account's ACLs (the API returns them in one
// page).
func (c *Client) ListACLs(ctx context.Context) iter.Seq2[ACL, error] {
	return c.acls.List(ctx, "ListACLs")
}

// GetACL returns the ACL with the given ID; an unknown ID yields
// [facade.ErrNotFound].
func (c *Client) GetACL(ctx context.Context, id string) (ACL, error) {
	return c.acls.Get(ctx, "GetACL", id)
}

// CreateACL creates an ACL from a (a.ID is ignored).
func (c *Client) CreateACL(ctx context.Context, a ACL) (ACL, error) {
	return c.acls.Create(ctx, "CreateACL", a)
}

// UpdateACL replaces the ACL a.ID with a's name and range.
func (c *Client) UpdateACL(ctx context.Context, a ACL) (ACL, error) {
	return c.acls.Update(ctx, "UpdateACL", a)
}

// DeleteACL deletes the ACL with the given ID.
func (c *Client) DeleteACL(ctx context.Context, id string) error {
	return c.acls.Delete(ctx, "DeleteACL", id)
}

package core

import (
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
)

// AllowsPrivatePrimaries reports whether the Core was created with
// [facade.WithPrivatePrimaries].
func (c *Core) AllowsPrivatePrimaries() bool { return c.privatePrimaries }

// CheckPrimaryAddr applies [facade.CheckPrimaryAddr] with this Core's setting
// ([facade.WithPrivatePrimaries]) and reports a failure as an [facade.ErrInvalidInput]
// error for operation op and the Core's provider.
func (c *Core) CheckPrimaryAddr(op string, a netip.Addr) error {
	if err := facade.CheckPrimaryAddr(a, c.privatePrimaries); err != nil {
		return c.Invalid(op, err)
	}
	return nil
}

// ValidatePrimaries is [facade.ValidatePrimaries] followed by [facade.CheckPrimaryAddr]
// for every primary, with this Core's setting ([facade.WithPrivatePrimaries]).
// Adapters call it before any request; errors are [facade.ErrInvalidInput] errors
// for operation op and the Core's provider.
func (c *Core) ValidatePrimaries(op string, ps []facade.Primary) ([]facade.Primary, error) {
	out, err := facade.ValidatePrimaries(ps)
	if err != nil {
		return nil, c.Invalid(op, err)
	}
	for i, p := range out {
		if err := facade.CheckPrimaryAddr(p.Addr, c.privatePrimaries); err != nil {
			e := facade.NewError(facade.ErrInvalidInput, nil)
			e.Messages = []string{fmt.Sprintf("primaries[%d]: %s", i, err.(*facade.Error).Messages[0])}
			return nil, c.Invalid(op, e)
		}
	}
	return out, nil
}

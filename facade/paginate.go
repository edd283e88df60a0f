package facade

import (
	"fmt"
	"iter"

	"github.com/secondarydns/secondarydns-go/facade/internal/config"
)

// Default bounds of one listing; see [ListLimits].
const (
	// DefaultMaxListPages is the default page limit of one listing.
	DefaultMaxListPages = 10_000
	// DefaultMaxListItems is the default item limit of one listing.
	DefaultMaxListItems = 200_000
)

// ListLimits bound one listing (one range over a ListZones-style
// sequence, or the listing behind one by-name lookup), so that a server
// that always reports another page cannot keep a call running until its
// context ends, or grow the caller's memory. A listing that reaches a limit
// ends with an [ErrUnexpectedResponse] error saying so.
type ListLimits struct {
	// MaxPages is the number of pages fetched at most; 0 means
	// [DefaultMaxListPages].
	MaxPages int
	// MaxItems is the number of items yielded at most; 0 means
	// [DefaultMaxListItems].
	MaxItems int
}

// DefaultListLimits returns the limits used unless [WithListLimits] is
// given: [DefaultMaxListPages] pages and [DefaultMaxListItems] items.
func DefaultListLimits() ListLimits {
	return ListLimits{MaxPages: DefaultMaxListPages, MaxItems: DefaultMaxListItems}
}

// WithListLimits sets the limits of every listing of the client (see
// [ListLimits]), e.g. to list an account holding more than
// [DefaultMaxListItems] zones. Zero fields keep their defaults; negative
// values are invalid.
func WithListLimits(l ListLimits) Option {
	return func(c *config.Config) error {
		if l.MaxPages < 0 || l.MaxItems < 0 {
			return fmt.Errorf("list limits: need MaxPages >= 0 and MaxItems >= 0, got %d and %d", l.MaxPages, l.MaxItems)
		}
		c.Limits = config.Limits(l)
		return nil
	}
}

// Collect drains seq into a slice. It stops at the first error and returns
// the items gathered so far together with that error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

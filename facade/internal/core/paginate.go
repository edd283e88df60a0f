package core

import (
	"context"
	"fmt"
	"hash/maphash"
	"iter"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// PageFunc fetches one page for [Paginate]: cursor is "" for the first page
// and otherwise the next value returned by the previous call; next == ""
// marks the last page. Cursors are opaque to Paginate (a page number, an
// offset, a continuation token).
type PageFunc[T any] func(ctx context.Context, cursor string) (items []T, next string, err error)

// Paginate turns a page fetcher into an iterator over all items, so that
// adapters write their pagination loop once:
//
//	return facade.Paginate(ctx, func(ctx context.Context, cursor string) ([]facade.Zone, string, error) {
//		rsp, err := c.api.ListZonesWithResponse(ctx, &params{Page: cursor})
//		if err := c.core.CheckResponse("ListZones", rsp, err); err != nil {
//			return nil, "", err
//		}
//		return convertZones(rsp.JSON200), nextCursor(rsp.JSON200), nil
//	})
//
// Guarantees:
//   - fetch receives the caller's ctx on every page;
//   - ctx is checked before each page: once it is done, its error (an
//     [*facade.Error] of kind [facade.ErrTransport] matching context.Canceled or
//     context.DeadlineExceeded) is yielded once and iteration stops;
//   - an error from fetch is yielded exactly once, with a zero T, and
//     iteration stops (items returned along with the error are dropped);
//   - no fetch happens after a page whose next is "";
//   - nothing more is fetched once the consumer stops (breaks);
//   - a server that returns a next cursor equal to the current one or to
//     any earlier one gets an [*facade.Error] of kind [facade.ErrUnexpectedResponse]
//     ("server repeated page ...") yielded once, instead of looping forever;
//   - the listing is bounded whatever the server says: after
//     [facade.DefaultListLimits] pages or items (with [PaginateFor] and
//     [PaginateUnique], the Core's [facade.WithListLimits]) an [facade.ErrUnexpectedResponse]
//     error naming the limit is yielded once and iteration stops.
//
// The sequence is single-use in spirit but may be ranged over again; each
// range starts a fresh pagination. Only the current page is held in memory.
//
// Paginate's own errors (context done, repeated page, limit) carry
// Operation "Paginate" and no Provider; adapters use [PaginateFor] or
// [PaginateUnique], which label every error with their provider and
// operation.
func Paginate[T any](ctx context.Context, fetch PageFunc[T]) iter.Seq2[T, error] {
	return paginate(ctx, facade.DefaultListLimits(), nil, fetch, func(err error) error { return err }, func(e *facade.Error) error {
		e.Operation = "Paginate"
		return e
	})
}

// PaginateFor is [Paginate] for operation op of an adapter using c: every
// error the sequence yields is an [*facade.Error] with c's provider and Operation
// op. Paginate's own errors (context done, repeated page, limit) are built
// that way, and errors from fetch go through [Core.Wrap], so an adapter
// needs no relabelling loop around the sequence:
//
//	return facade.PaginateFor(ctx, c.core, op, func(ctx context.Context, cursor string) ([]Zone, string, error) {
//		...
//	})
//
// All guarantees of Paginate hold, with the limits set by
// [facade.WithListLimits]. c must not be nil.
func PaginateFor[T any](ctx context.Context, c *Core, op string, fetch PageFunc[T]) iter.Seq2[T, error] {
	return PaginateUnique(ctx, c, op, nil, fetch)
}

// PaginateUnique is [PaginateFor] for items with an identity: key returns
// an item's identifier (e.g. its ID). Besides PaginateFor's guarantees, it
// does not depend on the server's cursors to make progress:
//
//   - an item whose key was already yielded by this listing is skipped, so
//     that an item shifted onto the next page by a concurrent insertion
//     (offset paging) is yielded once;
//   - a non-empty page none of whose items is new (a server repeating a
//     page, also when the client computes the next cursor itself) ends the
//     listing with an [facade.ErrUnexpectedResponse] error ("server repeated page").
//
// It remembers a 64-bit hash per item yielded (not the items), so memory
// stays bounded by one page plus 8 bytes per item, itself bounded by the
// item limit. A nil key makes it PaginateFor.
func PaginateUnique[T any](ctx context.Context, c *Core, op string, key func(T) string, fetch PageFunc[T]) iter.Seq2[T, error] {
	var id func(maphash.Seed, T) uint64
	if key != nil {
		id = func(seed maphash.Seed, it T) uint64 { return maphash.String(seed, key(it)) }
	}
	return paginateFor(ctx, c, op, id, fetch)
}

// PaginateUniqueInt is [PaginateUnique] for items identified by an integer
// (e.g. DNSimple's IDs), remembered as they are: no string is built per item.
func PaginateUniqueInt[T any](ctx context.Context, c *Core, op string, key func(T) int64, fetch PageFunc[T]) iter.Seq2[T, error] {
	return paginateFor(ctx, c, op, func(_ maphash.Seed, it T) uint64 { return uint64(key(it)) }, fetch)
}

// paginateFor is paginate with c's limits and labels.
func paginateFor[T any](ctx context.Context, c *Core, op string, id func(maphash.Seed, T) uint64, fetch PageFunc[T]) iter.Seq2[T, error] {
	return paginate(ctx, c.limits, id, fetch, func(err error) error { return c.Wrap(op, err) }, func(e *facade.Error) error {
		e.Provider, e.Operation = c.provider, op
		return e
	})
}

// paginate implements the Paginate family: id (optional) identifies items
// (a 64-bit hash of their key under a seed of this listing), wrap relabels
// errors from fetch, label its own errors.
func paginate[T any](ctx context.Context, lim facade.ListLimits, id func(maphash.Seed, T) uint64, fetch PageFunc[T], wrap func(error) error, label func(*facade.Error) error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		fail := func(format string, args ...any) {
			e := facade.NewError(facade.ErrUnexpectedResponse, nil)
			e.Messages = []string{fmt.Sprintf(format, args...)}
			yield(zero, label(e))
		}
		seen := map[string]struct{}{"": {}}
		var (
			seed  maphash.Seed
			known map[uint64]struct{}
		)
		if id != nil {
			seed, known = maphash.MakeSeed(), map[uint64]struct{}{}
		}
		cursor := ""
		pages, items := 0, 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, label(transportError("", "", err, err)))
				return
			}
			if pages >= lim.MaxPages {
				fail("listing stopped after %d pages: the server keeps reporting more (raise the limit with facade.WithListLimits)", pages)
				return
			}
			page, next, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, wrap(err))
				return
			}
			pages++
			fresh := 0
			for _, it := range page {
				if id != nil {
					h := id(seed, it)
					if _, dup := known[h]; dup {
						continue
					}
					known[h] = struct{}{}
				}
				fresh++
				if items++; items > lim.MaxItems {
					fail("listing stopped after %d items: the server keeps reporting more (raise the limit with facade.WithListLimits)", lim.MaxItems)
					return
				}
				if !yield(it, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			if id != nil && len(page) > 0 && fresh == 0 {
				fail("server repeated page: every item of page %d (cursor %q) was already listed", pages, text.Clip(cursor, 64))
				return
			}
			if _, dup := seen[next]; dup || next == cursor {
				fail("server repeated page %q after page %q", text.Clip(next, 64), text.Clip(cursor, 64))
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}

package facade

import (
	"context"
	"fmt"
	"iter"
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
//     [*Error] of kind [ErrTransport] matching context.Canceled or
//     context.DeadlineExceeded) is yielded once and iteration stops;
//   - an error from fetch is yielded exactly once, with a zero T, and
//     iteration stops (items returned along with the error are dropped);
//   - no fetch happens after a page whose next is "";
//   - nothing more is fetched once the consumer stops (breaks);
//   - a server that returns a next cursor equal to the current one or to
//     any earlier one gets an [*Error] of kind [ErrUnexpectedResponse]
//     ("server repeated page ...") yielded once, instead of looping forever.
//
// The sequence is single-use in spirit but may be ranged over again; each
// range starts a fresh pagination.
//
// Paginate's own errors (context done, repeated page) carry Operation
// "Paginate" and no Provider; adapters use [PaginateFor], which labels every
// error with their provider and operation.
func Paginate[T any](ctx context.Context, fetch PageFunc[T]) iter.Seq2[T, error] {
	return paginate(ctx, fetch, func(err error) error { return err }, func(e *Error) error {
		e.Operation = "Paginate"
		return e
	})
}

// PaginateFor is [Paginate] for operation op of an adapter using c: every
// error the sequence yields is an [*Error] with c's provider and Operation
// op. Paginate's own errors (context done, repeated page) are built that
// way, and errors from fetch go through [Core.Wrap], so an adapter needs no
// relabelling loop around the sequence:
//
//	return facade.PaginateFor(ctx, c.core, op, func(ctx context.Context, cursor string) ([]Zone, string, error) {
//		...
//	})
//
// All guarantees of Paginate hold. c must not be nil.
func PaginateFor[T any](ctx context.Context, c *Core, op string, fetch PageFunc[T]) iter.Seq2[T, error] {
	return paginate(ctx, fetch, func(err error) error { return c.Wrap(op, err) }, func(e *Error) error {
		e.Provider, e.Operation = c.provider, op
		return e
	})
}

// paginate implements Paginate and PaginateFor: wrap relabels errors from
// fetch, label its own errors.
func paginate[T any](ctx context.Context, fetch PageFunc[T], wrap func(error) error, label func(*Error) error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]struct{}{"": {}}
		cursor := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, label(transportError("", "", err, err)))
				return
			}
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, wrap(err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			if _, dup := seen[next]; dup || next == cursor {
				yield(zero, label(&Error{kind: ErrUnexpectedResponse,
					Messages: []string{fmt.Sprintf("server repeated page %q after page %q", clip(next, 64), clip(cursor, 64))}}))
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
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

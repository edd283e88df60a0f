package core

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"testing"

	. "github.com/secondarydns/secondarydns-go/facade"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ctxKey struct{}

// pager serves pages of ints keyed by cursor and records every fetch.
type pager struct {
	mu      sync.Mutex
	pages   map[string][]int
	next    map[string]string
	errAt   string
	fetches []string
	ctxOK   []bool
}

func (p *pager) fetch(ctx context.Context, cursor string) ([]int, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fetches = append(p.fetches, cursor)
	p.ctxOK = append(p.ctxOK, ctx.Value(ctxKey{}) == "caller")
	if cursor == p.errAt && p.errAt != "none" {
		return []int{-1}, "x", errors.New("boom at " + cursor)
	}
	return p.pages[cursor], p.next[cursor], nil
}

func threePages() *pager {
	return &pager{
		pages: map[string][]int{"": {1, 2}, "2": {3, 4}, "3": {5}},
		next:  map[string]string{"": "2", "2": "3", "3": ""},
		errAt: "none",
	}
}

func TestPaginate(t *testing.T) {
	t.Parallel()
	ctx := context.WithValue(t.Context(), ctxKey{}, "caller")

	t.Run("all pages, ctx passed, no fetch after last", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		got, err := Collect(Paginate(ctx, p.fetch))
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
		assert.Equal(t, []string{"", "2", "3"}, p.fetches)
		assert.Equal(t, []bool{true, true, true}, p.ctxOK)
	})

	t.Run("empty first page", func(t *testing.T) {
		t.Parallel()
		p := &pager{errAt: "none"}
		got, err := Collect(Paginate(ctx, p.fetch))
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Equal(t, []string{""}, p.fetches)
	})

	t.Run("error yielded once then stop", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		p.errAt = "2"
		var items []int
		var errs []error
		for v, err := range Paginate(ctx, p.fetch) {
			if err != nil {
				errs = append(errs, err)
				assert.Zero(t, v)
				continue // keep ranging: the sequence must end by itself
			}
			items = append(items, v)
		}
		assert.Equal(t, []int{1, 2}, items)
		require.Len(t, errs, 1)
		assert.EqualError(t, errs[0], "boom at 2")
		assert.Equal(t, []string{"", "2"}, p.fetches)
	})

	t.Run("consumer breaks early", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		n := 0
		for v, err := range Paginate(ctx, p.fetch) {
			require.NoError(t, err)
			n++
			if v == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)
		assert.Equal(t, []string{"", "2"}, p.fetches)
	})

	t.Run("break on first page", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		for range Paginate(ctx, p.fetch) {
			break
		}
		assert.Equal(t, []string{""}, p.fetches)
	})

	for _, tt := range []struct {
		name string
		next map[string]string
		want []string
	}{
		{name: "next equals current", next: map[string]string{"": "2", "2": "2"}, want: []string{"", "2"}},
		{name: "next equals earlier", next: map[string]string{"": "2", "2": "3", "3": "2"}, want: []string{"", "2", "3"}},
	} {
		t.Run("repeated page guard: "+tt.name, func(t *testing.T) {
			t.Parallel()
			p := threePages()
			p.next = tt.next
			var errs []error
			for _, err := range Paginate(ctx, p.fetch) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
			assert.Contains(t, errs[0].Error(), "server repeated page")
			assert.Equal(t, tt.want, p.fetches)
		})
	}

	t.Run("cancelled before first page", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		got, err := Collect(Paginate(cctx, p.fetch))
		assert.Empty(t, got)
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, ErrTransport)
		assert.Empty(t, p.fetches)
	})

	t.Run("cancelled between pages", func(t *testing.T) {
		t.Parallel()
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var fetched []string
		seq := Paginate(cctx, func(ctx context.Context, cursor string) ([]int, string, error) {
			fetched = append(fetched, cursor)
			n, _ := strconv.Atoi(cursor)
			return []int{n}, fmt.Sprint(n + 1), nil
		})
		var errs []error
		for v, err := range seq {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if v == 2 {
				cancel()
			}
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], context.Canceled)
		assert.Equal(t, []string{"", "1", "2"}, fetched)
	})

	t.Run("sequence can be ranged twice", func(t *testing.T) {
		t.Parallel()
		p := threePages()
		seq := Paginate(ctx, p.fetch)
		a, err := Collect(seq)
		require.NoError(t, err)
		b, err := Collect(seq)
		require.NoError(t, err)
		assert.Equal(t, a, b)
	})
}

// TestPaginateBounded (issue 10, class 4): whatever cursors the server
// makes the client compute, a listing ends: a page of nothing new is a
// repeated page, repeated items are yielded once, and the page and item
// limits (WithListLimits, defaults otherwise) end an endless listing with
// ErrUnexpectedResponse naming the limit.
func TestPaginateBounded(t *testing.T) {
	t.Parallel()
	key := func(v int) string { return strconv.Itoa(v) }
	// endless computes the next cursor itself (page number + 1), as the
	// adapters do for DNSimple and Cloudflare page numbers and IONOS
	// offsets; items makes page n's items.
	endless := func(items func(n int) []int) (PageFunc[int], *int) {
		fetched := new(int)
		return func(_ context.Context, cursor string) ([]int, string, error) {
			n, _ := strconv.Atoi(cursor)
			*fetched++
			return items(n), strconv.Itoa(n + 1), nil
		}, fetched
	}
	newCore := func(t *testing.T, opts ...Option) *Core {
		c, err := NewCore(testProvider(ProviderIONOS), "t", "https://api.example", opts...)
		require.NoError(t, err)
		return c
	}
	tests := []struct {
		name      string
		opts      []Option
		items     func(n int) []int
		want      []int // the items yielded before the error
		wantErr   string
		maxFetchs int
	}{
		{name: "same page again", items: func(int) []int { return []int{1, 2, 3} },
			want: []int{1, 2, 3}, wantErr: "server repeated page", maxFetchs: 2},
		{name: "pages cycling", items: func(n int) []int { return []int{n % 2 * 10, n%2*10 + 1} },
			want: []int{0, 1, 10, 11}, wantErr: "server repeated page", maxFetchs: 3},
		{name: "one shifted item dropped", opts: []Option{WithListLimits(ListLimits{MaxPages: 3})},
			items: func(n int) []int { return []int{2 * n, 2*n + 1, 2*n + 2} },
			want:  []int{0, 1, 2, 3, 4, 5, 6}, wantErr: "after 3 pages", maxFetchs: 3},
		{name: "page limit", opts: []Option{WithListLimits(ListLimits{MaxPages: 5})},
			items: func(n int) []int { return []int{n} }, want: []int{0, 1, 2, 3, 4}, wantErr: "after 5 pages", maxFetchs: 5},
		{name: "item limit", opts: []Option{WithListLimits(ListLimits{MaxItems: 7})},
			items: func(n int) []int { return []int{3 * n, 3*n + 1, 3*n + 2} }, want: []int{0, 1, 2, 3, 4, 5, 6}, wantErr: "after 7 items", maxFetchs: 3},
		{name: "default page limit", items: func(n int) []int { return nil }, wantErr: "after 10000 pages", maxFetchs: DefaultMaxListPages},
	}
	// Every case holds for string keys (PaginateUnique) and integer keys
	// (PaginateUniqueInt) alike.
	unique := map[string]func(*Core, PageFunc[int]) iter.Seq2[int, error]{
		"string keys": func(c *Core, fetch PageFunc[int]) iter.Seq2[int, error] {
			return PaginateUnique(t.Context(), c, "ListZones", key, fetch)
		},
		"integer keys": func(c *Core, fetch PageFunc[int]) iter.Seq2[int, error] {
			return PaginateUniqueInt(t.Context(), c, "ListZones", func(v int) int64 { return int64(v) }, fetch)
		},
	}
	for _, tt := range tests {
		for kind, list := range unique {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				c := newCore(t, tt.opts...)
				fetch, fetched := endless(tt.items)
				got, err := Collect(list(c, fetch))
				require.ErrorIs(t, err, ErrUnexpectedResponse)
				assert.NotErrorIs(t, err, ErrNotFound)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "ionos: ListZones: ")
				assert.Equal(t, tt.want, got)
				assert.LessOrEqual(t, *fetched, tt.maxFetchs)
			})
		}
	}

	// Without a key (PaginateFor, Paginate) the limits still hold.
	fetch, fetched := endless(func(n int) []int { return []int{n} })
	_, err := Collect(PaginateFor(t.Context(), newCore(t, WithListLimits(ListLimits{MaxPages: 4})), "ListZones", fetch))
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Equal(t, 4, *fetched)
	fetch, _ = endless(func(n int) []int { return []int{n, n} })
	got, err := Collect(Paginate(t.Context(), fetch))
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Equal(t, 2*DefaultMaxListPages, len(got), "Paginate stops at the default page limit")
	assert.Contains(t, err.Error(), "Paginate: ")

	// A consumer that stops early fetches no more.
	fetch, fetched = endless(func(n int) []int { return []int{n} })
	for range PaginateUnique(t.Context(), newCore(t), "ListZones", key, fetch) {
		break
	}
	assert.Equal(t, 1, *fetched)
}

func TestWithListLimits(t *testing.T) {
	t.Parallel()
	for _, l := range []ListLimits{{MaxPages: -1}, {MaxItems: -1}} {
		_, err := NewCore(testProvider(ProviderIONOS), "t", "https://api.example", WithListLimits(l))
		require.ErrorIs(t, err, ErrInvalidInput, "%+v", l)
	}
	c, err := NewCore(testProvider(ProviderIONOS), "t", "https://api.example", WithListLimits(ListLimits{MaxItems: 5}))
	require.NoError(t, err)
	assert.Equal(t, ListLimits{MaxPages: DefaultMaxListPages, MaxItems: 5}, c.limits)
}

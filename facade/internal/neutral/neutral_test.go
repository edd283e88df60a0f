package neutral

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
)

type obj struct {
	id  int
	key string
}

func newCore(t *testing.T) *core.Core {
	c, err := core.NewCore(core.Provider{Name: "test"}, "tok", "https://example.invalid")
	require.NoError(t, err)
	return c
}

func newObjects() *Objects[obj] {
	return NewObjects(func(o obj) string { return strconv.Itoa(o.id) }, func(a, b obj) bool { return a.id < b.id })
}

func lister(items []obj, calls *atomic.Int32) Lister[obj] {
	return func(context.Context) iter.Seq2[obj, error] {
		calls.Add(1)
		return func(yield func(obj, error) bool) {
			for _, o := range items {
				if !yield(o, nil) {
					return
				}
			}
		}
	}
}

func TestObjectsEnsure(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	tests := []struct {
		name        string
		listed      []obj
		key         string
		wantID      int
		wantCreated bool
	}{
		{"listed, lowest ID wins", []obj{{3, "a"}, {2, "a"}, {1, "b"}}, "a", 2, false},
		{"missing: created", []obj{{1, "b"}}, "a", 100, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := newObjects()
			var lists atomic.Int32
			create := func(context.Context) (obj, error) { return obj{100, tc.key}, nil }
			match := func(v obj) bool { return v.key == tc.key }
			h, err := o.Ensure(t.Context(), c, "op", lister(tc.listed, &lists), match, create)
			require.NoError(t, err)
			assert.Equal(t, tc.wantID, h.Obj.id)
			assert.Equal(t, tc.wantCreated, h.Created)
			// A second call finds it in the cache, without listing again.
			h2, err := o.Ensure(t.Context(), c, "op", lister(tc.listed, &lists), match, create)
			require.NoError(t, err)
			assert.Equal(t, tc.wantID, h2.Obj.id)
			assert.True(t, h2.Cached)
			assert.Equal(t, int32(1), lists.Load(), "listings")
			o.Release(h, h2)
		})
	}
}

// Concurrent calls needing the same missing object create it once.
func TestObjectsEnsureCreatesOnce(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	o := newObjects()
	var lists, creates atomic.Int32
	var wg sync.WaitGroup
	ids := make([]int, 16)
	for i := range ids {
		wg.Go(func() {
			h, err := o.Ensure(t.Context(), c, "op", lister(nil, &lists), func(v obj) bool { return v.key == "a" },
				func(context.Context) (obj, error) { return obj{int(creates.Add(1)), "a"}, nil })
			assert.NoError(t, err)
			ids[i] = h.Obj.id
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), creates.Load(), "creations")
	assert.Equal(t, int32(1), lists.Load(), "listings")
	for _, id := range ids {
		assert.Equal(t, 1, id)
	}
}

// A rollback cannot claim an object another call holds; once claimed, the
// object can no longer be pinned nor found.
func TestObjectsClaim(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	o := newObjects()
	var lists atomic.Int32
	match := func(v obj) bool { return v.key == "a" }
	create := func(context.Context) (obj, error) { return obj{7, "a"}, nil }
	mine, err := o.Ensure(t.Context(), c, "op", lister(nil, &lists), match, create)
	require.NoError(t, err)
	require.True(t, mine.Created)
	theirs, err := o.Ensure(t.Context(), c, "op", lister(nil, &lists), match, create)
	require.NoError(t, err)
	assert.False(t, o.Claim("7", Pins(o, []Handle[obj]{mine}, "7")), "claimed while another call holds it")
	o.Release(theirs)
	require.True(t, o.Claim("7", 1))
	_, ok := o.Pin(obj{7, "a"})
	assert.False(t, ok, "pinned a claimed object")
	_, found, err := o.Find(t.Context(), c, "op", lister(nil, &lists), match)
	require.NoError(t, err)
	assert.False(t, found, "found a claimed object")
	o.Settle("7")
	o.Release(mine)
	_, ok = o.Pin(obj{7, "a"})
	assert.True(t, ok)
}

func TestObjectsInvalidate(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	o := newObjects()
	var lists atomic.Int32
	_, _, err := o.Find(t.Context(), c, "op", lister([]obj{{1, "a"}}, &lists), func(obj) bool { return true })
	require.NoError(t, err)
	o.Invalidate()
	v, found, err := o.Find(t.Context(), c, "op", lister([]obj{{2, "a"}}, &lists), func(obj) bool { return true })
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, 2, v.id, "the listing after Invalidate replaced the cache")
	assert.Equal(t, int32(2), lists.Load())
}

func TestObjectsListingErrorAndContext(t *testing.T) {
	t.Parallel()
	c := newCore(t)
	o := newObjects()
	boom := errors.New("boom")
	failing := func(context.Context) iter.Seq2[obj, error] {
		return func(yield func(obj, error) bool) { yield(obj{}, boom) }
	}
	_, err := o.Ensure(t.Context(), c, "op", failing, func(obj) bool { return true }, nil)
	require.ErrorIs(t, err, boom)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = o.Ensure(ctx, c, "op", failing, func(obj) bool { return true }, nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestIDsBounded(t *testing.T) {
	t.Parallel()
	ids := NewIDs[string](3)
	for i := range 10 {
		ids.Put(strconv.Itoa(i), "id"+strconv.Itoa(i))
		assert.LessOrEqual(t, ids.Len(), 3)
	}
	v, ok := ids.Get("9")
	assert.True(t, ok)
	assert.Equal(t, "id9", v)
	ids.Forget("9")
	_, ok = ids.Get("9")
	assert.False(t, ok)
}

func TestStale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"404", httpErr(404, facade.ErrNotFound, false), true},
		{"404 after a lost attempt", httpErr(404, facade.ErrNotFound, true), false},
		{"409", httpErr(409, facade.ErrConflict, false), false},
		{"transport", facade.NewError(facade.ErrTransport, errors.New("reset")), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Stale(tc.err))
		})
	}
}

func httpErr(status int, kind error, prior bool) error {
	e := facade.NewError(kind, nil)
	e.StatusCode, e.PriorAttemptUnknown = status, prior
	return e
}

// Package neutral holds the parts the three adapters share in
// implementing facade.SecondaryDNS: the per-client caches of account
// objects and zone IDs, and the generic shapes of the neutral methods, so
// that each adapter only maps between its provider's types and the neutral
// ones.
package neutral

import (
	"context"
	"iter"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade/internal/core"
)

// Objects caches one kind of a client's account-wide objects (Cloudflare
// peers or TSIG keys, DNSimple primary servers) so that creating a zone
// need not list them every time.
//
// The cache is filled by one listing, the first time it is needed, and
// kept up to date by the client's own creations and deletions. It may go
// stale through other clients (or the client's typed methods) deleting an
// object: the adapter then invalidates it (see [Objects.Invalidate]) when
// the provider refuses a request naming a cached object, re-lists and
// retries once. An object the cache does not know (created by someone else
// since the listing) costs at worst a duplicate of an interchangeable
// account object, never a wrong zone.
//
// Creating a missing object is serialised (one at a time per cache), so
// that concurrent calls needing the same new object create it once; finding
// an object in the cache takes no lock held across I/O. Objects handed out
// by [Objects.Ensure] or [Objects.Pin] are pinned until released, and a
// call rolling back an object deletes it only after claiming it
// ([Objects.Claim]), which fails while another call of the client holds it
// pinned and, once done, makes further pins fail until [Objects.Settle]:
// a rollback never deletes an object another call of the same client is
// using.
//
// Memory is bounded by the provider listing's limits (see
// facade.WithListLimits): the cache holds at most one listing plus the
// objects this client created since. Objects is safe for concurrent use.
type Objects[T any] struct {
	id   func(T) string
	less func(a, b T) bool

	gate *core.Lock // held while listing or creating

	mu     sync.Mutex
	items  map[string]T // nil: not loaded
	pins   map[string]int
	doomed map[string]bool // claimed for deletion
}

// NewObjects returns an empty cache of objects identified by id; when
// several cached objects match a request, the least by less is used (for
// determinism, e.g. the lowest ID).
func NewObjects[T any](id func(T) string, less func(a, b T) bool) *Objects[T] {
	return &Objects[T]{id: id, less: less, gate: core.NewLock(), pins: map[string]int{}, doomed: map[string]bool{}}
}

// Lister lists every object of the kind, e.g. a paginated listing.
type Lister[T any] func(ctx context.Context) iter.Seq2[T, error]

// Handle is an object [Objects.Ensure] handed out; release it with
// [Objects.Release] when the call using it is done.
type Handle[T any] struct {
	// Obj is the object.
	Obj T
	// Created: this call created it (and may roll it back).
	Created bool
	// Cached: it came from the cache (and may be stale).
	Cached bool
}

// best returns the least cached object matching match. mu must be held.
func (o *Objects[T]) best(match func(T) bool) (T, bool) {
	var (
		out   T
		found bool
	)
	for id, v := range o.items {
		if match(v) && !o.doomed[id] && (!found || o.less(v, out)) {
			out, found = v, true
		}
	}
	return out, found
}

// lookup returns the best match and pins it, or reports that the cache is
// not loaded.
func (o *Objects[T]) lookup(match func(T) bool) (h Handle[T], found, loaded bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.items == nil {
		return h, false, false
	}
	v, ok := o.best(match)
	if ok {
		o.pins[o.id(v)]++
	}
	return Handle[T]{Obj: v, Cached: true}, ok, true
}

// load fills the cache with list unless it is loaded. The gate must be
// held.
func (o *Objects[T]) load(ctx context.Context, list Lister[T]) error {
	o.mu.Lock()
	loaded := o.items != nil
	o.mu.Unlock()
	if loaded {
		return nil
	}
	items := map[string]T{}
	for v, err := range list(ctx) {
		if err != nil {
			return err
		}
		items[o.id(v)] = v
	}
	o.mu.Lock()
	if o.items == nil {
		o.items = items
	}
	o.mu.Unlock()
	return nil
}

// Ensure returns the cached object matching match (listing the objects
// first if the cache is not loaded), or creates one with create, which
// runs alone (no other creation or listing of this cache runs meanwhile)
// after a last look at the cache. The object is pinned: pass it to
// [Objects.Release] when done. c and op label a wait ended by ctx.
func (o *Objects[T]) Ensure(ctx context.Context, c *core.Core, op string, list Lister[T], match func(T) bool, create func(ctx context.Context) (T, error)) (Handle[T], error) {
	if h, found, _ := o.lookup(match); found {
		return h, nil
	}
	if err := o.gate.Lock(ctx, c, op); err != nil {
		return Handle[T]{}, err
	}
	defer o.gate.Unlock()
	if err := o.load(ctx, list); err != nil {
		return Handle[T]{}, err
	}
	if h, found, _ := o.lookup(match); found {
		return h, nil
	}
	v, err := create(ctx)
	if err != nil {
		return Handle[T]{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.items != nil {
		o.items[o.id(v)] = v
	}
	o.pins[o.id(v)]++
	return Handle[T]{Obj: v, Created: true}, nil
}

// Find returns the cached object matching match, listing the objects first
// if the cache is not loaded; ok is false if none matches. Nothing is
// pinned.
func (o *Objects[T]) Find(ctx context.Context, c *core.Core, op string, list Lister[T], match func(T) bool) (v T, ok bool, err error) {
	if err := o.gate.Lock(ctx, c, op); err != nil {
		return v, false, err
	}
	err = o.load(ctx, list)
	o.gate.Unlock()
	if err != nil {
		return v, false, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok = o.best(match)
	return v, ok, nil
}

// Release unpins the objects of hs.
func (o *Objects[T]) Release(hs ...Handle[T]) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, h := range hs {
		id := o.id(h.Obj)
		if o.pins[id]--; o.pins[id] <= 0 {
			delete(o.pins, id)
		}
	}
}

// Pin pins v, an object the caller found outside the cache (e.g. in a
// fresh listing) and is about to use, and returns its handle; ok is false
// if a rollback has claimed it for deletion (treat it as absent).
func (o *Objects[T]) Pin(v T) (h Handle[T], ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := o.id(v)
	if o.doomed[id] {
		return h, false
	}
	o.pins[id]++
	return Handle[T]{Obj: v}, true
}

// Claim claims the object with the given id for deletion by a rollback
// that holds own pins on it: unless other calls hold it pinned too, it is
// removed from the cache, further pins fail, and Claim reports true; the
// caller then checks, with a fresh read, that nothing uses it (a call
// that pinned it before the claim may have finished since), deletes it and
// calls [Objects.Settle], or calls [Objects.Unclaim]. Otherwise the object
// is in use and must be kept.
func (o *Objects[T]) Claim(id string, own int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pins[id] > own || o.doomed[id] {
		return false
	}
	delete(o.items, id)
	o.doomed[id] = true
	return true
}

// Settle ends a claim: the object was deleted (or its deletion failed and
// it stays out of the cache until the next listing).
func (o *Objects[T]) Settle(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.doomed, id)
}

// Unclaim ends a claim on v without deleting it (it turned out to be in
// use, or its deletion failed): v is cached again and may be pinned.
func (o *Objects[T]) Unclaim(v T) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := o.id(v)
	delete(o.doomed, id)
	if o.items != nil {
		o.items[id] = v
	}
}

// Pins counts the handles among hs for the object with the given id.
func Pins[T any](o *Objects[T], hs []Handle[T], id string) int {
	n := 0
	for _, h := range hs {
		if o.id(h.Obj) == id {
			n++
		}
	}
	return n
}

// Forget removes the object with the given id from the cache (it was
// deleted).
func (o *Objects[T]) Forget(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.items, id)
}

// Invalidate empties the cache: the next lookup lists the objects again.
// Pins are kept.
func (o *Objects[T]) Invalidate() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.items = nil
}

// Snapshot returns the cached objects (listing them first if the cache is
// not loaded), in no particular order.
func (o *Objects[T]) Snapshot(ctx context.Context, c *core.Core, op string, list Lister[T]) ([]T, error) {
	if err := o.gate.Lock(ctx, c, op); err != nil {
		return nil, err
	}
	err := o.load(ctx, list)
	o.gate.Unlock()
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]T, 0, len(o.items))
	for _, v := range o.items {
		out = append(out, v)
	}
	return out, nil
}

// Exclusively runs f with the IDs of the cached objects (listing them
// first if the cache is not loaded) while no creation or listing of this
// cache runs, so that f (e.g. deleting objects the cache does not know
// after a creation whose outcome is unknown) cannot mistake an object
// another call of the client is creating meanwhile for a stray one. It
// returns the listing's error or ctx's, without calling f.
func (o *Objects[T]) Exclusively(ctx context.Context, c *core.Core, op string, list Lister[T], f func(known map[string]bool)) error {
	if err := o.gate.Lock(ctx, c, op); err != nil {
		return err
	}
	defer o.gate.Unlock()
	if err := o.load(ctx, list); err != nil {
		return err
	}
	o.mu.Lock()
	known := make(map[string]bool, len(o.items))
	for id := range o.items {
		known[id] = true
	}
	o.mu.Unlock()
	f(known)
	return nil
}

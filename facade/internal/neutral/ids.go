package neutral

import "sync"

// DefaultIDsCap bounds an [IDs] cache: beyond it, an arbitrary entry is
// dropped for each new one (a dropped entry costs one lookup later).
const DefaultIDsCap = 1 << 17

// IDs remembers, per zone name, what a client last learnt about the zone
// from a server answer that named it (a listing, a creation, a read), so
// that a method addressing the zone by name can act by ID without a lookup
// first. V holds the ID (and whatever else the adapter needs to act).
//
// An entry is a hint, never trusted alone: the adapter acts on the ID only
// where the provider identifies zones by IDs it never reuses, and only
// with requests that fail on an absent ID (not an upsert, which would
// re-create a zone deleted since); it checks the name in every answer that
// carries one; and on a not-found answer it forgets the entry and looks
// the zone up afresh (see [ByName]). The cache is bounded (cap entries)
// and safe for concurrent use.
type IDs[V any] struct {
	mu  sync.Mutex
	m   map[string]V
	cap int
}

// NewIDs returns an empty cache holding at most capacity entries
// ([DefaultIDsCap] if capacity <= 0).
func NewIDs[V any](capacity int) *IDs[V] {
	if capacity <= 0 {
		capacity = DefaultIDsCap
	}
	return &IDs[V]{m: map[string]V{}, cap: capacity}
}

// Get returns the entry for name.
func (c *IDs[V]) Get(name string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[name]
	return v, ok
}

// Put records v for name.
func (c *IDs[V]) Put(name string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[name]; !ok && len(c.m) >= c.cap {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[name] = v
}

// Forget drops the entry for name.
func (c *IDs[V]) Forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, name)
}

// Len returns the number of entries.
func (c *IDs[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

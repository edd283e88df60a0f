package verify_test

import (
	"context"
	"iter"
	"net/netip"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade"
)

// memProvider is an in-memory facade.SecondaryDNS: zones by name, and an
// error to return for chosen zones. Only the reading methods are used by
// verify; the others fail.
type memProvider struct {
	name string
	mu   sync.Mutex
	// zones and status by zone name.
	zones  map[string]facade.Zone
	status map[string]facade.TransferStatus
	// fail makes GetZone fail for the zone with this error.
	fail map[string]error
	// calls counts the API calls.
	calls int
}

func newMemProvider(name string) *memProvider {
	return &memProvider{name: name, zones: map[string]facade.Zone{}, status: map[string]facade.TransferStatus{}, fail: map[string]error{}}
}

func (m *memProvider) add(z facade.Zone, st facade.TransferStatus) {
	m.mu.Lock()
	defer m.mu.Unlock()
	z.Provider = m.name
	m.zones[z.Name] = z
	st.Zone = z.Name
	m.status[z.Name] = st
}

func (m *memProvider) Provider() string { return m.name }

func (m *memProvider) Capabilities() facade.Capabilities { return facade.Capabilities{} }

func (m *memProvider) ListZones(context.Context) iter.Seq2[facade.Zone, error] {
	return func(yield func(facade.Zone, error) bool) {}
}

func (m *memProvider) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if err := ctx.Err(); err != nil {
		return facade.Zone{}, err
	}
	if err := m.fail[name]; err != nil {
		return facade.Zone{}, err
	}
	z, ok := m.zones[name]
	if !ok {
		return facade.Zone{}, &facade.Error{Provider: m.name, Operation: "GetZone", StatusCode: 404, Messages: []string{"no such zone"}}
	}
	return z, nil
}

func (m *memProvider) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	return m.status[name], ctx.Err()
}

func (m *memProvider) CreateZone(context.Context, string, []facade.Primary, ...facade.CreateOption) (facade.Zone, error) {
	return facade.Zone{}, facade.ErrInvalidInput
}

func (m *memProvider) SetPrimaries(context.Context, string, []facade.Primary) (facade.Zone, error) {
	return facade.Zone{}, facade.ErrInvalidInput
}

func (m *memProvider) DeleteZone(context.Context, string) error { return facade.ErrInvalidInput }

func (m *memProvider) Transfer(context.Context, string) error { return facade.ErrInvalidInput }

func addrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

package primaryconf_test

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/test/knotd"
)

// notifyRegistry has one provider that transfers from 127.0.0.5 and takes
// NOTIFY at 127.0.0.5 on port.
func notifyRegistry(t *testing.T, port uint16) *primaryconf.Registry {
	t.Helper()
	src := `{"url": "https://example.org/notified", "checked": "2026-12-01", "confirmed": true}`
	reg, err := primaryconf.Parse([]byte(fmt.Sprintf(`{"schema": 1, "providers": [{"name": "notified", "title": "Notified",
  "transfer_sources": [{"prefixes": ["127.0.0.5/32"], "source": %[1]s}],
  "notify_targets": [{"prefixes": ["127.0.0.5/32"], "source": %[1]s}],
  "notify_port": {"value": "%[2]d", "source": %[1]s},
  "primary_port": {"value": "any", "source": %[1]s},
  "tsig": {"value": "no", "source": %[1]s},
  "dnssec": {"value": "no", "source": %[1]s}}]}`, src, port)))
	require.NoError(t, err)
	return reg
}

// notifications hands out the NOTIFYs a dnswire server receives, by zone.
type notifications struct {
	mu sync.Mutex
	ch map[string]chan dnswire.Notification
}

func (n *notifications) zone(z string) chan dnswire.Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	z = strings.TrimSuffix(z, ".") + "."
	if n.ch[z] == nil {
		n.ch[z] = make(chan dnswire.Notification, 16)
	}
	return n.ch[z]
}

// TestServersSendNotifyAsGenerated starts each server with the generated
// configuration for a provider whose NOTIFY target is a dnswire server on
// 127.0.0.5 and a non-default port, and waits for the NOTIFY it sends for
// the zone it loaded.
func TestServersSendNotifyAsGenerated(t *testing.T) {
	t.Parallel()
	got := &notifications{ch: map[string]chan dnswire.Notification{}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := dnswire.Listen(ctx, dnswire.WithListenAddr("127.0.0.5:0"), dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
		select {
		case got.zone(n.Zone) <- n:
		default:
		}
		return nil
	}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	reg := notifyRegistry(t, netip.MustParseAddrPort(srv.Addr()).Port())

	for _, s := range starters(startKnotWithZones) {
		t.Run(string(s.kind), func(t *testing.T) {
			t.Parallel()
			zone := string(s.kind) + ".notify-test.example"
			s.start(t, reg, primaryconf.Request{Providers: []string{"notified"}, Zones: []string{zone}, Date: day("2026-12-01")})
			deadline := time.NewTimer(2 * time.Minute) // only against a hang: the test waits for the NOTIFY
			defer deadline.Stop()
			select {
			case n := <-got.zone(zone):
				if n.HasSerial { // the serial hint is optional (PowerDNS sends none)
					assert.Equal(t, uint32(2026120101), n.Serial)
				}
				assert.Equal(t, "127.0.0.1", n.From.Addr().String())
				t.Logf("%s sent NOTIFY for %s (serial hint %v %d) to %s", s.kind, n.Zone, n.HasSerial, n.Serial, srv.Addr())
			case <-deadline.C:
				t.Fatalf("%s sent no NOTIFY for %s to %s", s.kind, zone, srv.Addr())
			}
		})
	}
}

// startKnotWithZones starts Knot through the harness with the whole
// generated configuration, zone stanzas included (zone files in a test
// directory); it returns the port.
func startKnotWithZones(t *testing.T, reg *primaryconf.Registry, req primaryconf.Request) int {
	t.Helper()
	dir := t.TempDir()
	req.ZoneFile = filepath.Join(dir, "%s.zone")
	for _, z := range req.Zones {
		writeZone(t, dir, z)
	}
	c, err := reg.Build(req)
	require.NoError(t, err)
	generated, err := c.Render(primaryconf.Knot)
	require.NoError(t, err)
	k := knotd.Start(t, knotd.WithConfig(string(generated)), knotd.WithoutDefaultACL())
	ap, err := netip.ParseAddrPort(k.Addr)
	require.NoError(t, err)
	return int(ap.Port())
}

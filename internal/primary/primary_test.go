package primary_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
)

var key = facade.TSIG{Name: "xfr.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}

func TestPrimary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []primary.Option
		xfr  []dnswire.Option
	}{
		{name: "unsigned"},
		{name: "tsig", opts: []primary.Option{primary.WithTSIG(key)}, xfr: []dnswire.Option{dnswire.WithTSIG(key)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := primary.Start(t.Context(), tt.opts...)
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, p.Close()) })
			_, err = p.SetZone("example.com", primary.ExampleZone("example.com", 2026120101))
			require.NoError(t, err)

			got := make(chan dnswire.Notification, 4)
			sec, err := dnswire.Listen(t.Context(), dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
				got <- n
				return nil
			}))
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, sec.Close()) })
			p.AddNotifyTarget("example.com", sec.Addr())

			z, err := dnswire.Transfer(t.Context(), p.Addr(), "example.com", tt.xfr...)
			require.NoError(t, err)
			assert.Equal(t, uint32(2026120101), z.Serial())

			serial, res, err := p.Update(context.Background(), "example.com", append(z.Records()[1:], dnswire.Record{Name: "new.example.com.", TTL: 60, Type: "A", Data: "192.0.2.7"}))
			require.NoError(t, err)
			assert.Equal(t, uint32(2026120102), serial)
			require.Len(t, res, 1)
			require.NoError(t, res[0].Err)
			n := <-got
			assert.Equal(t, serial, n.Serial)

			z, err = dnswire.Transfer(t.Context(), p.Addr(), "example.com", tt.xfr...)
			require.NoError(t, err)
			assert.Equal(t, serial, z.Serial())
			assert.Contains(t, z.String(), "new.example.com.")

			serial, _, err = p.Bump(t.Context(), "example.com")
			require.NoError(t, err)
			assert.Equal(t, uint32(2026120103), serial)
			_, _, err = p.Bump(t.Context(), "example.org")
			require.Error(t, err)
		})
	}
}

package core

import (
	"context"
	"errors"
	"testing"
	"time"

	. "github.com/secondarydns/secondarydns-go/facade"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCorePoll(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name      string
		results   []bool // done per call
		failAt    int    // call number whose check fails (1-based), 0: none
		cancelAt  int    // cancel the context during the wait after this call
		wantCalls int
		wantWaits []time.Duration
		wantErr   error
	}{
		{name: "done at once", results: []bool{true}, wantCalls: 1},
		{name: "backoff doubles up to the cap", results: []bool{false, false, false, false, true}, wantCalls: 5,
			wantWaits: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 25 * time.Millisecond, 25 * time.Millisecond}},
		{name: "check error stops", results: []bool{false, false, false}, failAt: 2, wantCalls: 2,
			wantWaits: []time.Duration{10 * time.Millisecond}, wantErr: boom},
		{name: "cancelled while waiting", results: []bool{false, false, false}, cancelAt: 2, wantCalls: 2,
			wantWaits: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestCore(t, ProviderIONOS, "https://dns.example", WithPolling(10*time.Millisecond, 25*time.Millisecond))
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			calls := 0
			var waits []time.Duration
			c.wait = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				if len(waits) == tt.cancelAt {
					cancel()
				}
				return ctx.Err()
			}
			err := c.Poll(ctx, "WaitUntilAvailable", func(context.Context) (bool, error) {
				calls++
				if calls == tt.failAt {
					return false, boom
				}
				return tt.results[calls-1], nil
			})
			assert.Equal(t, tt.wantCalls, calls)
			assert.Equal(t, tt.wantWaits, waits)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			if errors.Is(tt.wantErr, context.Canceled) {
				var fe *Error
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, "WaitUntilAvailable", fe.Operation)
				assert.ErrorIs(t, err, ErrTransport)
			}
		})
	}
}

func TestWithPollingValidates(t *testing.T) {
	t.Parallel()
	for _, p := range [][2]time.Duration{{0, time.Second}, {time.Second, 0}, {2 * time.Second, time.Second}, {-1, time.Second}} {
		_, err := NewCore(testProvider(ProviderIONOS), "t", "https://dns.example", WithPolling(p[0], p[1]))
		require.ErrorIs(t, err, ErrInvalidInput, "%v", p)
	}
}

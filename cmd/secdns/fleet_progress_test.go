package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

func TestProgressBar(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		p    fleet.Progress
		now  time.Duration
		want string
	}{
		{fleet.Progress{Done: 0, Total: 10}, 0, "[>                             ] 0/10 0.0%, ETA ?"},
		{fleet.Progress{Done: 5, Total: 10}, 10 * time.Second, "[===============>              ] 5/10 50.0%, ETA 10s"},
		{fleet.Progress{Done: 250, Total: 10000, Failed: 3}, 5 * time.Minute, "[>                             ] 250/10000 (3 failed) 2.5%, ETA 3h15m0s"},
		{fleet.Progress{Done: 10, Total: 10}, time.Minute, "[==============================] 10/10 100.0%, ETA done"},
	}
	for _, tc := range tests {
		tc.p.Started = start
		assert.Equal(t, tc.want, bar(tc.p, start.Add(tc.now)))
	}
}

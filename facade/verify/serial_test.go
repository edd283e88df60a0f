package verify

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompareSerial(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b uint32
		want Order
		dist uint32
	}{
		{"equal", 2024010101, 2024010101, Equal, 0},
		{"older by one", 2024010100, 2024010101, Older, 1},
		{"newer by one", 2024010102, 2024010101, Newer, 1},
		{"wrapped past max is newer", 3, math.MaxUint32 - 1, Newer, 5},
		{"before the wrap is older", math.MaxUint32 - 1, 3, Older, 5},
		{"zero after max is newer", 0, math.MaxUint32, Newer, 1},
		{"largest forward step", 1<<31 - 1, 0, Newer, 1<<31 - 1},
		{"largest backward step", 0, 1<<31 - 1, Older, 1<<31 - 1},
		{"exactly half the space is undefined", 1 << 31, 0, Undefined, 1 << 31},
		{"undefined either way", 0, 1 << 31, Undefined, 1 << 31},
		{"one past half is older", 1<<31 + 1, 0, Older, 1<<31 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, dist := CompareSerial(tt.a, tt.b)
			assert.Equal(t, tt.want, got, "order")
			assert.Equal(t, tt.dist, dist, "distance")
		})
	}
}

func TestOrderString(t *testing.T) {
	t.Parallel()
	for o, s := range map[Order]string{Equal: "equal", Older: "older", Newer: "newer", Undefined: "undefined"} {
		assert.Equal(t, s, o.String())
	}
}

package verify

// Order is the result of comparing two SOA serials with RFC 1982 serial
// number arithmetic.
type Order int

// The outcomes of [CompareSerial].
const (
	// Equal: the serials are the same.
	Equal Order = iota
	// Older: the first serial is older than the second.
	Older
	// Newer: the first serial is newer than the second.
	Newer
	// Undefined: the serials are exactly 2^31 apart, where RFC 1982 leaves
	// the order undefined.
	Undefined
)

// String returns "equal", "older", "newer" or "undefined".
func (o Order) String() string {
	switch o {
	case Equal:
		return "equal"
	case Older:
		return "older"
	case Newer:
		return "newer"
	}
	return "undefined"
}

// CompareSerial compares serial a with serial b as RFC 1982 (section 3.2)
// defines for 32-bit serials: a is newer than b if it is ahead of b by
// less than 2^31 modulo 2^32, so a serial that wrapped past 2^32-1 to a
// small number is newer, not older. It also returns the distance: how many
// increments separate the older serial from the newer (0 when Equal, 2^31
// when Undefined).
func CompareSerial(a, b uint32) (Order, uint32) {
	d := a - b // modulo 2^32
	switch {
	case d == 0:
		return Equal, 0
	case d < 1<<31:
		return Newer, d
	case d > 1<<31:
		return Older, b - a
	}
	return Undefined, d
}

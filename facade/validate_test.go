package facade

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeZoneName(t *testing.T) {
	t.Parallel()
	label63 := strings.Repeat("a", 63)
	long := strings.Repeat(label63+".", 3) + strings.Repeat("b", 61) // 253 octets
	tests := []struct {
		in, want string
	}{
		{"example.com", "example.com"},
		{"Example.COM.", "example.com"},
		{"bücher.example", "xn--bcher-kva.example"},
		{"BÜCHER.example.", "xn--bcher-kva.example"},
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah"},
		{"a-b.c0.example", "a-b.c0.example"},
		{"123.example", "123.example"},
		{label63 + ".example", label63 + ".example"},
		{long, long},
		{long + ".", long},
		{"İstanbul.example", "xn--istanbul-o0e.example"}, // lower-casing İ gives i + U+0307, as UTS #46 maps it
		// IDNA mapping beyond case, the trailing dot and U-label to A-label
		// conversion would address another zone: refused (issue 10, class 13).
		{"ｅｘａｍｐｌｅ．ｃｏｍ", ""},                 // full-width letters and dot
		{"ex\u200bample.com", ""},           // zero-width space (ignored)
		{"exa\u00admple.com", ""},           // soft hyphen (ignored)
		{"ex\u200dample.com", ""},           // zero-width joiner
		{"e\ufe00xample.com", ""},           // variation selector (ignored)
		{"\u2060example.com", ""},           // word joiner
		{"example\u3002com", ""},            // ideographic full stop
		{"bu\u0308cher.example", ""},        // not NFC
		{"xn--bcher-kva.ex\u00adample", ""}, // mixed
		{"", ""},
		{".", ""},
		{"..", ""},
		{"com", ""},
		{"com.", ""},
		{".example.com", ""},
		{"example..com", ""},
		{"example.com..", ""},
		{" example.com", ""},
		{"exa mple.com", ""},
		{"example.com\n", ""},
		{"exa\tmple.com", ""},
		{"-example.com", ""},
		{"example-.com", ""},
		{"_acme.example.com", ""},
		{"exa_mple.com", ""},
		{"ex*ample.com", ""},
		{"example.com/x", ""},
		{label63 + "a.example", ""},
		{long + "b", ""},
		{strings.Repeat("a.", 200) + "com", ""},
		{"xn--zz.example", ""},
		{"\x00.com", ""},
		{"exa\xffmple.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeZoneName(tt.in)
			if tt.want == "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidInput)
				assert.Empty(t, got)
				assert.NotContains(t, err.Error(), "\n")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := NormalizeZoneName(got)
			require.NoError(t, err)
			assert.Equal(t, got, again, "idempotent")
		})
	}
}

func TestParseIP(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"2001:db8::1", "2001:db8::1"},
		{"2001:DB8::1", "2001:db8::1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"127.0.0.1", "127.0.0.1"},
		{"", ""},
		{"0.0.0.0", ""},
		{"::", ""},
		{"::ffff:0.0.0.0", ""},
		{"fe80::1%eth0", ""},
		{"192.0.2.1:53", ""},
		{"[2001:db8::1]", ""},
		{" 192.0.2.1", ""},
		{"192.0.2", ""},
		{"192.0.2.256", ""},
		{"example.com", ""},
		{"01.2.3.4", ""},
	}
	for _, tt := range tests {
		got, err := ParseIP(tt.in)
		if tt.want == "" {
			assert.ErrorIs(t, err, ErrInvalidInput, tt.in)
			assert.False(t, got.IsValid(), tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got.String())
	}
}

func TestValidatePort(t *testing.T) {
	t.Parallel()
	for _, p := range []int{1, 53, 5353, 65535} {
		assert.NoError(t, ValidatePort(p), p)
	}
	for _, p := range []int{-1, 0, 65536, 1 << 40} {
		assert.ErrorIs(t, ValidatePort(p), ErrInvalidInput, p)
	}
}

func TestParsePrimary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		addr   string
		port   uint16
		str    string
		reject bool
	}{
		{in: "192.0.2.1", addr: "192.0.2.1", str: "192.0.2.1"},
		{in: "192.0.2.1:5353", addr: "192.0.2.1", port: 5353, str: "192.0.2.1:5353"},
		{in: "2001:db8::1", addr: "2001:db8::1", str: "2001:db8::1"},
		{in: "[2001:db8::1]", addr: "2001:db8::1", str: "2001:db8::1"},
		{in: "[2001:db8::1]:53", addr: "2001:db8::1", port: 53, str: "[2001:db8::1]:53"},
		{in: "::ffff:192.0.2.1", addr: "192.0.2.1", str: "192.0.2.1"},
		{in: "[::ffff:192.0.2.1]:53", addr: "192.0.2.1", port: 53, str: "192.0.2.1:53"},
		{in: "", reject: true},
		{in: "192.0.2.1:0", reject: true},
		{in: "192.0.2.1:65536", reject: true},
		{in: "192.0.2.1:-1", reject: true},
		{in: "192.0.2.1:+53", reject: true},
		{in: "192.0.2.1:", reject: true},
		{in: "192.0.2.1:abc", reject: true},
		{in: "0.0.0.0:53", reject: true},
		{in: "[::]:53", reject: true},
		{in: "[fe80::1%eth0]:53", reject: true},
		{in: "fe80::1%eth0", reject: true},
		{in: "[192.0.2.1]", reject: true},
		{in: "[192.0.2.1]:53", reject: true},
		{in: "ns1.example.com:53", reject: true},
		{in: "ns1.example.com", reject: true},
		{in: "[2001:db8::1", reject: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePrimary(tt.in)
			if tt.reject {
				assert.ErrorIs(t, err, ErrInvalidInput)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, netip.MustParseAddr(tt.addr), p.Addr)
			assert.Equal(t, tt.port, p.Port)
			assert.Equal(t, tt.str, p.String())
			back, err := ParsePrimary(p.String())
			require.NoError(t, err)
			assert.Equal(t, p, back, "String round-trips")
		})
	}
	assert.Equal(t, uint16(53), Primary{}.PortOrDefault())
	assert.Equal(t, uint16(5353), Primary{Port: 5353}.PortOrDefault())
	assert.Equal(t, "invalid primary", Primary{}.String())
}

func TestValidatePrimaries(t *testing.T) {
	t.Parallel()
	a := netip.MustParseAddr("192.0.2.1")
	mapped := netip.MustParseAddr("::ffff:192.0.2.1")
	got, err := ValidatePrimaries([]Primary{{Addr: mapped, Port: 5353}, {Addr: netip.MustParseAddr("2001:db8::1")}})
	require.NoError(t, err)
	assert.Equal(t, a, got[0].Addr)

	for name, ps := range map[string][]Primary{
		"empty":             nil,
		"invalid addr":      {{}},
		"unspecified":       {{Addr: netip.IPv4Unspecified()}},
		"zone":              {{Addr: netip.MustParseAddr("fe80::1%eth0")}},
		"duplicate":         {{Addr: a}, {Addr: a, Port: 53}},
		"duplicate mapped":  {{Addr: a, Port: 5353}, {Addr: mapped, Port: 5353}},
		"second is invalid": {{Addr: a}, {}},
	} {
		_, err := ValidatePrimaries(ps)
		assert.ErrorIs(t, err, ErrInvalidInput, name)
	}
	_, err = ValidatePrimaries([]Primary{{Addr: a}, {Addr: a, Port: 5353}})
	assert.NoError(t, err, "same address on different ports is fine")
}

// TestCanonicalLDHAgreesWithIDNA checks the allocation-free fast path of
// NormalizeZoneName against the IDNA path it skips: for every name the fast
// path accepts, the IDNA path returns the same name.
func TestCanonicalLDHAgreesWithIDNA(t *testing.T) {
	t.Parallel()
	names := []string{
		"example.com", "a.b", "a-b.example", "0.example", "123.456", "x.y.z.example.org",
		strings.Repeat("a", 63) + ".example", "ab--cd.example", "xn--bcher-kva.example", "Example.com",
		"-a.example", "a-.example", "a_b.example", "example", strings.Repeat("a.", 127) + "a",
	}
	for _, n := range names {
		if !canonicalLDH(n) {
			continue
		}
		ascii, err := zoneProfile.ToASCII(n)
		require.NoError(t, err, n)
		assert.Equal(t, n, strings.ToLower(ascii), n)
	}
	assert.True(t, canonicalLDH("example.com"))
	assert.False(t, canonicalLDH("xn--bcher-kva.example"), "A-labels go through IDNA")
	assert.False(t, canonicalLDH("Example.com"), "upper case goes through IDNA")
}

// BenchmarkNormalizeZoneName: an already-normalised name, as providers
// report them for every listed zone, takes the allocation-free path.
func BenchmarkNormalizeZoneName(b *testing.B) {
	for _, name := range []string{"www.example.com", "WWW.Example.COM.", "bücher.example"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NormalizeZoneName(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package facade

// Fuzz targets for the validation a caller runs on untrusted input: zone
// names, IP addresses, primaries and their printed form. The decoders of
// what servers send (error bodies, responses, Retry-After) and identifier
// and port validation are fuzzed in facade/internal/core.
//
// Seed corpora live in testdata/fuzz/<FuzzName>/; without -fuzz the seeds
// run as ordinary tests. Run one target with e.g.
//
//	go test -run='^$' -fuzz='^FuzzNormalizeZoneName$' -fuzztime=30s ./facade
//
// or all of them with scripts/fuzz.sh. The properties only use the exported
// API, so that they keep holding across refactorings of the internals.

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzMaxInput bounds the inputs the targets look at, so that the fuzzer
// cannot spend its time (and memory) on huge values. Real error bodies are a
// few hundred bytes; Core caps real bodies at 8 MiB anyway.
const fuzzMaxInput = 1 << 20

// Documented bounds of a decoded *Error (see DecodeErrorBody).
const (
	fuzzMaxMessages     = 32
	fuzzMaxMessageBytes = 512
	fuzzMaxFields       = 64
	fuzzMaxRequestID    = 128
)

// checkInvalid asserts that err is a one-line ErrInvalidInput *Error from a
// validation function.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind() != ErrInvalidInput {
		t.Fatalf("got %T %v, want an ErrInvalidInput *Error", err, err)
	}
	if msg := e.Error(); strings.ContainsAny(msg, "\r\n\x00") || !utf8.ValidString(msg) {
		t.Fatalf("Error() is not single-line UTF-8: %q", msg)
	}
}

// FuzzNormalizeZoneName checks that NormalizeZoneName never panics, that its
// output is canonical (lower-case LDH labels, at least two, at most 253
// octets, no trailing dot) and that normalising the output again returns it
// unchanged. Failures are one-line ErrInvalidInput errors.
func FuzzNormalizeZoneName(f *testing.F) {
	for _, s := range []string{"example.com", "Bücher.Example.", "xn--bcher-kva.example", "a..b", "_acme.example.com", "EXAMPLE.COM.", "ex ample.com", "ß.de", "x.y.", "٠١.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		got, err := NormalizeZoneName(name)
		if err != nil {
			if got != "" {
				t.Fatalf("NormalizeZoneName(%q) = %q with error %v", name, got, err)
			}
			checkInvalid(t, err)
			return
		}
		if len(got) > 253 || strings.HasSuffix(got, ".") || strings.Count(got, ".") < 1 {
			t.Fatalf("NormalizeZoneName(%q) = %q: not a canonical name", name, got)
		}
		for _, l := range strings.Split(got, ".") {
			if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				t.Fatalf("NormalizeZoneName(%q) = %q: bad label %q", name, got, l)
			}
		}
		again, err := NormalizeZoneName(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: NormalizeZoneName(%q) = %q, then %q, %v", name, got, again, err)
		}
		if withDot, err := NormalizeZoneName(got + "."); err != nil || withDot != got {
			t.Fatalf("trailing dot changes the result: %q → %q, %v", got+".", withDot, err)
		}
	})
}

// FuzzParseIP checks that an address ParseIP accepts is valid, zone-less,
// specified and unmapped, and parses back from its String form.
func FuzzParseIP(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0", "0.0.0.0", "::", " 192.0.2.1", "1.2.3.4.5", "::ffff:0.0.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		a, err := ParseIP(s)
		if err != nil {
			if a.IsValid() {
				t.Fatalf("ParseIP(%q) = %v with error %v", s, a, err)
			}
			checkInvalid(t, err)
			return
		}
		if !a.IsValid() || a.Zone() != "" || a.IsUnspecified() || a.Is4In6() {
			t.Fatalf("ParseIP(%q) = %v: invalid, zoned, unspecified or mapped", s, a)
		}
		if b, err := ParseIP(a.String()); err != nil || b != a {
			t.Fatalf("ParseIP(%q) = %v does not round-trip: %v, %v", s, a, b, err)
		}
	})
}

// FuzzParsePrimary checks that a primary ParsePrimary accepts validates and
// round-trips through Primary.String, and that String of any address and
// port ParsePrimary would accept parses back to the same Primary.
func FuzzParsePrimary(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:53", "2001:db8::1:53", "192.0.2.1:0", "192.0.2.1:+53", "[::ffff:192.0.2.1]:53", "[192.0.2.1]", "192.0.2.1:65536", "192.0.2.1:053"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		p, err := ParsePrimary(s)
		if err != nil {
			if p != (Primary{}) {
				t.Fatalf("ParsePrimary(%q) = %#v with error %v", s, p, err)
			}
			checkInvalid(t, err)
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePrimary(%q) = %v, which does not validate: %v", s, p, err)
		}
		if _, err := ValidatePrimaries([]Primary{p}); err != nil {
			t.Fatalf("ParsePrimary(%q) = %v, rejected by ValidatePrimaries: %v", s, p, err)
		}
		if q, err := ParsePrimary(p.String()); err != nil || q != p {
			t.Fatalf("ParsePrimary(%q) = %#v does not round-trip through %q: %#v, %v", s, p, p.String(), q, err)
		}
		if a, err := ParseIP(p.Addr.String()); err != nil || a != p.Addr {
			t.Fatalf("ParsePrimary(%q) accepted address %v that ParseIP refuses: %v", s, p.Addr, err)
		}
	})
}

// FuzzPrimaryString checks String → ParsePrimary for primaries built from
// arbitrary 16-byte addresses and ports: every Primary that validates
// round-trips.
func FuzzPrimaryString(f *testing.F) {
	f.Add([]byte{192, 0, 2, 1}, uint16(0))
	f.Add([]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}, uint16(5353))
	f.Add([]byte{10: 0xff, 11: 0xff, 12: 192, 13: 0, 14: 2, 15: 1}, uint16(53))
	f.Fuzz(func(t *testing.T, ip []byte, port uint16) {
		a, ok := netip.AddrFromSlice(ip)
		if !ok {
			return
		}
		p := Primary{Addr: a, Port: port}
		if p.Validate() != nil {
			return
		}
		q, err := ParsePrimary(p.String())
		if err != nil {
			t.Fatalf("%#v validates but ParsePrimary(%q) fails: %v", p, p.String(), err)
		}
		if q.Addr != a.Unmap() || q.Port != port {
			t.Fatalf("%#v → %q → %#v", p, p.String(), q)
		}
	})
}

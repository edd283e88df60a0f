package verify

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

// defaultQuerier is the module's DNS client.
func defaultQuerier() (Querier, error) { return DNSQuerier{}, nil }

// DNSQuerier is the default [Querier]: the module's DNS client (one SOA query
// over UDP, retried over TCP when the answer is truncated; the answer must
// carry the question, rcode NOERROR and the zone's own SOA). Its errors
// match this package's sentinels.
type DNSQuerier struct{}

// QuerySOA implements [Querier]. An answer without the AA bit is
// [ErrNotServing]: the server answered from a cache or another source, not
// as an authority for the zone.
func (DNSQuerier) QuerySOA(ctx context.Context, server netip.AddrPort, zone string) (uint32, error) {
	soa, err := dnswire.QuerySOA(ctx, server.String(), zone)
	if err != nil {
		return 0, classified(err)
	}
	if !soa.Authoritative {
		return 0, &queryError{kind: ErrNotServing, err: errors.New("answer without the AA bit: not authoritative for " + zone)}
	}
	return soa.Serial, nil
}

// Signed implements [SignedQuerier]: it transfers the zone from server
// (AXFR, so server must allow transfers to this host) and reports whether
// the apex has a DNSKEY record. A refused transfer is an error, reported
// as a warning that the check could not be made.
func (DNSQuerier) Signed(ctx context.Context, server netip.AddrPort, zone string) (bool, error) {
	z, err := dnswire.Transfer(ctx, server.String(), zone)
	if err != nil {
		return false, classified(err)
	}
	apex := strings.ToLower(strings.TrimSuffix(zone, ".")) + "."
	for _, rec := range z.Records() {
		if rec.Type == "DNSKEY" && rec.Name == apex {
			return true, nil
		}
	}
	return false, nil
}

// queryError is a query error matching one of this package's sentinels as
// well as the original error.
type queryError struct {
	kind error
	err  error
}

// Error implements error.
func (e *queryError) Error() string { return e.err.Error() }

// Unwrap returns the sentinel and the original error.
func (e *queryError) Unwrap() []error { return []error{e.kind, e.err} }

// classified maps the DNS client's error kinds to this package's.
func classified(err error) error {
	var de *dnswire.Error
	var kind error
	switch {
	case errors.Is(err, dnswire.ErrRefused):
		kind = ErrRefused
	case errors.Is(err, dnswire.ErrNotAuth), errors.Is(err, dnswire.ErrServFail), errors.Is(err, dnswire.ErrNXDomain), errors.Is(err, dnswire.ErrRcode):
		kind = ErrNotServing
	case errors.Is(err, dnswire.ErrTimeout):
		kind = ErrTimeout
	case errors.Is(err, dnswire.ErrUnreachable):
		kind = ErrUnreachable
	case errors.Is(err, dnswire.ErrBadAnswer) && errors.As(err, &de) && strings.HasPrefix(de.Detail, "SOA owned by"):
		kind = ErrWrongZone
	case errors.Is(err, dnswire.ErrBadAnswer) && errors.As(err, &de) && strings.HasPrefix(de.Detail, "no SOA"):
		kind = ErrNotServing
	default:
		return err
	}
	return &queryError{kind: kind, err: err}
}

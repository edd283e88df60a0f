package core

import (
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// This file holds the constructors adapters use for failures they decide
// themselves, without an HTTP response to classify: a zone missing from a
// listing, a feature the provider lacks, an error to report under another
// operation name.

// Errorf returns an [*facade.Error] of the given kind for operation op and this
// Core's provider, for a failure the client detected itself (no HTTP
// status: StatusCode is 0):
//
//	return c.core.Errorf(op, facade.ErrNotFound, "secondary zone %s not found", name)
//
// The formatted text is the error's only message. An error wrapped with %w
// becomes the cause, so errors.Is and errors.As see it. kind must be one of
// the Err* sentinels; any other value is a programming error, reported as
// [facade.ErrUnexpectedResponse] wrapping kind (so errors.Is(err, kind) still
// holds).
func (c *Core) Errorf(op string, kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	var cause error
	if wraps(err) {
		cause = err
	}
	return c.newError(kind, cause, op, err.Error())
}

// wraps reports whether err, from fmt.Errorf, wraps another error (%w).
func wraps(err error) bool {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return u.Unwrap() != nil
	case interface{ Unwrap() []error }:
		return len(u.Unwrap()) > 0
	}
	return false
}

// Unsupported returns the error for a feature the provider lacks (see
// [facade.Capabilities]): an [*facade.Error] of kind [facade.ErrUnsupported] for op and this
// Core's provider, whose cause is errors.ErrUnsupported, so that both
// errors.Is(err, facade.ErrUnsupported) and
// errors.Is(err, errors.ErrUnsupported) hold. It is not [facade.ErrInvalidInput]:
// the input is well-formed, this provider just cannot act on it. what says
// what is not supported and why, e.g. "TSIG: IONOS secondary zones do not
// support TSIG"; the message is what followed by ": unsupported operation".
func (c *Core) Unsupported(op, what string) error {
	return c.newError(facade.ErrUnsupported, errors.ErrUnsupported, op, what+": "+errors.ErrUnsupported.Error())
}

// Wrap reports err under operation op: an [*facade.Error] in err's chain is
// copied with Operation set to op (and Provider set to this Core's provider
// if empty), keeping its kind, status and details; any other error is
// classified as [Core.Check] classifies an error from a generated call
// (JSON decoding errors become [facade.ErrUnexpectedResponse], everything else,
// context errors included, [facade.ErrTransport] with err as its cause). Wrap(op,
// nil) is nil. Adapters use it to label an error raised by a shared helper
// or a wait with the public operation name:
//
//	case <-ctx.Done():
//		return c.core.Wrap(op, ctx.Err())
func (c *Core) Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return c.wrap(op, err)
}

// FindZone resolves a zone name through a listing, the way adapters whose
// API addresses zones by ID implement the by-name [facade.SecondaryDNS] methods.
// It normalises name with [facade.NormalizeZoneName] (an invalid name is an
// [facade.ErrInvalidInput] error for op; list is not called), then ranges over
// list(normalised name), usually a listing filtered by that name, and
// returns the first zone for which match(zone, normalised name) is true.
// An error from the listing is returned as it is (the listing labels its
// own errors); if no zone matches, FindZone returns an [facade.ErrNotFound] error
// for op ("secondary zone <name> not found", StatusCode 0: no request
// answered 404). The listing stops at the first match.
func FindZone[Z any](c *Core, op, name string, list func(name string) iter.Seq2[Z, error], match func(z Z, name string) bool) (Z, error) {
	var zero Z
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return zero, c.Invalid(op, err)
	}
	for z, err := range list(n) {
		if err != nil {
			return zero, err
		}
		if match(z, n) {
			return z, nil
		}
	}
	return zero, c.Errorf(op, facade.ErrNotFound, "secondary zone %s not found", n)
}

// NormalizeReportedName normalises a zone name a provider returned, for
// use in returned values: the [facade.NormalizeZoneName] form if the name
// validates, otherwise the name lower-cased without its trailing dot (a
// provider's answer is reported, never rejected).
func NormalizeReportedName(name string) string {
	if n, err := facade.NormalizeZoneName(name); err == nil {
		return n
	}
	return strings.TrimSuffix(strings.ToLower(name), ".")
}

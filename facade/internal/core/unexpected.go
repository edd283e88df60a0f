package core

import (
	"fmt"
	"net/http"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// Unexpected returns the [facade.ErrUnexpectedResponse] error for a 2xx response
// an adapter cannot use although it decoded: an empty object or null where a
// resource was expected, a resource without its id or name, or another
// object than the one asked for (a zone of another name or id). The error
// keeps the status and request id of resp (nil if there is none), says
// what was wrong in words (the formatted text) and adds a short snippet of
// body. A caller can tell it from [facade.ErrNotFound]: the server answered, but
// not with what was asked for, so nothing was changed on its word.
func (c *Core) Unexpected(op string, resp *http.Response, body []byte, format string, args ...any) error {
	why := fmt.Sprintf(format, args...)
	if resp == nil {
		return c.newError(facade.ErrUnexpectedResponse, nil, op, why)
	}
	e := c.undecodable(resp, body, nil, why)
	e.Operation = op
	return e
}

// CheckName reports an [facade.ErrUnexpectedResponse] error (see
// [Core.Unexpected]) unless got, a zone name the server returned, equals
// want, the normalised name the caller asked for. got is normalised with
// [NormalizeReportedName] first. Adapters call it on every answer about a
// zone addressed by name before acting on it, so that a server answering
// for another zone ("victim.example" for "example.com") never makes them
// read, change or delete the wrong one.
func (c *Core) CheckName(op string, resp *http.Response, body []byte, want, got string) error {
	if n := NormalizeReportedName(got); n != want {
		return c.Unexpected(op, resp, body, "asked for zone %q, the server answered with %q", want, text.Clip(got, 80))
	}
	return nil
}

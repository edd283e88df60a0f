package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// Response is what the core needs of a generated client's response (every
// oapi-codegen "WithResponse" result of gen/*, through the method added by
// scripts/templates/client-with-responses.tmpl): the HTTP response and its
// body, nil and nil for a nil response.
type Response interface {
	Raw() (*http.Response, []byte)
}

// Call classifies the outcome of one generated-client call for operation
// op and hands back its typed payload, so that an adapter needs one line
// per call:
//
//	rsp, err := c.api.GetZoneWithResponse(ctx, id)
//	zone, err := core.Call(c.core, "GetZone", rsp, err, (*api.GetZoneResponse).GetJSON200)
//
// payload picks the JSON field of the documented success status from a
// response (e.g. JSON200, JSON201, JSON202); it is called only for a 2xx
// answer. A nil payload means the operation defines no success body (a
// 204): Call then returns nil, nil on success. The outcomes:
//
//   - err != nil: an *Error from [Core.Do] or a validation function is
//     returned with Operation (and Provider, if empty) filled in. When the
//     body did not decode, the generated Parse functions (see
//     scripts/templates/client-with-responses.tmpl) return the response
//     together with the decoding error: Call then reports
//     [facade.ErrUnexpectedResponse] keeping the status code, the request
//     ID and a snippet of the body, and says in words what was wrong (a
//     field holding a JSON string where a number was expected, an empty or
//     cut-short body, nesting deeper than the decoder allows, invalid JSON
//     at byte n); without a response, the same without status and request
//     ID. Anything else, including context cancellation, becomes
//     [facade.ErrTransport] with err as its cause (so errors.Is(err,
//     context.Canceled) keeps working).
//   - no response: [facade.ErrUnexpectedResponse].
//   - a non-2xx status: the provider's error body decoded
//     ([Provider.DecodeErrorBody]).
//   - a 2xx status whose payload is nil (the generated client found no
//     JSON body for this status: an HTML page, an empty body, a 2xx other
//     than the documented one): [facade.ErrUnexpectedResponse], keeping
//     the status.
func Call[R Response, P any](c *Core, op string, rsp R, err error, payload func(R) *P) (*P, error) {
	hr, body := rsp.Raw()
	if err != nil {
		var fe *facade.Error
		if hr != nil && !errors.As(err, &fe) {
			// The generated parser returns the response with the error
			// when the body does not decode: keep what it says.
			e := c.undecodable(hr, body, err, describeDecodeError(err, body, true))
			e.Operation = op
			return nil, e
		}
		return nil, c.wrap(op, err)
	}
	if hr == nil || hr.StatusCode < 200 || hr.StatusCode > 299 || payload == nil {
		return nil, c.Check(op, hr, body, nil, true)
	}
	p := payload(rsp)
	if p == nil {
		return nil, c.Check(op, hr, body, nil, false)
	}
	return p, nil
}

// Exec is [Call] for an operation without a success body (payload nil).
func Exec[R Response](c *Core, op string, rsp R, err error) error {
	_, err = Call[R, struct{}](c, op, rsp, err, nil)
	return err
}

// Check classifies the outcome of one HTTP exchange for operation op
// and returns nil only if it succeeded ([Call] is the form for generated
// responses):
//
//   - err != nil: classified as [Core.Wrap] does.
//   - resp == nil: [facade.ErrUnexpectedResponse].
//   - a non-2xx status: [Provider.DecodeErrorBody] of body.
//   - a 2xx status with decoded == false: [facade.ErrUnexpectedResponse],
//     keeping the status.
func (c *Core) Check(op string, resp *http.Response, body []byte, err error, decoded bool) error {
	if err != nil {
		return c.wrap(op, err)
	}
	if resp == nil {
		return c.newError(facade.ErrUnexpectedResponse, nil, op, "no response")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.info.decodeErrorBody(resp.StatusCode, reasonPhrase(resp), resp.Header, body, c.now())
		e.Operation = op
		return e
	}
	if !decoded {
		e := c.undecodable(resp, body, nil, "response body did not decode as the expected JSON")
		e.Operation = op
		return e
	}
	return nil
}

// describeDecodeError says in words why body (if known) did not decode into
// the expected type.
func describeDecodeError(err error, body []byte, known bool) string {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &typ):
		where := "the response body"
		if typ.Field != "" {
			where = "response field " + strconv.Quote(text.Clip(typ.Field, maxMessageBytes/2))
		}
		want := "another value"
		if t := typ.Type; t != nil {
			for t.Kind().String() == "ptr" {
				t = t.Elem()
			}
			want = jsonKind(t.Kind().String())
		}
		return fmt.Sprintf("%s holds a JSON %s where %s was expected", where, text.Clip(typ.Value, 32), want)
	case errors.As(err, &syntax):
		switch {
		case known && len(bytes.TrimSpace(body)) == 0:
			return "the response body is empty where a JSON document was expected"
		case strings.Contains(syntax.Error(), "unexpected end of JSON input"):
			return "the response body is cut short: it ends inside a JSON value"
		case strings.Contains(syntax.Error(), "max depth"):
			return "the response body nests JSON values deeper than the decoder allows"
		default:
			return fmt.Sprintf("the response body is not valid JSON at byte %d: %s", syntax.Offset, text.Clip(syntax.Error(), maxMessageBytes/2))
		}
	}
	return "the response body did not decode: " + text.Clip(err.Error(), maxMessageBytes/2)
}

// jsonKind names the JSON value a Go type of the given kind (the String of
// its reflect.Kind, so that the core needs no reflection) decodes from.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "another value"
}

// Invalid returns err as an [facade.ErrInvalidInput] *Error for operation op and
// this Core's provider, for client-side validation failures:
//
//	name, err := facade.NormalizeZoneName(name)
//	if err != nil {
//		return facade.Zone{}, c.core.Invalid("GetZone", err)
//	}
//
// An *Error in err's chain keeps its kind and gets op and the provider set.
func (c *Core) Invalid(op string, err error) error {
	e := facade.Invalid(op, err)
	e.Provider = c.provider
	return e
}

// wrap classifies a non-nil error returned by a generated call.
func (c *Core) wrap(op string, err error) error {
	var fe *facade.Error
	if errors.As(err, &fe) {
		cp := *fe
		cp.Operation = op
		if cp.Provider == "" {
			cp.Provider = c.provider
		}
		return &cp
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	if errors.As(err, &syntax) || errors.As(err, &typ) {
		return c.newError(facade.ErrUnexpectedResponse, err, op, describeDecodeError(err, nil, false))
	}
	return transportError(c.provider, op, nil, err)
}

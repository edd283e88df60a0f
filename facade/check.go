package facade

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// Check classifies the outcome of one generated-client call for operation
// op and returns nil only if it succeeded:
//
//   - err != nil: an *Error from [Core.Do] or a validation function is
//     returned with Operation (and Provider, if empty) filled in; a JSON
//     decoding error from the generated client becomes
//     [ErrUnexpectedResponse] saying in words what was wrong (use
//     [Core.CheckResponse] to keep the status and request ID of the
//     response that did not decode); anything else, including context
//     cancellation, becomes [ErrTransport] with err as its cause (so
//     errors.Is(err, context.Canceled) keeps working).
//   - resp == nil: [ErrUnexpectedResponse].
//   - a non-2xx status: [DecodeErrorBody] of body.
//   - a 2xx status with decoded == false (the generated client found no
//     JSON body, e.g. an HTML page or an empty body where JSON was
//     expected): [ErrUnexpectedResponse], keeping the status.
//
// Adapters with a generated response rsp usually call [Core.CheckResponse];
// Check is the explicit form:
//
//	err = core.Check("GetZone", rsp.HTTPResponse, rsp.Body, err, rsp.JSON200 != nil)
//
// (which requires rsp != nil, i.e. err == nil, first).
func (c *Core) Check(op string, resp *http.Response, body []byte, err error, decoded bool) error {
	if err != nil {
		return c.wrap(op, err)
	}
	if resp == nil {
		return &Error{Provider: c.provider, Operation: op, kind: ErrUnexpectedResponse, Messages: []string{"no response"}}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := decodeErrorBody(c.provider, resp.StatusCode, reasonPhrase(resp), resp.Header, body, c.now())
		e.Operation = op
		return e
	}
	if !decoded {
		e := c.undecodable(resp, body, "response body did not decode as the expected JSON")
		e.Operation = op
		return e
	}
	return nil
}

// CheckResponse is [Core.Check] for an oapi-codegen "WithResponse" result,
// so that an adapter needs one line per call:
//
//	rsp, err := c.api.GetZoneWithResponse(ctx, id)
//	if err := c.core.CheckResponse("GetZone", rsp, err); err != nil {
//		return facade.Zone{}, err
//	}
//	// rsp.JSON200 is non-nil here if the operation defines a JSON 200 body.
//
// rsp must be a pointer to a generated response struct (a nil pointer is
// fine when err != nil) with the fields HTTPResponse *http.Response and
// Body []byte and, per documented success status S with a JSON body, a
// pointer field JSON<S> (e.g. JSON200, JSON201, or JSON2XX for a range). The
// response counts as decoded when the JSON<S> (else JSON2XX) field for the
// actual status is non-nil, or when
// the struct declares no JSON2xx field at all (operations without a success
// body, e.g. a 204). A 2xx status the struct declares no JSON field for,
// while it declares one for another 2xx status, is [ErrUnexpectedResponse].
// A value of any other shape yields [ErrUnexpectedResponse] naming its type.
//
// When the body does not decode, the generated Parse functions (see
// scripts/templates/client-with-responses.tmpl) return the response
// together with the decoding error: CheckResponse then reports
// [ErrUnexpectedResponse] keeping the status code, the request ID and a
// snippet of the body, and says in words what was wrong (a field holding a
// JSON string where a number was expected, an empty or cut-short body,
// nesting deeper than the decoder allows, invalid JSON at byte n). A
// decoding error without a response is reported the same way, without
// status and request ID.
func (c *Core) CheckResponse(op string, rsp any, err error) error {
	hr, body, v, shaped := responseParts(rsp)
	if err != nil {
		var fe *Error
		if shaped && hr != nil && !errors.As(err, &fe) {
			// The generated parser returns the response with the error
			// when the body does not decode: keep what it says.
			e := c.undecodable(hr, body, describeDecodeError(err, body, true))
			e.Operation, e.cause = op, err
			return e
		}
		return c.wrap(op, err)
	}
	if rsp == nil || (v.IsValid() && v.Kind() == reflect.Pointer && v.IsNil()) {
		return c.Check(op, nil, nil, nil, false)
	}
	if !shaped {
		return c.badShape(op, rsp)
	}
	decoded := true
	if hr != nil {
		decoded = jsonDecodedFor(v, hr.StatusCode)
	}
	return c.Check(op, hr, body, nil, decoded)
}

// responseParts takes a generated response struct (through any number of
// pointers) apart. shaped is false unless rsp is one; v is the struct, or
// the nil pointer met on the way.
func responseParts(rsp any) (hr *http.Response, body []byte, v reflect.Value, shaped bool) {
	v = reflect.ValueOf(rsp)
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil, v, false
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return nil, nil, v, false
	}
	hrField, bodyField := v.FieldByName("HTTPResponse"), v.FieldByName("Body")
	if !hrField.IsValid() || !bodyField.IsValid() || !hrField.CanInterface() || !bodyField.CanInterface() {
		return nil, nil, v, false
	}
	hr, ok1 := hrField.Interface().(*http.Response)
	body, ok2 := bodyField.Interface().([]byte)
	if !ok1 || !ok2 {
		return nil, nil, v, false
	}
	return hr, body, v, true
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
			where = "response field " + strconv.Quote(clip(typ.Field, maxMessageBytes/2))
		}
		return fmt.Sprintf("%s holds a JSON %s where %s was expected", where, clip(typ.Value, 32), jsonKind(typ.Type))
	case errors.As(err, &syntax):
		switch {
		case known && len(bytes.TrimSpace(body)) == 0:
			return "the response body is empty where a JSON document was expected"
		case strings.Contains(syntax.Error(), "unexpected end of JSON input"):
			return "the response body is cut short: it ends inside a JSON value"
		case strings.Contains(syntax.Error(), "max depth"):
			return "the response body nests JSON values deeper than the decoder allows"
		default:
			return fmt.Sprintf("the response body is not valid JSON at byte %d: %s", syntax.Offset, clip(syntax.Error(), maxMessageBytes/2))
		}
	}
	return "the response body did not decode: " + clip(err.Error(), maxMessageBytes/2)
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}

func jsonDecodedFor(v reflect.Value, status int) bool {
	for _, name := range []string{"JSON" + strconv.Itoa(status), "JSON2XX"} {
		if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.Pointer {
			return !f.IsNil()
		}
	}
	t := v.Type()
	for i := range t.NumField() {
		name := t.Field(i).Name
		if len(name) == len("JSON200") && strings.HasPrefix(name, "JSON2") {
			return false // a success body is defined, but not for this status
		}
	}
	return true
}

func (c *Core) badShape(op string, rsp any) error {
	return &Error{Provider: c.provider, Operation: op, kind: ErrUnexpectedResponse,
		Messages: []string{fmt.Sprintf("CheckResponse: unsupported response type %T", rsp)}}
}

// Invalid returns err as an [ErrInvalidInput] *Error for operation op and
// this Core's provider, for client-side validation failures:
//
//	name, err := facade.NormalizeZoneName(name)
//	if err != nil {
//		return facade.Zone{}, c.core.Invalid("GetZone", err)
//	}
//
// An *Error in err's chain keeps its kind and gets op and the provider set.
func (c *Core) Invalid(op string, err error) error {
	e := Invalid(op, err)
	e.Provider = c.provider
	return e
}

// wrap classifies a non-nil error returned by a generated call.
func (c *Core) wrap(op string, err error) error {
	var fe *Error
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
		return &Error{Provider: c.provider, Operation: op, kind: ErrUnexpectedResponse, cause: err,
			Messages: []string{describeDecodeError(err, nil, false)}}
	}
	return transportError(c.provider, op, nil, err)
}

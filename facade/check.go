package facade

import (
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
//     [ErrUnexpectedResponse]; anything else, including context
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
func (c *Core) CheckResponse(op string, rsp any, err error) error {
	if err != nil {
		return c.wrap(op, err)
	}
	v := reflect.ValueOf(rsp)
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return c.Check(op, nil, nil, nil, false)
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return c.badShape(op, rsp)
	}
	hrField, bodyField := v.FieldByName("HTTPResponse"), v.FieldByName("Body")
	if !hrField.IsValid() || !bodyField.IsValid() || !hrField.CanInterface() || !bodyField.CanInterface() {
		return c.badShape(op, rsp)
	}
	hr, ok1 := hrField.Interface().(*http.Response)
	body, ok2 := bodyField.Interface().([]byte)
	if !ok1 || !ok2 {
		return c.badShape(op, rsp)
	}
	decoded := true
	if hr != nil {
		decoded = jsonDecodedFor(v, hr.StatusCode)
	}
	return c.Check(op, hr, body, nil, decoded)
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
			Messages: []string{"response body did not decode: " + clip(err.Error(), maxMessageBytes)}}
	}
	return transportError(c.provider, op, nil, err)
}

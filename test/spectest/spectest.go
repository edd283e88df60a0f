// Package spectest validates HTTP traffic against the prepared OpenAPI
// documents of package specs, with kin-openapi's openapi3filter. It is the one
// piece every test server, fake and contract test of this module stands on: a
// server built with it cannot accept a request, or send a response, that the
// real API's contract rejects.
//
// Use [NewValidator] where the caller decides what an invalid exchange means
// (the fakes answer it with a 400 in the provider's shape), and [NewRecorder]
// to wrap a handler so that every exchange through it is checked.
//
// The package imports neither testing nor net/http/httptest, so programs
// (the secdns CLI's fakes) can link it. Its test helper, a loopback server
// that fails the test on any invalid exchange, is
// test/spectest/spectesting.NewServer.
package spectest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/secondarydns/secondarydns-go/specs"
)

// maxBody bounds how much of a request or response body is read for
// validation.
const maxBody = 16 << 20

// Validator checks requests and responses against one provider's prepared
// document. It is safe for concurrent use.
type Validator struct {
	provider string
	doc      *openapi3.T
	router   routers.Router
}

// Exchange is one request matched to its operation, ready to have its
// response validated.
type Exchange struct {
	// OperationID is the matched operation's ID (e.g. "GetZone").
	OperationID string
	// PathParams holds the path parameters by name.
	PathParams map[string]string
	input      *openapi3filter.RequestValidationInput
}

// NewValidator returns a validator for the provider's prepared document
// ("ionos", "dnsimple" or "cloudflare"). The document's servers are reduced to
// their paths, so that requests to any host (a loopback test server) match.
func NewValidator(provider string) (*Validator, error) {
	doc, err := specs.Load(provider)
	if err != nil {
		return nil, err
	}
	var servers openapi3.Servers
	seen := map[string]bool{}
	for _, s := range doc.Servers {
		u, err := url.Parse(s.URL)
		if err != nil {
			return nil, fmt.Errorf("spectest: server URL %q: %w", s.URL, err)
		}
		p := strings.TrimSuffix(u.Path, "/")
		if p == "" {
			p = "/"
		}
		if !seen[p] {
			seen[p] = true
			servers = append(servers, &openapi3.Server{URL: p})
		}
	}
	if len(servers) == 0 {
		servers = openapi3.Servers{{URL: "/"}}
	}
	doc.Servers = servers
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("spectest: routing %s: %w", provider, err)
	}
	return &Validator{provider: provider, doc: doc, router: router}, nil
}

// Provider returns the provider name the validator was made for.
func (v *Validator) Provider() string { return v.provider }

// BasePath returns the path prefix of the provider's API ("/v2" for DNSimple,
// "/client/v4" for Cloudflare, "" for IONOS): a test server must serve the
// operations below it.
func (v *Validator) BasePath() string {
	p := v.doc.Servers[0].URL
	if p == "/" {
		return ""
	}
	return p
}

// Doc returns the loaded document (with servers reduced to paths). It must
// not be modified.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// ValidateRequest matches r to an operation and validates its parameters,
// body and security. r's body is read and replaced, so the handler can still
// read it. The returned Exchange is needed to validate the response; it is
// non-nil whenever the route matched, even if validation failed.
func (v *Validator) ValidateRequest(r *http.Request) (*Exchange, error) {
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		return nil, fmt.Errorf("no operation matches %s %s: %w", r.Method, r.URL.Path, err)
	}
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("reading request body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: authenticate,
			MultiError:         true,
			// Validation must not change the request: a server behind the
			// validator sees exactly what the client sent, not the spec's
			// defaults filled in.
			SkipSettingDefaults:     true,
			SchemaValidationOptions: formatOptions(),
		},
	}
	ex := &Exchange{OperationID: route.Operation.OperationID, PathParams: params, input: input}
	err = openapi3filter.ValidateRequest(r.Context(), input)
	// Validation consumed the body: put it back for the handler.
	if r.GetBody != nil {
		r.Body, _ = r.GetBody()
	}
	if err != nil {
		return ex, fmt.Errorf("%s %s (%s): %w", r.Method, r.URL.RequestURI(), ex.OperationID, err)
	}
	return ex, nil
}

// ValidateResponse validates a response to the exchange's request: its status
// must be one the operation declares, and its headers and body must match.
func (v *Validator) ValidateResponse(ctx context.Context, ex *Exchange, status int, header http.Header, body []byte) error {
	if ex == nil {
		return errors.New("spectest: no exchange to validate the response against")
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: ex.input,
		Status:                 status,
		Header:                 header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: formatOptions(),
		},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return fmt.Errorf("response %d to %s: %w", status, ex.OperationID, err)
	}
	return nil
}

// formatOptions gives the string formats the prepared documents use beyond the ones
// kin-openapi checks by default (date, date-time). They are passed per call,
// so no package-level state of kin-openapi is changed.
func formatOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
		openapi3.WithStringFormatValidator("ipv4", openapi3.NewIPValidator(true)),
		openapi3.WithStringFormatValidator("ipv6", openapi3.NewIPValidator(false)),
	}
}

// authenticate accepts a request that carries credentials of the kind the
// security scheme names. Whether they are the right credentials is for the
// server behind the validator to decide.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	r := in.RequestValidationInput.Request
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" {
			return nil
		}
		return errors.New("no bearer token")
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		if _, _, ok := r.BasicAuth(); ok {
			return nil
		}
		return errors.New("no basic credentials")
	case s.Type == "apiKey" && s.In == "header":
		if r.Header.Get(s.Name) != "" {
			return nil
		}
		return fmt.Errorf("no %s header", s.Name)
	}
	return fmt.Errorf("unsupported security scheme %s/%s", s.Type, s.Scheme)
}

// Recorder wraps a handler: every request is validated before the handler
// sees it, and every response the handler writes is validated. Failures are
// kept, and passed to OnError if it is set. It is safe for concurrent use.
type Recorder struct {
	v       *Validator
	next    http.Handler
	onError func(error)

	mu     sync.Mutex
	errs   []error
	served int
}

// NewRecorder returns a Recorder validating traffic to next. A request that
// matches no operation, or fails validation, is still passed to next: the
// handler decides how to answer it, and the failure is recorded.
func NewRecorder(v *Validator, next http.Handler, onError func(error)) *Recorder {
	return &Recorder{v: v, next: next, onError: onError}
}

// Errors returns the validation failures seen so far.
func (rec *Recorder) Errors() []error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]error(nil), rec.errs...)
}

// Served returns how many requests the recorder has passed on.
func (rec *Recorder) Served() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.served
}

func (rec *Recorder) fail(err error) {
	rec.mu.Lock()
	rec.errs = append(rec.errs, err)
	rec.mu.Unlock()
	if rec.onError != nil {
		rec.onError(err)
	}
}

// ServeHTTP implements http.Handler.
func (rec *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex, err := rec.v.ValidateRequest(r)
	if err != nil {
		rec.fail(fmt.Errorf("invalid request: %w", err))
	}
	cw := &captureWriter{header: http.Header{}}
	rec.next.ServeHTTP(cw, r)
	rec.mu.Lock()
	rec.served++
	rec.mu.Unlock()
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	if ex != nil {
		if err := rec.v.ValidateResponse(r.Context(), ex, cw.status, cw.header, cw.body.Bytes()); err != nil {
			rec.fail(fmt.Errorf("invalid response: %w", err))
		}
	}
	for k, vs := range cw.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(cw.status)
	_, _ = w.Write(cw.body.Bytes())
}

// captureWriter buffers a response so it can be validated before it is sent.
type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header implements http.ResponseWriter.
func (c *captureWriter) Header() http.Header { return c.header }

// WriteHeader implements http.ResponseWriter; the first status wins.
func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

// Write implements http.ResponseWriter, buffering the body.
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

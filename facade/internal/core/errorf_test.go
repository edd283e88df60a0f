package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"testing"

	. "github.com/secondarydns/secondarydns-go/facade"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCoreErrorf(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderIONOS, "https://api.example")
	cause := errors.New("root cause")
	foreign := errors.New("not a sentinel")
	tests := []struct {
		name     string
		kind     error
		format   string
		args     []any
		wantKind error
		wantMsg  string
		wantIs   []error
		cause    bool
	}{
		{name: "not found", kind: ErrNotFound, format: "secondary zone %s not found", args: []any{"a.example"},
			wantKind: ErrNotFound, wantMsg: "ionos: GetZone: not found: secondary zone a.example not found"},
		{name: "server", kind: ErrServer, format: "zone %s is in state FAILED", args: []any{"a.example"},
			wantKind: ErrServer, wantMsg: "ionos: GetZone: server error: zone a.example is in state FAILED"},
		{name: "no args", kind: ErrConflict, format: "100%% busy",
			wantKind: ErrConflict, wantMsg: "ionos: GetZone: conflict: 100% busy"},
		{name: "wrapped cause", kind: ErrUnexpectedResponse, format: "bad: %w", args: []any{cause},
			wantKind: ErrUnexpectedResponse, wantMsg: "ionos: GetZone: unexpected response: bad: root cause",
			wantIs: []error{cause}, cause: true},
		{name: "foreign kind", kind: foreign, format: "oops",
			wantKind: ErrUnexpectedResponse, wantMsg: "ionos: GetZone: unexpected response: oops",
			wantIs: []error{foreign}, cause: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := c.Errorf("GetZone", tt.kind, tt.format, tt.args...)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, ProviderIONOS, fe.Provider)
			assert.Equal(t, "GetZone", fe.Operation)
			assert.Zero(t, fe.StatusCode)
			assert.Equal(t, tt.wantKind, fe.Kind())
			assert.Equal(t, tt.wantMsg, err.Error())
			require.ErrorIs(t, err, tt.wantKind)
			for _, target := range tt.wantIs {
				require.ErrorIs(t, err, target)
			}
			assert.Equal(t, tt.cause, fe.Cause() != nil)
		})
	}
}

func TestCoreUnsupported(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderDNSimple, "https://api.example")
	tests := []struct {
		name, op, what, want string
	}{
		{"tsig", "CreateZone", "TSIG: DNSimple secondary zones do not support TSIG",
			"dnsimple: CreateZone: unsupported by the provider: TSIG: DNSimple secondary zones do not support TSIG: unsupported operation"},
		{"transfer", "Transfer", "DNSimple has no API to trigger a zone transfer",
			"dnsimple: Transfer: unsupported by the provider: DNSimple has no API to trigger a zone transfer: unsupported operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := c.Unsupported(tt.op, tt.what)
			require.ErrorIs(t, err, ErrUnsupported)
			require.NotErrorIs(t, err, ErrInvalidInput, "a capability the provider lacks is not invalid input")
			require.ErrorIs(t, err, errors.ErrUnsupported)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, ProviderDNSimple, fe.Provider)
			assert.Equal(t, tt.op, fe.Operation)
			assert.Zero(t, fe.StatusCode)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestCoreWrap(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderCloudflare, "https://api.example")
	decoded := NewError(ErrNotFound, nil)
	decoded.Provider, decoded.Operation, decoded.StatusCode = ProviderCloudflare, "GetIncoming", 404
	decoded.Codes, decoded.Messages, decoded.RequestID = []string{"1001"}, []string{"zone not found"}, "ray"
	bare := NewError(ErrServer, nil)
	bare.StatusCode = 503
	other := NewError(ErrConflict, nil)
	other.Provider = ProviderIONOS
	var syntax error = &json.SyntaxError{Offset: 3}
	tests := []struct {
		name         string
		err          error
		wantKind     error
		wantProvider string
		wantStatus   int
		wantIs       []error
	}{
		{name: "facade error keeps details", err: decoded, wantKind: ErrNotFound, wantProvider: ProviderCloudflare, wantStatus: 404},
		{name: "wrapped facade error", err: fmt.Errorf("ctx: %w", decoded), wantKind: ErrNotFound, wantProvider: ProviderCloudflare, wantStatus: 404},
		{name: "provider filled in", err: bare, wantKind: ErrServer, wantProvider: ProviderCloudflare, wantStatus: 503},
		{name: "provider kept", err: other, wantKind: ErrConflict, wantProvider: ProviderIONOS},
		{name: "context", err: context.Canceled, wantKind: ErrTransport, wantProvider: ProviderCloudflare, wantIs: []error{context.Canceled}},
		{name: "json", err: syntax, wantKind: ErrUnexpectedResponse, wantProvider: ProviderCloudflare},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := c.Wrap("GetZone", tt.err)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "GetZone", fe.Operation)
			assert.Equal(t, tt.wantProvider, fe.Provider)
			assert.Equal(t, tt.wantStatus, fe.StatusCode)
			assert.Equal(t, tt.wantKind, fe.Kind())
			for _, target := range tt.wantIs {
				require.ErrorIs(t, err, target)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, c.Wrap("GetZone", nil))
	})
	t.Run("original untouched", func(t *testing.T) {
		t.Parallel()
		_ = c.Wrap("GetZone", decoded)
		assert.Equal(t, "GetIncoming", decoded.Operation)
	})
	t.Run("details kept", func(t *testing.T) {
		t.Parallel()
		var fe *Error
		require.ErrorAs(t, c.Wrap("GetZone", decoded), &fe)
		assert.Equal(t, []string{"1001"}, fe.Codes)
		assert.Equal(t, []string{"zone not found"}, fe.Messages)
		assert.Equal(t, "ray", fe.RequestID)
	})
}

func TestPaginateFor(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderDNSimple, "https://api.example")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		pager    *pager
		want     []int
		wantKind error
		wantIs   error
	}{
		{name: "all pages", ctx: t.Context(), pager: threePages(), want: []int{1, 2, 3, 4, 5}},
		{name: "context done", ctx: cancelled, pager: threePages(), wantKind: ErrTransport, wantIs: context.Canceled},
		{name: "repeated page", ctx: t.Context(), pager: &pager{
			pages: map[string][]int{"": {1}, "2": {2}}, next: map[string]string{"": "2", "2": "2"}, errAt: "none",
		}, want: []int{1, 2}, wantKind: ErrUnexpectedResponse},
		{name: "plain fetch error", ctx: t.Context(), pager: func() *pager { p := threePages(); p.errAt = "2"; return p }(),
			want: []int{1, 2}, wantKind: ErrTransport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Collect(PaginateFor(tt.ctx, c, "ListZones", tt.pager.fetch))
			assert.Equal(t, tt.want, got)
			if tt.wantKind == nil {
				require.NoError(t, err)
				return
			}
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, ProviderDNSimple, fe.Provider)
			assert.Equal(t, "ListZones", fe.Operation)
			assert.Equal(t, tt.wantKind, fe.Kind())
			if tt.wantIs != nil {
				require.ErrorIs(t, err, tt.wantIs)
			}
		})
	}
}

func TestFindZone(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderIONOS, "https://api.example")
	type zone struct{ name, typ string }
	listing := func(zones ...zone) (func(string) iter.Seq2[zone, error], *[]string) {
		var asked []string
		return func(n string) iter.Seq2[zone, error] {
			asked = append(asked, n)
			return func(yield func(zone, error) bool) {
				for _, z := range zones {
					if !yield(z, nil) {
						return
					}
				}
			}
		}, &asked
	}
	secondary := func(z zone, n string) bool { return z.name == n && z.typ == "secondary" }
	boom := c.Errorf("ListZones", ErrServer, "boom")
	tests := []struct {
		name      string
		input     string
		zones     []zone
		list      func(string) iter.Seq2[zone, error]
		want      zone
		wantKind  error
		wantAsked []string
	}{
		{name: "exact match", input: "A.Example.", zones: []zone{{"a.example.org", "secondary"}, {"a.example", "secondary"}},
			want: zone{"a.example", "secondary"}, wantAsked: []string{"a.example"}},
		{name: "wrong type", input: "a.example", zones: []zone{{"a.example", "full"}},
			wantKind: ErrNotFound, wantAsked: []string{"a.example"}},
		{name: "empty", input: "a.example", wantKind: ErrNotFound, wantAsked: []string{"a.example"}},
		{name: "invalid name", input: "a..example", wantKind: ErrInvalidInput},
		{name: "listing error", input: "a.example", list: func(string) iter.Seq2[zone, error] {
			return func(yield func(zone, error) bool) { yield(zone{}, boom) }
		}, wantKind: ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list, asked := listing(tt.zones...)
			if tt.list != nil {
				list = tt.list
			}
			got, err := FindZone(c, "GetZone", tt.input, list, secondary)
			assert.Equal(t, tt.want, got)
			if tt.list == nil {
				assert.Equal(t, tt.wantAsked, *asked)
			}
			if tt.wantKind == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantKind)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, ProviderIONOS, fe.Provider)
			if tt.list == nil {
				assert.Equal(t, "GetZone", fe.Operation)
				assert.Zero(t, fe.StatusCode)
			} else {
				assert.Same(t, boom, err, "listing errors are returned as they are")
			}
		})
	}
	t.Run("not found message", func(t *testing.T) {
		t.Parallel()
		list, _ := listing()
		_, err := FindZone(c, "GetZone", "a.example", list, secondary)
		assert.EqualError(t, err, "ionos: GetZone: not found: secondary zone a.example not found")
	})
}

func TestNormalizeReportedName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Example.COM.", "example.com"},
		{"bücher.example", "xn--bcher-kva.example"},
		{"Single.", "single"},
		{"bad..Name", "bad..name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, NormalizeReportedName(tt.in))
			assert.Equal(t, tt.want, NormalizeReportedName(tt.want), "idempotent")
		})
	}
}

package cloudflare

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	cf "github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// TSIGKey is an account-wide TSIG key for authenticated zone transfers. Its
// secret is a [facade.Secret] and never prints: TSIGKey formats itself
// without it with every fmt verb and as a log/slog value.
type TSIGKey struct {
	// ID is the key's identifier; ignored by [Client.CreateTSIG], required
	// by [Client.UpdateTSIG].
	ID string
	// Name is the key name, e.g. "transfer.example.com.".
	Name string
	// Algorithm is one of "hmac-md5.", "hmac-sha1.", "hmac-sha256." and
	// "hmac-sha512." (case-insensitive; the trailing dot is optional on
	// input and always present on the wire). HMAC-MD5 is sent under its
	// RFC 8945 name "hmac-md5.sig-alg.reg.int.", which is also accepted.
	Algorithm string
	// Secret is the base64-encoded shared secret.
	Secret facade.Secret
}

// String describes the key without its secret.
func (k TSIGKey) String() string {
	return fmt.Sprintf("TSIGKey{ID: %q, Name: %q, Algorithm: %q, Secret: %s}", k.ID, k.Name, k.Algorithm, k.Secret)
}

// GoString is like String, for %#v.
func (k TSIGKey) GoString() string { return k.String() }

// Format prints [TSIGKey.String] for every verb.
func (k TSIGKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue implements slog.LogValuer without the secret.
func (k TSIGKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", k.ID), slog.String("name", k.Name),
		slog.String("algorithm", k.Algorithm), slog.Any("secret", k.Secret))
}

// md5Wire is HMAC-MD5's algorithm name (RFC 8945 §6).
const md5Wire = "hmac-md5.sig-alg.reg.int."

// tsigAlgorithms are the algorithms Cloudflare accepts, in wire form.
var tsigAlgorithms = []string{md5Wire, "hmac-sha1.", "hmac-sha256.", "hmac-sha512."}

// normalizeAlgorithm returns the wire form of alg ("hmac-sha256" →
// "hmac-sha256.", "hmac-md5" → "hmac-md5.sig-alg.reg.int."), or an error
// if Cloudflare does not support it.
func normalizeAlgorithm(alg string) (string, error) {
	a := strings.ToLower(alg)
	a = strings.TrimSuffix(a, ".")
	a = strings.TrimSuffix(a, ".sig-alg.reg.int")
	a += "."
	if a == "hmac-md5." {
		a = md5Wire
	}
	for _, ok := range tsigAlgorithms {
		if a == ok {
			return a, nil
		}
	}
	return "", errorf("TSIG algorithm %q: must be one of hmac-md5., hmac-sha1., hmac-sha256., hmac-sha512.", clip(alg, 64))
}

// normalizeTSIGName returns the key name in wire form: lower case with a
// trailing dot.
func normalizeTSIGName(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, ".")) + "."
}

func (k TSIGKey) body() (cf.SecondaryDNSTsigInput, error) {
	var zero cf.SecondaryDNSTsigInput
	if err := core.RequireID("TSIG name", k.Name); err != nil {
		return zero, err
	}
	if k.Name == "." {
		return zero, errorf("TSIG name: must not be the root")
	}
	alg, err := normalizeAlgorithm(k.Algorithm)
	if err != nil {
		return zero, err
	}
	if k.Secret.IsZero() {
		return zero, errorf("TSIG secret: must not be empty")
	}
	if _, err := base64.StdEncoding.DecodeString(k.Secret.Reveal()); err != nil {
		return zero, errorf("TSIG secret: not valid base64")
	}
	return cf.SecondaryDNSTsigInput{Name: normalizeTSIGName(k.Name), Algo: alg, Secret: k.Secret.Reveal()}, nil
}

func convertTSIG(t *cf.SecondaryDNSTsig) TSIGKey {
	if t == nil {
		return TSIGKey{}
	}
	return TSIGKey{ID: deref(t.ID), Name: t.Name, Algorithm: t.Algo, Secret: facade.Secret(t.Secret)}
}

// tsigObjects is the TSIG keys' part of the account-wide object shape.
func (c *Client) tsigObjects() objects[TSIGKey, cf.SecondaryDNSTsig, cf.SecondaryDNSTsigInput] {
	one := func(e *cf.SecondaryDNSSingleResponse) *cf.SecondaryDNSTsig { return e.Result }
	id := func(t *cf.SecondaryDNSTsig) *string { return t.ID }
	return objects[TSIGKey, cf.SecondaryDNSTsig, cf.SecondaryDNSTsigInput]{
		c: c, what: "TSIG",
		input: func(op string, k TSIGKey) (cf.SecondaryDNSTsigInput, error) {
			body, err := k.body()
			if err != nil {
				return body, c.invalid(op, err)
			}
			return body, nil
		},
		id:   func(k TSIGKey) string { return k.ID },
		from: convertTSIG,
		list: func(ctx context.Context, op string) (*[]cf.SecondaryDNSTsig, error) {
			return result(c, op, (*cf.ListTSIGsResponse).GetJSON200,
				func(e *cf.SecondaryDNSResponseCollection) *[]cf.SecondaryDNSTsig { return e.Result },
				hasIDs("TSIG key", id))(c.api.ListTSIGsWithResponse(ctx, c.accountID))
		},
		get: func(ctx context.Context, op, kid string) (*cf.SecondaryDNSTsig, error) {
			return result(c, op, (*cf.GetTSIGResponse).GetJSON200, one)(c.api.GetTSIGWithResponse(ctx, c.accountID, kid))
		},
		create: func(ctx context.Context, op string, in cf.SecondaryDNSTsigInput) (*cf.SecondaryDNSTsig, error) {
			return result(c, op, (*cf.CreateTSIGResponse).GetJSON200, one, hasID("TSIG key", id))(c.api.CreateTSIGWithResponse(ctx, c.accountID, in))
		},
		update: func(ctx context.Context, op, kid string, in cf.SecondaryDNSTsigInput) (*cf.SecondaryDNSTsig, error) {
			return result(c, op, (*cf.UpdateTSIGResponse).GetJSON200, one)(c.api.UpdateTSIGWithResponse(ctx, c.accountID, kid, in))
		},
		remove: func(ctx context.Context, op, kid string) error {
			_, err := envelope(c, op, (*cf.DeleteTSIGResponse).GetJSON200)(c.api.DeleteTSIGWithResponse(ctx, c.accountID, kid))
			return err
		},
	}
}

// ListTSIGs iterates over the account's TSIG keys (the API returns them in
// one page).
func (c *Client) ListTSIGs(ctx context.Context) iter.Seq2[TSIGKey, error] {
	return c.tsigs.List(ctx, "ListTSIGs")
}

// GetTSIG returns the TSIG key with the given ID; an unknown ID yields
// [facade.ErrNotFound].
func (c *Client) GetTSIG(ctx context.Context, id string) (TSIGKey, error) {
	return c.tsigs.Get(ctx, "GetTSIG", id)
}

// CreateTSIG creates a TSIG key from k (k.ID is ignored): the name must be
// non-empty, the algorithm supported and the secret valid base64. Errors
// never contain the secret.
func (c *Client) CreateTSIG(ctx context.Context, k TSIGKey) (TSIGKey, error) {
	return c.tsigs.Create(ctx, "CreateTSIG", k)
}

// UpdateTSIG replaces the key k.ID with k's name, algorithm and secret.
func (c *Client) UpdateTSIG(ctx context.Context, k TSIGKey) (TSIGKey, error) {
	return c.tsigs.Update(ctx, "UpdateTSIG", k)
}

// DeleteTSIG deletes the TSIG key with the given ID.
func (c *Client) DeleteTSIG(ctx context.Context, id string) error {
	return c.tsigs.Delete(ctx, "DeleteTSIG", id)
}

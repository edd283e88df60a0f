package dnswire

import (
	"crypto/hmac"
	"crypto/md5"  //nolint:gosec // hmac-md5 is still a TSIG algorithm some servers use
	"crypto/sha1" //nolint:gosec // hmac-sha1 likewise
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/miekg/dns"

	"github.com/secondarydns/secondarydns-go/facade"
)

// tsigKey is a validated key in the library's form.
type tsigKey struct {
	name, algorithm string // canonical: lower case, fully qualified
	secret          []byte
}

// newTSIGKey validates and converts a key. Errors never carry the secret.
func newTSIGKey(key facade.TSIG) (*tsigKey, error) {
	if err := key.Validate(); err != nil {
		return nil, &Error{Op: "input", Kind: ErrInvalidInput, Detail: "TSIG key", Err: err}
	}
	name := dns.CanonicalName(key.Name)
	if _, ok := dns.IsDomainName(name); !ok {
		return nil, invalid("TSIG key name %q is not a domain name", clip(key.Name))
	}
	alg := dns.CanonicalName(key.Algorithm)
	if alg == "hmac-md5." || alg == "hmac-md5.sig-alg.reg.int" {
		alg = dns.HmacMD5
	}
	raw, _ := base64.StdEncoding.DecodeString(key.Secret.Reveal())
	return &tsigKey{name: name, algorithm: alg, secret: raw}, nil
}

// keyring is a dns.TsigProvider over a set of keys; unlike the library's
// own, it checks that a message's algorithm is its key's and supports
// hmac-md5.
type keyring map[string]*tsigKey

// provider returns a keyring of k alone.
func (k *tsigKey) provider() keyring { return keyring{k.name: k} }

// Generate implements dns.TsigProvider.
func (r keyring) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	k, ok := r[strings.ToLower(t.Hdr.Name)]
	if !ok {
		return nil, dns.ErrSecret
	}
	if dns.CanonicalName(t.Algorithm) != k.algorithm {
		return nil, dns.ErrKeyAlg
	}
	var h func() hash.Hash
	switch k.algorithm {
	case dns.HmacMD5:
		h = md5.New
	case dns.HmacSHA1:
		h = sha1.New
	case dns.HmacSHA224:
		h = sha256.New224
	case dns.HmacSHA256:
		h = sha256.New
	case dns.HmacSHA384:
		h = sha512.New384
	case dns.HmacSHA512:
		h = sha512.New
	default:
		return nil, dns.ErrKeyAlg
	}
	m := hmac.New(h, k.secret)
	m.Write(msg)
	return m.Sum(nil), nil
}

// Verify implements dns.TsigProvider.
func (r keyring) Verify(msg []byte, t *dns.TSIG) error {
	want, err := r.Generate(msg, t)
	if err != nil {
		return err
	}
	got, err := hex.DecodeString(t.MAC)
	if err != nil || !hmac.Equal(got, want) {
		return dns.ErrSig
	}
	return nil
}

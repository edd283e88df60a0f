package facade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretRedaction(t *testing.T) {
	t.Parallel()
	const raw = "c2VjcmV0LXRzaWcta2V5"
	s := Secret(raw)
	tsig := TSIG{Name: "xfr.example.", Algorithm: "hmac-sha256", Secret: s}
	var opts CreateOptions
	WithTSIG(tsig)(&opts)
	values := []any{s, &s, tsig, &tsig, opts, &opts, struct{ S Secret }{s}}
	for _, v := range values {
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out := fmt.Sprintf(f, v)
			assert.NotContains(t, out, raw, "%s of %T", f, v)
		}
	}
	assert.Equal(t, "[REDACTED]", fmt.Sprint(s))
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", s))

	b, err := json.Marshal(tsig)
	require.NoError(t, err)
	assert.NotContains(t, string(b), raw)

	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l.Debug("x", "secret", s, "tsig", tsig)
	l.Debug("y", slog.Any("opts", opts))
	assert.NotContains(t, buf.String(), raw)

	assert.Equal(t, raw, s.Reveal())
	assert.False(t, s.IsZero())
	assert.True(t, Secret("").IsZero())
}

func TestTSIGValidate(t *testing.T) {
	t.Parallel()
	good := TSIG{Name: "xfr.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}
	require.NoError(t, good.Validate())
	for _, alg := range []string{"HMAC-SHA512", "hmac-md5.sig-alg.reg.int.", "hmac-sha1"} {
		g := good
		g.Algorithm = alg
		assert.NoError(t, g.Validate(), alg)
	}
	for name, k := range map[string]TSIG{
		"no name":    {Algorithm: "hmac-sha256", Secret: "c2VjcmV0"},
		"space name": {Name: "a b", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"},
		"bad alg":    {Name: "k", Algorithm: "sha256", Secret: "c2VjcmV0"},
		"no secret":  {Name: "k", Algorithm: "hmac-sha256"},
		"not base64": {Name: "k", Algorithm: "hmac-sha256", Secret: "not base64!"},
	} {
		err := k.Validate()
		assert.ErrorIs(t, err, ErrInvalidInput, name)
		if err != nil && k.Secret != "" {
			assert.NotContains(t, err.Error(), k.Secret.Reveal(), name)
		}
	}
}

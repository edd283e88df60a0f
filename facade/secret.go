package facade

import (
	"fmt"
	"log/slog"
)

// redacted is what a [Secret] prints as.
const redacted = "[REDACTED]"

// Secret holds a credential (an API token, a TSIG secret). It prints as
// "[REDACTED]" with every fmt verb (%v, %+v, %#v, %s, %q, ...), as a
// log/slog value and in JSON, so it cannot leak through logs or error
// messages by accident. Use [Secret.Reveal] where the raw value is needed.
type Secret string

// Reveal returns the raw secret. Call it only where the value is sent to the
// provider.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]", for %#v.
func (s Secret) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		_, _ = fmt.Fprintf(f, "%q", redacted)
		return
	}
	_, _ = f.Write([]byte(redacted))
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes the secret as "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as [REDACTED].
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

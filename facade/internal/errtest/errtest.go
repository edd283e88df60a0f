// Package errtest holds the assertion the adapters' tests share about the
// errors they return. It is imported by tests only.
package errtest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
)

// RequireKind asserts that err is a *facade.Error matching kind (with
// errors.Is) for the given provider and operation, and returns it.
func RequireKind(t testing.TB, err error, kind error, provider, op string) *facade.Error {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind, "%v", err)
	var fe *facade.Error
	require.True(t, errors.As(err, &fe), "%T is not a *facade.Error", err)
	require.Equal(t, op, fe.Operation, "%v", err)
	require.Equal(t, provider, fe.Provider, "%v", err)
	return fe
}

package cloudflare

import (
	"errors"
	"fmt"
	"strconv"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func itoa(i int) string { return strconv.Itoa(i) }

// errorf builds a plain validation error; callers wrap it with
// Client.invalid, which makes it an ErrInvalidInput *facade.Error.
func errorf(format string, args ...any) error {
	if len(args) == 0 {
		return errors.New(format)
	}
	return fmt.Errorf(format, args...)
}

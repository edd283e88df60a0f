//go:build tools

// This file pins the code generator as a tool dependency of the module, so
// that `go generate ./...` runs the version recorded in go.mod and go.sum.
package secondarydns

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)

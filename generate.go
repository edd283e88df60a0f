package secondarydns

// Code generation, run from the repository root by `go generate ./...`:
// first the prepared specs are rewritten from the vendored upstream files and
// the overlays (scripts/prepare), then one client package per provider is
// generated from them, each with its configuration beside it under gen/.

//go:generate go run ./scripts/prepare
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/ionosapi/config.yaml specs/ionos/prepared.json
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/dnsimpleapi/config.yaml specs/dnsimple/prepared.json
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/cloudflareapi/config.yaml specs/cloudflare/prepared.json

// Package live holds tests against the real provider APIs. They only build
// with the "live" tag and skip without credentials: see live_test.go.
package live

// Package bench holds the performance benchmarks of secondarydns-go (issue
// 7): per-call CPU time, bytes and allocations of the facade, the generated
// clients, a raw net/http + encoding/json baseline and the official SDKs,
// against a canned-response HTTP server on loopback; the streaming-memory
// benchmark; and, in cmd/, the minimal programs whose clean-cache build time
// and binary size scripts/bench.sh measures.
//
// It is a separate module so that the official SDKs never enter the root
// module's dependency graph. See docs/PERFORMANCE.md.
package bench

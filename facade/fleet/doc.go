// Package fleet manages many secondary zones across provider accounts from
// one declared desired state: a YAML file ([ParseConfig]) or an RFC 9432
// catalog zone ([ParseCatalog]).
//
// The flow is plan, then apply:
//
//	cfg, err := fleet.ParseConfig("fleet.yaml", data)
//	plan, err := fleet.MakePlan(ctx, fleet.DesiredFromConfig(cfg), targets)
//	err = fleet.Apply(ctx, plan, targets, fleet.ApplyOptions{Thresholds: fleet.DefaultThresholds()})
//
// A [Plan] is a plain, JSON-serialisable value listing per provider what
// would be created, re-pointed, re-created and deleted. [Apply] carries it
// out concurrently, reports progress through a callback, refuses plans over
// the safety [Thresholds] unless forced, and converges when re-run after an
// interruption. Requests are paced per provider account by a [Pacer]
// installed as the clients' HTTP transport.
//
// The package speaks only the neutral [facade.SecondaryDNS] interface: the
// caller wires in concrete provider clients as [Target]s.
package fleet

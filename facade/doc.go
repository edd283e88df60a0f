// Package facade is the provider-neutral layer of the secondarydns-go SDK:
// what a program managing secondary DNS zones at IONOS Cloud DNS, DNSimple
// and Cloudflare reads and calls. The provider clients live in
// facade/ionos, facade/dnsimple and facade/cloudflare; each implements
// [SecondaryDNS] and offers typed methods for its provider's own objects.
//
// # Contents
//
//   - [SecondaryDNS], [Zone], [Primary], [TSIG], [TransferStatus],
//     [Readiness] and [Capabilities]: the provider-neutral contract, with
//     the [CreateOption]s of [SecondaryDNS.CreateZone].
//   - [Error] and the Err* sentinels: the single error type every client
//     returns, and [OutcomeUnknown] for failures that may have taken effect.
//   - [Option]s shared by every client's constructor: [WithBaseURL],
//     [WithHTTPClient], [WithRetryPolicy] ([RetryPolicy]), [WithListLimits]
//     ([ListLimits]), [WithLogger], [WithUserAgent], [WithMaxBodyBytes],
//     [WithPolling] and [WithPrivatePrimaries].
//   - Validation that runs before any request, for callers to use too:
//     [NormalizeZoneName], [ParseIP], [ParsePrimary], [ValidatePort],
//     [ValidatePrimaries], [CheckPrimaryAddr] and [TSIG.Validate].
//   - [Secret] for credentials, [Collect] and [Poll] as small helpers.
//
// A client, e.g. from ionos.New, sends every request through one HTTP
// transport per client that authenticates with a bearer token sent to the
// base URL's origin only (redirects are never followed), retries with
// capped exponential backoff and full jitter ([RetryPolicy]), honours
// Retry-After and X-RateLimit-Reset, caps response body sizes, bounds every
// listing ([ListLimits]) and logs each attempt through log/slog (see
// [WithLogger]) without ever logging credentials.
//
// # Errors
//
// Every error returned by the facade is a *[Error]. Use errors.Is with the
// sentinels ([ErrNotFound], [ErrConflict], [ErrRateLimited], ...) to tell
// failure classes apart, errors.Is with context.Canceled or
// context.DeadlineExceeded to detect cancellation, and errors.As to read the
// provider's status code, error codes, messages and request id.
//
// # Secrets
//
// API tokens and TSIG secrets are held in [Secret], which prints as
// "[REDACTED]" through fmt, log/slog and encoding/json. The clients never
// log headers or bodies.
package facade

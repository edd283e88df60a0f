// Package facade is the hand-written, provider-neutral layer of the
// secondarydns-go SDK. It sits on top of the oapi-codegen generated clients in
// gen/ionosapi, gen/dnsimpleapi and gen/cloudflareapi.
//
// # Layout
//
// This package holds the shared core that every provider adapter uses:
//
//   - [SecondaryDNS], [Zone], [Primary], [TransferStatus], [TSIG] and the
//     [CreateOption] helpers: the provider-neutral contract.
//   - [Core]: one HTTP transport per provider client. It implements the
//     generated clients' HttpRequestDoer, adds authentication, User-Agent and
//     Accept headers, retries with capped exponential backoff and full jitter,
//     honours Retry-After / X-RateLimit-Reset, caps response body sizes and
//     logs each attempt through log/slog without ever logging credentials.
//   - [Error] and the Err* sentinels: the single error type returned by every
//     adapter, with [DecodeErrorBody] turning provider error bodies into it
//     and [Core.Check] / [Core.CheckResponse] classifying the outcome of every
//     generated call; [Core.Errorf], [Core.Unsupported] and [Core.Wrap]
//     build and relabel errors for failures an adapter decides itself.
//   - [Paginate], [PaginateFor], [PaginateUnique] and [Collect]: pagination
//     written once, as iter.Seq2, bounded by [ListLimits] whatever the
//     server's cursors say; [FindZone]: a zone name resolved through a
//     listing.
//   - [NormalizeZoneName], [ParseIP], [ParsePrimary], [ValidatePort],
//     [RequireID], [ValidatePrimaries], [CheckPrimaryAddr] and
//     [Core.ValidatePrimaries]: input validation that runs before any
//     request is sent; [NormalizeReportedName] for names a provider returns.
//   - [Core.CheckName] and [Core.Unexpected]: an answer about another zone,
//     or a 2xx without the expected resource, becomes
//     [ErrUnexpectedResponse] keeping status and request id.
//   - [Lock]: the per-client provisioning lock whose wait honours ctx.
//
// The adapters live in sub-packages: facade/ionos, facade/dnsimple and
// facade/cloudflare. A typical adapter method is a handful of lines:
//
//	func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
//		name, err := facade.NormalizeZoneName(name)
//		if err != nil {
//			return facade.Zone{}, c.core.Invalid("GetZone", err)
//		}
//		rsp, err := c.api.GetZoneWithResponse(ctx, name)
//		if err := c.core.CheckResponse("GetZone", rsp, err); err != nil {
//			return facade.Zone{}, err
//		}
//		return convertZone(rsp.JSON200), nil
//	}
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
// "[REDACTED]" through fmt, log/slog and encoding/json. [Core] never logs
// headers or bodies.
package facade

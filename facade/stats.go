package facade

// Stats are the cumulative HTTP counters of a provider client, returned by
// its Stats method (e.g. ionos.Client.Stats).
type Stats struct {
	// Attempts counts HTTP attempts sent (first tries and retries).
	Attempts int64
	// Retries counts attempts that were retries.
	Retries int64
}

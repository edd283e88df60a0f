package verify

import "errors"

// defaultQuerier is the module's DNS client.
func defaultQuerier() (Querier, error) {
	return nil, errors.New("no querier: pass WithQuerier (the default DNS client is not wired in yet)")
}

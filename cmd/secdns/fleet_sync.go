package main

import "context"

// fleetSync follows a catalog zone; see fleet_catalog.go.
func fleetSync(ctx context.Context, a *app, fo *fleetOptions) error {
	return usagef("fleet sync: the catalog zone source is not available in this build")
}

package primary_test

import (
	"context"
	"fmt"

	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
)

// A primary serves example.com; a secondary (here a bare dnswire server)
// registered as NOTIFY target hears about every serial bump.
func Example() {
	ctx := context.Background()
	p, err := primary.Start(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	if _, err := p.SetZone("example.com", primary.ExampleZone("example.com", 1)); err != nil {
		fmt.Println(err)
		return
	}
	notified := make(chan uint32, 1)
	sec, err := dnswire.Listen(ctx, dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
		notified <- n.Serial
		return nil
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sec.Close()
	p.AddNotifyTarget("example.com", sec.Addr())

	serial, results, err := p.Bump(ctx, "example.com")
	fmt.Println(serial, results[0].Err, err, <-notified)
	// Output: 2 <nil> <nil> 2
}

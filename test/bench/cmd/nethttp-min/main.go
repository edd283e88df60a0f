// Command nethttp-min makes one authenticated GET with net/http and decodes
// it with encoding/json: the build-time and binary-size baseline
// (scripts/bench.sh build).
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

type zone struct {
	ID         string `json:"id"`
	Properties struct {
		ZoneName   string   `json:"zoneName"`
		PrimaryIPs []string `json:"primaryIps"`
	} `json:"properties"`
	Metadata struct {
		State       string    `json:"state"`
		CreatedDate time.Time `json:"createdDate"`
	} `json:"metadata"`
}

func main() {
	base := "https://dns.de-fra.ionos.com"
	if len(os.Args) > 1 {
		base = os.Args[1]
	}
	req, err := http.NewRequest(http.MethodGet, base+"/secondaryzones/"+os.Getenv("IONOS_ZONE_ID"), nil)
	check(err)
	req.Header.Set("Authorization", "Bearer "+os.Getenv("IONOS_TOKEN"))
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	check(err)
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		check(fmt.Errorf("status %s", resp.Status))
	}
	var z zone
	check(json.NewDecoder(resp.Body).Decode(&z))
	fmt.Println(z.Properties.ZoneName)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

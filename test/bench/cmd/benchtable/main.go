// Command benchtable reads `go test -bench -benchmem` output (any -count)
// on standard input and prints one Markdown table: per benchmark the median
// of each metric over the runs, and the ratio of ns/op, cpu-ns/op, B/op and
// allocs/op to the "raw" baseline of the same group (the benchmark name
// without its last element). Other metrics (peak-live-B, ...) are printed in
// a second table. Lines that are not benchmark results are ignored.
//
//	go test -run='^$' -bench=. -benchmem -count=6 . | go run ./cmd/benchtable
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var mainUnits = []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op"}

// result holds every sample of every metric of one benchmark.
type result struct {
	name    string
	samples map[string][]float64
}

var procSuffix = regexp.MustCompile(`-\d+$`)

func parse(r io.Reader) ([]*result, error) {
	byName := map[string]*result{}
	var order []*result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		res := byName[name]
		if res == nil {
			res = &result{name: name, samples: map[string][]float64{}}
			byName[name] = res
			order = append(order, res)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			res.samples[f[i+1]] = append(res.samples[f[i+1]], v)
		}
	}
	return order, sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is (max-min)/median in percent, a crude noise indicator.
func spread(v []float64) float64 {
	m := median(v)
	if len(v) < 2 || m == 0 {
		return 0
	}
	return (slices.Max(v) - slices.Min(v)) / m * 100
}

func group(name string) (string, string) {
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return name, ""
	}
	return name[:i], name[i+1:]
}

func human(v float64, unit string) string {
	switch {
	case unit == "allocs/op":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case strings.HasSuffix(unit, "ns/op"):
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.2fs", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.2fms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.0fµs", v/1e3)
		}
		return fmt.Sprintf("%.0fns", v)
	case strings.HasSuffix(unit, "B/op") || strings.HasSuffix(unit, "-B"):
		switch {
		case v >= 1<<20:
			return fmt.Sprintf("%.2f MiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1f KiB", v/(1<<10))
		}
		return fmt.Sprintf("%.0f B", v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func main() {
	showSpread := flag.Bool("spread", true, "print the spread (max-min)/median of cpu-ns/op")
	flag.Parse()
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(results) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on standard input")
		os.Exit(1)
	}
	med := map[string]map[string]float64{}
	for _, r := range results {
		med[r.name] = map[string]float64{}
		for u, v := range r.samples {
			med[r.name][u] = median(v)
		}
	}
	w := bufio.NewWriter(os.Stdout)
	defer func() { _ = w.Flush() }()

	fmt.Fprintln(w, "| benchmark | impl | runs | ns/op | ×raw | cpu-ns/op | ×raw | B/op | ×raw | allocs/op | ×raw |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	var extra []*result
	for _, r := range results {
		if _, ok := r.samples["ns/op"]; !ok {
			continue
		}
		g, impl := group(r.name)
		base := med[g+"/raw"]
		if slices.ContainsFunc(slices.Collect(maps.Keys(r.samples)), func(u string) bool { return !slices.Contains(mainUnits, u) }) {
			extra = append(extra, r)
			if base == nil {
				continue // no baseline: only in the second table
			}
		}
		row := []string{g, impl, strconv.Itoa(len(r.samples["ns/op"]))}
		for _, u := range mainUnits {
			v, ok := med[r.name][u]
			if !ok {
				row = append(row, "–", "")
				continue
			}
			cell := human(v, u)
			if u == "cpu-ns/op" && *showSpread && len(r.samples[u]) > 1 {
				cell += fmt.Sprintf(" ±%.0f%%", spread(r.samples[u])/2)
			}
			ratio := ""
			if b, ok := base[u]; ok && b > 0 {
				ratio = fmt.Sprintf("%.2f", v/b)
			}
			row = append(row, cell, ratio)
		}
		fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
	}
	if len(extra) > 0 {
		fmt.Fprintln(w)
		var units []string
		for _, r := range extra {
			for u := range r.samples {
				if !slices.Contains(mainUnits, u) && !slices.Contains(units, u) {
					units = append(units, u)
				}
			}
		}
		sort.Strings(units)
		fmt.Fprintln(w, "| benchmark | "+strings.Join(units, " | ")+" |")
		fmt.Fprintln(w, "|---|"+strings.Repeat("--:|", len(units)))
		for _, r := range extra {
			row := []string{r.name}
			for _, u := range units {
				if v, ok := med[r.name][u]; ok {
					row = append(row, human(v, u))
				} else {
					row = append(row, "–")
				}
			}
			fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
		}
	}
}

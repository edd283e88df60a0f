package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

// progressView shows an apply's progress: a redrawn bar with counts and an
// ETA on a terminal, one plain line per change otherwise.
type progressView struct {
	w     io.Writer
	mode  string // "bar", "lines" or "none"
	total int
	last  time.Time
	drawn bool
}

// progressWriter picks the display: mode "auto" draws a bar when stderr is
// a terminal.
func (a *app) progressWriter(mode string, total int) *progressView {
	if mode == "auto" {
		mode = "lines"
		if f, ok := a.stderr.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				mode = "bar"
			}
		}
	}
	return &progressView{w: a.stderr, mode: mode, total: total}
}

func (v *progressView) update(p fleet.Progress) {
	switch v.mode {
	case "lines":
		status := "ok"
		if p.Err != nil {
			status = "FAILED: " + oneLine(p.Err.Error())
		}
		fmt.Fprintf(v.w, "[%d/%d] %s %s %s: %s\n", p.Done, p.Total, p.Provider, p.Change.Action, p.Change.Zone, status)
	case "bar":
		if p.Err != nil {
			fmt.Fprintf(v.w, "\r\033[K%s %s %s FAILED: %s\n", p.Provider, p.Change.Action, p.Change.Zone, oneLine(p.Err.Error()))
		}
		now := time.Now()
		if p.Done < p.Total && now.Sub(v.last) < 100*time.Millisecond {
			return
		}
		v.last = now
		fmt.Fprintf(v.w, "\r\033[K%s", bar(p, now))
		v.drawn = true
	}
}

// bar renders "[=====>    ] 512/10000 (3 failed) 5.1%, ETA 1h12m".
func bar(p fleet.Progress, now time.Time) string {
	const width = 30
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	n := int(frac * width)
	b := strings.Repeat("=", n)
	if n < width {
		b += ">" + strings.Repeat(" ", width-n-1)
	}
	eta := "?"
	if p.Done > 0 && p.Done < p.Total {
		el := now.Sub(p.Started)
		eta = (time.Duration(float64(el) / float64(p.Done) * float64(p.Total-p.Done))).Round(time.Second).String()
	} else if p.Done == p.Total {
		eta = "done"
	}
	failed := ""
	if p.Failed > 0 {
		failed = fmt.Sprintf(" (%d failed)", p.Failed)
	}
	return fmt.Sprintf("[%s] %d/%d%s %.1f%%, ETA %s", b, p.Done, p.Total, failed, frac*100, eta)
}

func (v *progressView) finish() {
	if v.drawn {
		fmt.Fprintln(v.w)
	}
}

package fleet

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

// TransferCatalog returns a [CatalogFetcher] that transfers the catalog
// zone from primary by AXFR, signed with key if it is not nil.
func TransferCatalog(primary facade.Primary, zone string, key *facade.TSIG) CatalogFetcher {
	server := netip.AddrPortFrom(primary.Addr, primary.PortOrDefault()).String()
	return func(ctx context.Context) ([]CatalogRecord, error) {
		var opts []dnswire.Option
		if key != nil {
			opts = append(opts, dnswire.WithTSIG(*key))
		}
		z, err := dnswire.Transfer(ctx, server, zone, opts...)
		if err != nil {
			return nil, fmt.Errorf("catalog %s from %s: %w", zone, server, err)
		}
		recs := z.Records()
		out := make([]CatalogRecord, 0, len(recs))
		for _, r := range recs {
			cr := CatalogRecord{Name: r.Name, Type: r.Type}
			switch r.Type {
			case "PTR":
				cr.Target = r.Data
			case "TXT":
				cr.Text = parseTXT(r.Data)
			}
			out = append(out, cr)
		}
		return out, nil
	}
}

// parseTXT splits TXT record data in presentation form ("a" "b c", or
// unquoted words) into its character strings, undoing backslash escapes.
func parseTXT(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
				cur.WriteByte(byte((int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')) & 0xff))
				i += 3
			} else {
				cur.WriteByte(s[i+1])
				i++
			}
			have = true
		case c == '"':
			if inQuote {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
			inQuote = !inQuote
		case (c == ' ' || c == '\t') && !inQuote:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// NotifyListener receives NOTIFY messages for a catalog zone.
type NotifyListener struct {
	srv *dnswire.Server
	c   chan struct{}
}

// ListenNotify listens for NOTIFY on addr ("ip:port", UDP and TCP) and
// signals C for every NOTIFY of zone sent from primary's address (others
// are ignored: a NOTIFY only triggers a transfer, which is itself
// authenticated, but nobody else gets to trigger them). Signals coalesce
// while a round is running. Close it when done.
func ListenNotify(ctx context.Context, addr string, primary facade.Primary, zone string, keys ...facade.TSIG) (*NotifyListener, error) {
	want, err := facade.NormalizeZoneName(zone)
	if err != nil {
		return nil, err
	}
	l := &NotifyListener{c: make(chan struct{}, 1)}
	opts := []dnswire.ServerOption{dnswire.WithListenAddr(addr), dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
		if strings.TrimSuffix(n.Zone, ".") != want || n.From.Addr().Unmap() != primary.Addr.Unmap() {
			return nil
		}
		select {
		case l.c <- struct{}{}:
		default:
		}
		return nil
	})}
	if len(keys) > 0 {
		opts = append(opts, dnswire.WithTransferTSIG(keys...))
	}
	if l.srv, err = dnswire.Listen(ctx, opts...); err != nil {
		return nil, err
	}
	return l, nil
}

// C signals NOTIFYs; give it to [SyncOptions.Notify].
func (l *NotifyListener) C() <-chan struct{} { return l.c }

// Addr is the address listened on.
func (l *NotifyListener) Addr() string { return l.srv.Addr() }

// Close stops listening.
func (l *NotifyListener) Close() error { return l.srv.Close() }

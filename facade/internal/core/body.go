package core

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// successBody is the body of a 2xx response as the generated parsers read
// it: streamed, not buffered a second time. It enforces the body size cap
// and, for a JSON-typed body, checks at EOF that the first and last non-space
// bytes can open and close a JSON value, so that an HTML page or a truncated
// body is reported with its status. Either failure is an *Error, returned by
// Read, which the generated client hands back unchanged.
//
// A failure of the underlying read (the connection dropped, or the caller's
// context ended after the answer's header arrived) is also an *Error: of
// kind ErrTransport, keeping the 2xx StatusCode and the request ID, so the
// caller learns that the server did act although the body was lost.
type successBody struct {
	rc   io.ReadCloser
	ctx  context.Context
	c    *Core
	resp *http.Response
	json bool
	// done ends the attempt's deadline; called by Close.
	done context.CancelFunc

	n           int64
	first, last byte
	head        [maxSnippetBytes]byte // the start of the body, for the error's snippet
	headLen     int
	err         error
}

func (c *Core) newSuccessBody(ctx context.Context, resp *http.Response, done context.CancelFunc) *successBody {
	return &successBody{rc: resp.Body, ctx: ctx, c: c, resp: resp, json: isJSONContent(resp.Header), done: done}
}

// Read implements io.Reader.
func (b *successBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	if n > 0 {
		b.n += int64(n)
		if b.n > b.c.maxBody {
			b.err = b.c.tooLarge(b.resp)
			return 0, b.err
		}
		if b.json {
			b.observe(p[:n])
		}
	}
	switch {
	case err == nil:
	case err == io.EOF:
		if b.json && b.first != 0 && !plausibleJSON(b.first, b.last) {
			b.err = b.c.undecodable(b.resp, b.head[:b.headLen], nil, "response body is not valid JSON")
			return n, b.err
		}
	default:
		b.err = b.lost(err)
		return n, b.err
	}
	return n, err
}

// lost is the error for a success body whose reading failed.
func (b *successBody) lost(err error) *facade.Error {
	e := transportError(b.c.provider, "", b.ctx.Err(), err)
	e.StatusCode = b.resp.StatusCode
	e.RequestID = b.c.info.RequestID(b.resp.Header)
	e.Messages = []string{"the server answered " + strconv.Itoa(b.resp.StatusCode) +
		" (the request took effect), but its body could not be read: " + text.Clip(err.Error(), maxMessageBytes)}
	return e
}

// observe records the start of the body and its first and last non-space
// bytes.
func (b *successBody) observe(chunk []byte) {
	if b.headLen < len(b.head) {
		b.headLen += copy(b.head[b.headLen:], chunk)
	}
	if b.first == 0 {
		for _, ch := range chunk {
			if !isJSONSpace(ch) {
				b.first = ch
				break
			}
		}
	}
	for i := len(chunk) - 1; i >= 0; i-- {
		if !isJSONSpace(chunk[i]) {
			b.last = chunk[i]
			break
		}
	}
}

// Close implements io.Closer; it also ends the attempt's deadline.
func (b *successBody) Close() error {
	err := b.rc.Close()
	b.done()
	return err
}

func isJSONSpace(ch byte) bool { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' }

// plausibleJSON reports whether a value starting with first and ending with
// last can be JSON. It is a cheap guard against HTML pages and truncated
// bodies, not a validator: the generated parser decodes the body anyway.
func plausibleJSON(first, last byte) bool {
	switch first {
	case '{':
		return last == '}'
	case '[':
		return last == ']'
	case '"':
		return last == '"'
	case 't', 'f':
		return last == 'e'
	case 'n':
		return last == 'l'
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return last >= '0' && last <= '9'
	}
	return false
}

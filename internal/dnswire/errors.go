package dnswire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"github.com/miekg/dns"
)

// Sentinels matched with errors.Is against the [*Error] values this package
// returns.
var (
	// ErrRefused: the server answered REFUSED.
	ErrRefused = errors.New("refused")
	// ErrNotAuth: the server answered NOTAUTH (not authoritative, or the
	// request's TSIG was not accepted).
	ErrNotAuth = errors.New("not authoritative")
	// ErrServFail: the server answered SERVFAIL.
	ErrServFail = errors.New("server failure")
	// ErrNXDomain: the server answered NXDOMAIN.
	ErrNXDomain = errors.New("no such domain")
	// ErrRcode: the server answered with another non-success rcode
	// (FORMERR, NOTIMP, ...).
	ErrRcode = errors.New("error rcode")
	// ErrTSIG: a TSIG failure: the server rejected our key or signature, or
	// its answer was unsigned or did not verify.
	ErrTSIG = errors.New("TSIG failure")
	// ErrTimeout: no answer before the deadline.
	ErrTimeout = errors.New("timeout")
	// ErrUnreachable: the connection failed (refused, reset, no route).
	ErrUnreachable = errors.New("unreachable")
	// ErrBadAnswer: an answer that does not fit the question: another owner
	// name, class or type, no SOA, a malformed or overlong transfer.
	ErrBadAnswer = errors.New("bad answer")
	// ErrInvalidInput: bad arguments, reported before anything is sent.
	ErrInvalidInput = errors.New("invalid input")
)

// Error is a failed DNS operation. It matches its Kind (one of the sentinels)
// and its cause with errors.Is / errors.As.
type Error struct {
	// Op is the operation: "soa", "axfr" or "notify".
	Op string
	// Server is the address asked, "ip:port".
	Server string
	// Zone is the zone asked about.
	Zone string
	// Rcode is the answer's rcode name (e.g. "REFUSED"), empty when there was
	// no answer; for TSIG failures reported by the server it includes the
	// TSIG error (e.g. "NOTAUTH/BADKEY").
	Rcode string
	// Kind is the sentinel this error matches.
	Kind error
	// Detail says what was wrong, without secrets.
	Detail string
	// Err is the underlying cause, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	msg := "dns " + e.Op
	if e.Zone != "" {
		msg += " " + e.Zone
	}
	if e.Server != "" {
		msg += " at " + e.Server
	}
	msg += ": " + e.Kind.Error()
	if e.Rcode != "" {
		msg += " (" + e.Rcode + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// rcodeKind maps an rcode to its sentinel.
func rcodeKind(rcode int) error {
	switch rcode {
	case dns.RcodeRefused:
		return ErrRefused
	case dns.RcodeNotAuth:
		return ErrNotAuth
	case dns.RcodeServerFailure:
		return ErrServFail
	case dns.RcodeNameError:
		return ErrNXDomain
	default:
		return ErrRcode
	}
}

// rcodeName is the rcode's mnemonic, or its number.
func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// isTSIGError reports whether err is the library's TSIG verification failure.
func isTSIGError(err error) bool {
	for _, e := range []error{dns.ErrAuth, dns.ErrSig, dns.ErrKey, dns.ErrTime, dns.ErrNoSig, dns.ErrSecret, dns.ErrKeyAlg} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// netKind classifies a transport error; ctx decides between a timeout and a
// cancellation.
func netKind(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			return ErrTimeout
		}
		return cerr
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		return ErrTimeout
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return ErrUnreachable
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return ErrUnreachable
	}
	return ErrBadAnswer
}

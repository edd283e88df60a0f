package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// newHTTPClient returns the client upstream documents are fetched with: every
// phase of a request has its own time limit, on top of the context's.
func newHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 90 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       30 * time.Second,
			MaxIdleConnsPerHost:   2,
		},
	}
}

// fetch reads an upstream document from src: an http(s) URL, a file:// URL or
// a local path. It reads at most maxBytes.
func fetch(ctx context.Context, client *http.Client, src string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(src)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return fetchHTTP(ctx, client, src, maxBytes)
	}
	path := src
	if err == nil && u.Scheme == "file" {
		path = u.Path
	} else if err == nil && u.Scheme != "" && len(u.Scheme) > 1 { // one letter: a Windows drive
		return nil, fmt.Errorf("unsupported source %q: want an http(s) URL, a file:// URL or a path", src)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, maxBytes)
}

func fetchHTTP(ctx context.Context, client *http.Client, src string, maxBytes int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "secondarydns-go-drift (+https://github.com/secondarydns/secondarydns-go)")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("GET %s: HTTP %s", src, resp.Status)
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("GET %s: %d bytes, more than the %d accepted (-max-bytes)", src, resp.ContentLength, maxBytes)
	}
	b, err := readCapped(resp.Body, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", src, err)
	}
	return b, nil
}

var errTooLarge = errors.New("document too large")

func readCapped(r io.Reader, maxBytes int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("%w: more than the %d bytes accepted (-max-bytes)", errTooLarge, maxBytes)
	}
	return b, nil
}

// oneLine makes an error message fit the one line a provider gets.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

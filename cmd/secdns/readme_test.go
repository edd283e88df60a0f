package main

// The README's Go programs marked <!-- go:compile --> must compile as
// written: each is built as a package of this module through a build
// overlay (nothing is written into the source tree), so a renamed function,
// a changed signature or a missing import breaks this test.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compileMarker marks a fenced ```go block of README.md that is a complete
// program.
const compileMarker = "<!-- go:compile -->"

// readmeSnippets returns the marked Go blocks of a Markdown text, with the
// line each starts at.
func readmeSnippets(md string) (map[int]string, error) {
	out := map[int]string{}
	sc := bufio.NewScanner(strings.NewReader(md))
	line, marked, in, start := 0, false, false, 0
	var b strings.Builder
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case in && strings.TrimSpace(text) == "```":
			out[start] = b.String()
			b.Reset()
			in = false
		case in:
			b.WriteString(text)
			b.WriteByte('\n')
		case strings.TrimSpace(text) == compileMarker:
			marked = true
		case marked && strings.TrimSpace(text) == "```go":
			in, marked, start = true, false, line+1
		case marked && strings.TrimSpace(text) != "":
			return nil, fmt.Errorf("line %d: %s must stand right before a ```go block", line, compileMarker)
		}
	}
	if in {
		return nil, fmt.Errorf("line %d: unterminated ```go block", start)
	}
	return out, sc.Err()
}

// buildSnippet builds src as a main package of the module rooted at root,
// through an overlay, and returns the compiler's output on failure.
func buildSnippet(t *testing.T, root, src string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
	pkg := filepath.Join(root, "readme-snippet-"+filepath.Base(dir))
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(pkg, "main.go"): file}})
	require.NoError(t, err)
	ov := filepath.Join(dir, "overlay.json")
	require.NoError(t, os.WriteFile(ov, overlay, 0o600))
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", filepath.Join(dir, "snippet"), "./"+filepath.Base(pkg))
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestREADMECompiles(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	snippets, err := readmeSnippets(string(md))
	require.NoError(t, err)
	require.NotEmpty(t, snippets, "README.md has no %s block: the library quick start must be one", compileMarker)
	for line, src := range snippets {
		t.Run(fmt.Sprintf("README.md:%d", line), func(t *testing.T) {
			t.Parallel()
			out, err := buildSnippet(t, root, src)
			assert.NoError(t, err, "the Go block at README.md:%d does not build:\n%s", line, out)
			formatted, err := format.Source([]byte(src))
			require.NoError(t, err)
			assert.Equal(t, string(formatted), src, "the Go block at README.md:%d is not gofmt-formatted", line)
		})
	}
	t.Run("a broken snippet fails", func(t *testing.T) {
		t.Parallel()
		broken := strings.Replace(snippets[minKey(snippets)], "strconv.ParseInt(", "strconv.ParseInt64(", 1)
		require.NotEqual(t, snippets[minKey(snippets)], broken)
		out, err := buildSnippet(t, root, broken)
		assert.Error(t, err, "a call to a function that does not exist must not build")
		assert.Contains(t, out, "ParseInt64")
	})
}

func minKey(m map[int]string) int {
	k := -1
	for i := range m {
		if k < 0 || i < k {
			k = i
		}
	}
	return k
}

func TestReadmeSnippetsParser(t *testing.T) {
	t.Parallel()
	md := "text\n" + compileMarker + "\n```go\npackage main\n```\n\n```go\nnot marked\n```\n" + compileMarker + "\n\n```go\nb\n```\n"
	got, err := readmeSnippets(md)
	require.NoError(t, err)
	assert.Equal(t, map[int]string{4: "package main\n", 13: "b\n"}, got)
	_, err = readmeSnippets(compileMarker + "\nsome prose\n```go\nx\n```\n")
	assert.ErrorContains(t, err, "must stand right before")
	_, err = readmeSnippets(compileMarker + "\n```go\nx\n")
	assert.ErrorContains(t, err, "unterminated")
}

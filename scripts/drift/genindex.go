package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"slices"
	"strings"
)

// genIndex maps a generated client's top-level declarations to the
// operations that use them. An operation's declarations are those named after
// it (XParams, XResponse, NewXRequest, ParseXResponse, the X and
// XWithResponse methods, ...) and every type they reach, with the constants
// of those types; shared types belong to every operation that reaches them.
type genIndex struct {
	// ops maps an operation ID to the names of its declarations.
	ops map[string][]string
	// decls maps a declaration's name to its source without comments.
	decls map[string]string
	// constType maps a typed constant to its type's name.
	constType map[string]string
	// opIDs are the operations indexed.
	opIDs []string
}

// indexGenerated parses a generated Go file and indexes it for opIDs.
func indexGenerated(src []byte, opIDs []string) (*genIndex, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "gen.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	idx := &genIndex{ops: map[string][]string{}, decls: map[string]string{}, constType: map[string]string{}, opIDs: opIDs}
	nodes := map[string][]ast.Node{}  // name → declaration parts
	constsOf := map[string][]string{} // type name → its constants
	isType := map[string]bool{}
	print := func(n ast.Node) string {
		var b bytes.Buffer
		_ = printer.Fprint(&b, fset, n)
		return b.String()
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = recvName(d.Recv.List[0].Type) + "." + name
			}
			nodes[name] = append(nodes[name], d)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					nodes[s.Name.Name] = append(nodes[s.Name.Name], s)
					isType[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						nodes[n.Name] = append(nodes[n.Name], s)
						if id, ok := s.Type.(*ast.Ident); ok && d.Tok == token.CONST {
							constsOf[id.Name] = append(constsOf[id.Name], n.Name)
							idx.constType[n.Name] = id.Name
						}
					}
				}
			}
		}
	}
	for name, ns := range nodes {
		var parts []string
		for _, n := range ns {
			parts = append(parts, print(n))
		}
		idx.decls[name] = strings.Join(parts, "\n")
	}
	refs := func(name string) []string {
		var out []string
		for _, n := range nodes[name] {
			ast.Inspect(n, func(x ast.Node) bool {
				switch x := x.(type) {
				case *ast.SelectorExpr:
					ast.Inspect(x.X, func(y ast.Node) bool {
						if id, ok := y.(*ast.Ident); ok && isType[id.Name] {
							out = append(out, id.Name)
						}
						return true
					})
					return false
				case *ast.FuncDecl: // not the receiver
					if x.Type != nil {
						ast.Inspect(x.Type, func(y ast.Node) bool {
							if id, ok := y.(*ast.Ident); ok && isType[id.Name] {
								out = append(out, id.Name)
							}
							return true
						})
					}
					if x.Body != nil {
						ast.Inspect(x.Body, func(y ast.Node) bool {
							if id, ok := y.(*ast.Ident); ok && isType[id.Name] {
								out = append(out, id.Name)
							}
							return true
						})
					}
					return false
				case *ast.Ident:
					if isType[x.Name] && x.Name != name {
						out = append(out, x.Name)
					}
				}
				return true
			})
		}
		return out
	}
	for name := range nodes {
		op := opOfDecl(name, opIDs)
		if op == "" {
			continue
		}
		seen := map[string]bool{}
		queue := []string{name}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			if seen[n] {
				continue
			}
			seen[n] = true
			queue = append(queue, refs(n)...)
			queue = append(queue, constsOf[n]...)
		}
		idx.ops[op] = append(idx.ops[op], slices.Collect(maps.Keys(seen))...)
	}
	for op, names := range idx.ops {
		slices.Sort(names)
		idx.ops[op] = slices.Compact(names)
	}
	return idx, nil
}

// recvName is the type name of a method receiver.
func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// opOfDecl returns the operation a declaration is named after ("" if none):
// the longest operation ID that starts the name, after an optional New or
// Parse prefix or a receiver, followed by nothing or an upper-case letter.
func opOfDecl(name string, opIDs []string) string {
	if _, m, ok := strings.Cut(name, "."); ok {
		name = m
	}
	best := ""
	for _, pre := range []string{"", "New", "Parse"} {
		rest, ok := strings.CutPrefix(name, pre)
		if !ok {
			continue
		}
		for _, id := range opIDs {
			tail, ok := strings.CutPrefix(rest, id)
			if !ok || len(id) <= len(best) {
				continue
			}
			if tail == "" || (tail[0] >= 'A' && tail[0] <= 'Z') {
				best = id
			}
		}
	}
	return best
}

// digest is the source of an operation's declarations, comments left out.
func (g *genIndex) digest(op string) string {
	var b strings.Builder
	for _, n := range g.ops[op] {
		b.WriteString(n)
		b.WriteString("=")
		b.WriteString(g.decls[n])
		b.WriteString("\n")
	}
	return b.String()
}

// opsUsing returns the operations whose declarations include name.
func (g *genIndex) opsUsing(name string) []string {
	var out []string
	for op, names := range g.ops {
		if _, ok := slices.BinarySearch(names, name); ok {
			out = append(out, op)
		}
	}
	slices.Sort(out)
	return out
}

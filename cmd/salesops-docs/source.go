package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

// funcSource is the module-relative file declaring fn (any function value,
// closures included) and the function's name as people look for it:
// "write.Report", "extract.erpLoader".
func funcSource(root string, fn any) (file, name string, err error) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "", "", fmt.Errorf("%v is not a function", fn)
	}
	return pcSource(root, v.Pointer())
}

// pcSource is funcSource for a function's code pointer (reflect's Pointer,
// which also reads an unexported func field such as extract.Kind's loader).
func pcSource(root string, pc uintptr) (file, name string, err error) {
	f := runtime.FuncForPC(pc)
	if f == nil {
		return "", "", fmt.Errorf("no function at %#x", pc)
	}
	abs, _ := f.FileLine(f.Entry())
	file, err = moduleFile(root, abs)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", f.Name(), err)
	}
	return file, funcName(f.Name()), nil
}

// funcName turns a runtime name, github.com/x/y/extract.init.erpLoader.func3,
// into the name in the source: extract.erpLoader.
func funcName(full string) string {
	pkg := full[strings.LastIndex(full, "/")+1:]
	parts := strings.Split(pkg, ".")
	var keep []string
	for i, p := range parts {
		if i > 0 && (p == "init" || strings.HasPrefix(p, "func") && strings.TrimLeft(p[4:], "0123456789") == "" && len(p) > 4) {
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, ".")
}

// moduleFile makes a compiled-in source path (absolute, or module-qualified
// under -trimpath) relative to the module root, with forward slashes.
func moduleFile(root, p string) (string, error) {
	if rel, err := filepath.Rel(root, p); err == nil && filepath.IsAbs(p) && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel), nil
	}
	mod, err := modulePath(root)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(filepath.ToSlash(p), mod+"/"); ok {
		return rest, nil
	}
	return "", fmt.Errorf("source %s is outside the module at %s", p, root)
}

var moduleRE = regexp.MustCompile(`(?m)^module\s+(\S+)\s*$`)

func modulePath(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	m := moduleRE.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
	}
	return string(m[1]), nil
}

// parseDir parses the non-test Go files of a module folder, with comments.
func parseDir(root, dir string) (*token.FileSet, []*ast.File, error) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no Go files", dir)
	}
	return fset, files, nil
}

// declared is a package-level var as its source declares it.
type declared struct {
	Var  string // Go name, e.g. ReconciliationSummary
	File string // module-relative
	Doc  string // its doc comment
}

// reportVars finds, in reports/*.go, every var whose value is a
// reports.Report literal, by the literal's Model: where a report is
// declared and what its comment says.
func reportVars(root string) (map[string]declared, error) {
	fset, files, err := parseDir(root, "reports")
	if err != nil {
		return nil, err
	}
	out := map[string]declared{}
	for _, f := range files {
		file, err := moduleFile(root, fset.Position(f.Pos()).Filename)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if len(vs.Names) != 1 || len(vs.Values) != 1 {
					continue
				}
				lit, ok := vs.Values[0].(*ast.CompositeLit)
				if id, isIdent := typeIdent(lit); !ok || !isIdent || id != "Report" {
					continue
				}
				model := stringField(lit, "Model")
				if model == "" {
					continue
				}
				out[model] = declared{Var: vs.Names[0].Name, File: file, Doc: specDoc(g, vs.Doc)}
			}
		}
	}
	return out, nil
}

// specDoc is the doc comment of one spec of a declaration: its own, or the
// declaration's when the spec stands alone (var X = …, type T …).
func specDoc(g *ast.GenDecl, own *ast.CommentGroup) string {
	if own == nil && len(g.Specs) == 1 {
		own = g.Doc
	}
	return own.Text()
}

func typeIdent(lit *ast.CompositeLit) (string, bool) {
	if lit == nil {
		return "", false
	}
	id, ok := lit.Type.(*ast.Ident)
	if !ok {
		return "", false
	}
	return id.Name, true
}

// stringField is the string literal given to key in a keyed composite
// literal, or "".
func stringField(lit *ast.CompositeLit, key string) string {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == key {
			if b, ok := kv.Value.(*ast.BasicLit); ok && b.Kind == token.STRING {
				return strings.Trim(b.Value, "`\"")
			}
		}
	}
	return ""
}

// sentence is a Go doc comment as one line for people, the Go name it
// starts with replaced by the name people know: "ARAging is open
// receivables…" becomes "`ar_aging` is open receivables…".
func sentence(goName, name, doc string) string {
	s := strings.Join(strings.Fields(doc), " ")
	if rest, ok := strings.CutPrefix(s, goName); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':' || rest[0] == ',') {
		return name + rest
	}
	return s
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

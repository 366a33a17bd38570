package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

// configBlocks is docs/config.md's generated block "keys": every key of the
// config file, read from pipelines.Config's source. The field comments are
// the reference (each field has one, as in rill's config), so the page
// cannot say what the code does not; a declared schema would be a second
// list of the same keys beside the struct the loader decodes.
func configBlocks(root string) (map[string]string, error) {
	src := &goSource{root: root, pkgs: map[string]*goPackage{}}
	spec, err := src.lookup("pipelines", "Config")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("\n| key | type | what it sets |\n|---|---|---|\n")
	if err := src.keys(&b, "", spec.pkg, spec.st); err != nil {
		return nil, fmt.Errorf("pipelines.Config: %w", err)
	}
	return map[string]string{"keys": b.String() + "\n"}, nil
}

// goSource parses module packages on demand.
type goSource struct {
	root string
	pkgs map[string]*goPackage // by module-relative folder
}

type goPackage struct {
	dir     string
	types   map[string]*ast.TypeSpec
	docs    map[string]string               // type docs
	imports map[*ast.File]map[string]string // file → package name → folder
}

type structType struct {
	pkg  *goPackage
	st   *ast.StructType
	name string // "" for an inline struct
	doc  string // the type's doc comment
}

func (s *goSource) pkg(dir string) (*goPackage, error) {
	if p, ok := s.pkgs[dir]; ok {
		return p, nil
	}
	_, files, err := parseDir(s.root, dir)
	if err != nil {
		return nil, err
	}
	mod, err := modulePath(s.root)
	if err != nil {
		return nil, err
	}
	p := &goPackage{dir: dir, types: map[string]*ast.TypeSpec{}, docs: map[string]string{},
		imports: map[*ast.File]map[string]string{}}
	for _, f := range files {
		imps := map[string]string{}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			name := path[strings.LastIndex(path, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			if rest, ok := strings.CutPrefix(path, mod+"/"); ok {
				imps[name] = rest
			} else {
				imps[name] = "" // outside the module (time…)
			}
		}
		p.imports[f] = imps
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, sp := range g.Specs {
				ts := sp.(*ast.TypeSpec)
				p.types[ts.Name.Name] = ts
				p.docs[ts.Name.Name] = specDoc(g, ts.Doc)
			}
		}
	}
	s.pkgs[dir] = p
	return p, nil
}

// lookup finds a struct type by folder and name.
func (s *goSource) lookup(dir, name string) (structType, error) {
	p, err := s.pkg(dir)
	if err != nil {
		return structType{}, err
	}
	ts, ok := p.types[name]
	if !ok {
		return structType{}, fmt.Errorf("%s: no type %s", dir, name)
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return structType{}, fmt.Errorf("%s.%s is not a struct", dir, name)
	}
	return structType{pkg: p, st: st, name: name, doc: p.docs[name]}, nil
}

// keys writes a row per field of st that the YAML decoder reads, under
// prefix, and the rows of the fields of its sections, lists and maps.
func (s *goSource) keys(b *strings.Builder, prefix string, p *goPackage, st *ast.StructType) error {
	for _, f := range st.Fields.List {
		if len(f.Names) != 1 {
			return fmt.Errorf("field %s: one name per field, please", exprString(f.Type))
		}
		name := f.Names[0].Name
		if !ast.IsExported(name) {
			continue
		}
		key := strings.ToLower(name) // the YAML decoder's default
		inline := false
		if f.Tag != nil {
			tag, _ := strconv.Unquote(f.Tag.Value)
			if y, ok := reflect.StructTag(tag).Lookup("yaml"); ok {
				y, opts, _ := strings.Cut(y, ",")
				if y == "-" {
					continue
				}
				if y != "" {
					key = y
				}
				inline = opts == "inline"
			}
		}
		doc := f.Doc.Text()
		if doc == "" {
			doc = f.Comment.Text()
		}
		if m, ok := f.Type.(*ast.MapType); ok && inline {
			// An inline map's keys sit beside the struct's own (erp.orders
			// beside erp.profile): one row for any of them, <kind>.
			any := "<" + strings.TrimSuffix(key, "s") + ">"
			row := func(typ string) {
				fmt.Fprintf(b, "| %s | %s | %s |\n", code(prefix+any), typ, cell(sentence(name, code(any), doc)))
			}
			if err := s.collection(b, row, p, m.Value, "section", prefix+any+"."); err != nil {
				return fmt.Errorf("%s: %w", prefix+any, err)
			}
			continue
		}
		if err := s.key(b, prefix+key, sentence(name, code(key), doc), p, f.Type); err != nil {
			return fmt.Errorf("%s: %w", prefix+key, err)
		}
	}
	return nil
}

// key writes one key's row, then its children's.
func (s *goSource) key(b *strings.Builder, key, doc string, p *goPackage, t ast.Expr) error {
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	row := func(typ string) {
		fmt.Fprintf(b, "| %s | %s | %s |\n", code(key), typ, cell(doc))
	}
	if typ, ok := scalar(t); ok {
		row(typ)
		return nil
	}
	switch t := t.(type) {
	case *ast.ArrayType:
		return s.collection(b, row, p, t.Elt, "list", key+"[].")
	case *ast.MapType:
		return s.collection(b, row, p, t.Value, "map", key+".<name>.")
	}
	child, err := s.structOf(p, t)
	if err != nil {
		return err
	}
	if doc == "" && child.name != "" {
		doc = sentence(child.name, code(key), child.doc)
	}
	row("section")
	return s.keys(b, key+".", child.pkg, child.st)
}

// collection writes the row of a list or map key and, when its elements
// are structs, their keys under prefix.
func (s *goSource) collection(b *strings.Builder, row func(string), p *goPackage, elt ast.Expr, what, prefix string) error {
	if typ, ok := scalar(elt); ok {
		row(what + " of " + typ)
		return nil
	}
	// maps of maps (erp.values: kind → field → code → value) down to a scalar
	inner := elt
	for {
		m, ok := inner.(*ast.MapType)
		if !ok {
			break
		}
		what += " of maps"
		inner = m.Value
		if typ, ok := scalar(inner); ok {
			row(what + " of " + typ)
			return nil
		}
	}
	child, err := s.structOf(p, elt)
	if err != nil {
		return err
	}
	row(what)
	return s.keys(b, prefix, child.pkg, child.st)
}

// structOf resolves a struct type written in p: inline, by name, or
// qualified by a module package (extract.Limits).
func (s *goSource) structOf(p *goPackage, t ast.Expr) (structType, error) {
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch t := t.(type) {
	case *ast.StructType:
		return structType{pkg: p, st: t}, nil
	case *ast.Ident:
		return s.lookup(p.dir, t.Name)
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			for _, imps := range p.imports {
				if dir := imps[x.Name]; dir != "" {
					return s.lookup(dir, t.Sel.Name)
				}
			}
		}
	}
	return structType{}, fmt.Errorf("type %s: not a struct, list, map or scalar cmd/salesops-docs knows", exprString(t))
}

// scalar names the types a key holds a single value of.
func scalar(t ast.Expr) (string, bool) {
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch exprString(t) {
	case "string":
		return "text", true
	case "int", "int64":
		return "integer", true
	case "float64":
		return "number", true
	case "bool":
		return "true/false", true
	case "time.Duration":
		return "duration (`90s`, `5m`, `2h`)", true
	case "extract.ERPColumn", "ERPColumn": // its UnmarshalYAML takes either
		return "text, or a list of text", true
	}
	return "", false
}

func exprString(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.MapType:
		return "map[" + exprString(t.Key) + "]" + exprString(t.Value)
	case *ast.StructType:
		return "struct{…}"
	}
	return fmt.Sprintf("%T", t)
}

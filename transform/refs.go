package transform

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// What a model reads is what DuckDB's own parser finds in it: the parse
// tree json_serialize_sql returns (the json extension is built into
// duckdb-go) names every relation a query reads (BASE_TABLE), its CTEs and
// the functions it calls, so a string literal, a comment or a column that
// happens to share a model's name is never taken for an input, as a scan of
// the words was. SQLMesh finds its models' dependencies the same way (with
// sqlglot), where dbt asks for ref() and source() in a template: the FROM
// clause already names the inputs, and a second list beside it could drift.

// ref is a relation a query names, at byte offset at of its text (-1 when
// DuckDB records no position); a macro's relations are at its call.
type ref struct {
	name string
	at   int
}

// macro is what a macro of macros.sql reads: reads, the relations its body
// names (and those of the macros it calls); tableParams, the parameters it
// passes to query_table, whose arguments are relations the caller reads
// (named_rejects(errors) reads the caller's CTE errors).
type macro struct {
	reads       []string
	tableParams []int
}

// parser parses SQL with DuckDB (an in-memory database of its own) and
// knows what each macro of macros.sql reads.
type parser struct {
	conn      *sql.Conn
	serialize *sql.Stmt
	macros    map[string]*macro
}

// newParser opens the parser and reads the macros of macros.sql. Close it
// with the function it returns.
func newParser(ctx context.Context) (_ *parser, _ func(), err error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, fmt.Errorf("sql parser: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("sql parser: %w", err)
	}
	p := &parser{conn: conn, macros: map[string]*macro{}}
	closeAll := func() {
		if p.serialize != nil {
			p.serialize.Close()
		}
		conn.Close()
		db.Close()
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	// One statement for every query: preparing each cost as much as
	// parsing it.
	p.serialize, err = conn.PrepareContext(ctx, "SELECT json_serialize_sql(?::VARCHAR, skip_empty := true, skip_null := true)::VARCHAR")
	if err != nil {
		return nil, nil, fmt.Errorf("sql parser: %w", err)
	}
	if err := p.readMacros(ctx, macrosSQL); err != nil {
		return nil, nil, err
	}
	return p, closeAll, nil
}

// macroRE reads the head of a CREATE MACRO statement (comments removed):
// its name, its parameters, TABLE for a table macro, and its body.
var macroRE = regexp.MustCompile(`(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?MACRO\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s+AS\s+(TABLE\s+)?(.*)$`)

// macroWordRE tells a statement defining a macro macroRE failed to read.
var macroWordRE = regexp.MustCompile(`(?i)\bMACRO\b`)

// readMacros fills p.macros from script, the text of macros.sql: a table
// macro's body is a query, a scalar macro's an expression, each parsed by
// DuckDB. (DuckDB's catalog holds the definitions too, but listing them,
// duckdb_functions(), took as long as parsing every model.)
func (p *parser) readMacros(ctx context.Context, script string) error {
	type def struct {
		params []string
		query  string
	}
	defs := map[string]def{}
	for _, stmt := range statements(script) {
		m := macroRE.FindStringSubmatch(stmt)
		if m == nil {
			if macroWordRE.MatchString(stmt) {
				return fmt.Errorf("macros.sql: cannot read the macro of %.60q", strings.TrimSpace(stmt))
			}
			continue
		}
		d := def{query: m[4]}
		if m[3] == "" {
			d.query = "SELECT " + d.query
		}
		for _, param := range strings.Split(m[2], ",") {
			d.params = append(d.params, strings.ToLower(strings.TrimSpace(param)))
		}
		defs[strings.ToLower(m[1])] = d
	}
	// A macro may call another: each is read once the macros it calls are.
	visiting := map[string]bool{}
	var read func(name string) error
	read = func(name string) error {
		if p.macros[name] != nil {
			return nil
		}
		if visiting[name] {
			return fmt.Errorf("macros.sql: macro %s calls itself", name)
		}
		visiting[name] = true
		d := defs[name]
		tree, err := p.parse(ctx, d.query)
		if err != nil {
			return fmt.Errorf("macros.sql: macro %s: %w", name, err)
		}
		for _, callee := range calledMacros(tree, defs) {
			if err := read(callee); err != nil {
				return err
			}
		}
		m := &macro{}
		for _, r := range p.refsOf(tree) {
			if i := slices.Index(d.params, r.name); i >= 0 {
				m.tableParams = append(m.tableParams, i)
			} else if !slices.Contains(m.reads, r.name) {
				m.reads = append(m.reads, r.name)
			}
		}
		slices.Sort(m.reads)
		slices.Sort(m.tableParams)
		m.tableParams = slices.Compact(m.tableParams)
		p.macros[name] = m
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		if err := read(name); err != nil {
			return err
		}
	}
	return nil
}

// statements splits script at each ';' outside a string, a quoted name and
// a comment, leaving the comments out.
func statements(script string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\'' || c == '"':
			end := len(script) // an unclosed quote runs to the end
			if n := strings.IndexByte(script[i+1:], c); n >= 0 {
				end = i + n + 2
			}
			b.WriteString(script[i:end])
			i = end - 1
		case strings.HasPrefix(script[i:], "--"):
			end := strings.IndexByte(script[i:], '\n')
			if end < 0 {
				end = len(script) - i
			}
			i += end - 1
		case strings.HasPrefix(script[i:], "/*"):
			end := strings.Index(script[i+2:], "*/")
			if end < 0 {
				end = len(script) - i - 2
			}
			i += end + 3
		case c == ';':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	if strings.TrimSpace(b.String()) != "" {
		out = append(out, b.String())
	}
	return out
}

// calledMacros lists the macros of defs that tree calls.
func calledMacros[V any](tree any, defs map[string]V) []string {
	var out []string
	walkJSON(tree, func(n map[string]any) {
		if n["class"] == "FUNCTION" {
			if name := strings.ToLower(str(n["function_name"])); name != "" {
				if _, ok := defs[name]; ok {
					out = append(out, name)
				}
			}
		}
	})
	return out
}

func walkJSON(v any, fn func(map[string]any)) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			walkJSON(e, fn)
		}
	case map[string]any:
		fn(v)
		for _, e := range v {
			walkJSON(e, fn)
		}
	}
}

// parseError is SQL DuckDB's parser refuses, at byte offset At of the
// text (-1 when it gives none).
type parseError struct {
	Msg string
	At  int
}

func (e *parseError) Error() string { return e.Msg }

// parse returns DuckDB's parse tree of query, which must be one SELECT.
func (p *parser) parse(ctx context.Context, query string) (any, error) {
	var js string
	if err := p.serialize.QueryRowContext(ctx, query).Scan(&js); err != nil {
		return nil, err
	}
	var tree struct {
		Error      bool   `json:"error"`
		Message    string `json:"error_message"`
		Position   string `json:"position"`
		Statements []any  `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		return nil, fmt.Errorf("parse tree: %w", err)
	}
	if tree.Error {
		at, err := strconv.Atoi(tree.Position)
		if err != nil {
			at = -1
		}
		return nil, &parseError{Msg: tree.Message, At: byteOffset(query, at)}
	}
	if len(tree.Statements) != 1 {
		return nil, &parseError{Msg: fmt.Sprintf("%d statements, want one SELECT", len(tree.Statements)), At: -1}
	}
	return tree.Statements[0], nil
}

// refsOf lists the relations tree reads, in the order met: every table it
// names that is not a CTE in scope there, every relation passed to
// query_table, the relations of the macros it calls and those passed to a
// macro's table parameters. A CTE is in scope in the query that defines it
// and in the CTEs after it; a recursive CTE in its own body too. A name
// qualified by a schema (main.runs, temp.x) is the relation of that name.
func (p *parser) refsOf(tree any) []ref {
	var out []ref
	var walk func(v any, ctes *scope)
	walk = func(v any, ctes *scope) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e, ctes)
			}
			return
		case map[string]any:
			inner := ctes
			if cm, ok := v["cte_map"].(map[string]any); ok {
				if list, _ := cm["map"].([]any); len(list) > 0 {
					inner = &scope{parent: ctes, names: map[string]bool{}}
					for _, e := range list {
						e, _ := e.(map[string]any)
						body, _ := e["value"].(map[string]any)
						walk(body["query"], inner)
						inner.names[strings.ToLower(str(e["key"]))] = true
					}
				}
			}
			switch {
			case v["type"] == "RECURSIVE_CTE_NODE":
				inner = &scope{parent: inner, names: map[string]bool{strings.ToLower(str(v["cte_name"])): true}}
			case v["type"] == "BASE_TABLE":
				if name := strings.ToLower(str(v["table_name"])); !inner.has(name) {
					out = append(out, ref{name: name, at: offset(v["query_location"])})
				}
			case v["class"] == "FUNCTION":
				out = append(out, p.callRefs(v, inner)...)
			}
			for k, e := range v {
				if k != "cte_map" {
					walk(e, inner)
				}
			}
		}
	}
	walk(tree, nil)
	return out
}

// callRefs is what function call fn reads: a macro's relations, and the
// relations named by its arguments for query_table or a macro's table
// parameters (as a bare name or a string).
func (p *parser) callRefs(fn map[string]any, ctes *scope) []ref {
	name := strings.ToLower(str(fn["function_name"]))
	at := offset(fn["query_location"])
	var out []ref
	tableParams := []int{}
	if name == "query_table" {
		tableParams = []int{0}
	} else if m := p.macros[name]; m != nil {
		for _, r := range m.reads {
			out = append(out, ref{name: r, at: at})
		}
		tableParams = m.tableParams
	}
	args, _ := fn["children"].([]any)
	for _, i := range tableParams {
		if i >= len(args) {
			continue
		}
		arg, _ := args[i].(map[string]any)
		var rel string
		switch arg["class"] {
		case "COLUMN_REF":
			if cols, _ := arg["column_names"].([]any); len(cols) == 1 {
				rel = str(cols[0])
			}
		case "CONSTANT":
			if val, _ := arg["value"].(map[string]any); val != nil {
				rel, _ = val["value"].(string)
			}
		}
		if rel = strings.ToLower(rel); rel != "" && !ctes.has(rel) {
			out = append(out, ref{name: rel, at: offset(arg["query_location"])})
		}
	}
	return out
}

// scope is the CTE names visible at a point of a query.
type scope struct {
	parent *scope
	names  map[string]bool
}

func (s *scope) has(name string) bool {
	for ; s != nil; s = s.parent {
		if s.names[name] {
			return true
		}
	}
	return false
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// offset reads a query_location: DuckDB writes an unknown one as 2^64-1.
func offset(v any) int {
	f, ok := v.(float64)
	if !ok || f < 0 || f > math.MaxInt32 {
		return -1
	}
	return int(f)
}

// byteOffset is the byte offset of the n-th character of text (-1 for a
// negative n). DuckDB v1.5.6 counts a parse error's position in characters
// but a node's query_location in bytes.
func byteOffset(text string, n int) int {
	if n < 0 {
		return -1
	}
	for i := range text {
		if n == 0 {
			return i
		}
		n--
	}
	return len(text)
}

// position is byte offset at of text as line:col, both from 1, the column
// counted in characters.
func position(text string, at int) string {
	if at < 0 || at > len(text) {
		return ""
	}
	before := text[:at]
	line := 1 + strings.Count(before, "\n")
	col := 1 + len([]rune(before[strings.LastIndexByte(before, '\n')+1:]))
	return fmt.Sprintf("%d:%d", line, col)
}

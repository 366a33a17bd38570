package transform

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/filename"
)

// safeNameFunc is the DuckDB function safe_name(VARCHAR) → VARCHAR:
// filename.Safe, so that a report's column naming a file (a proposal, a
// renewal draft) says the name its writer gives the file, whatever the id
// holds ("../../x", "Q/101", 301 characters). One rule, in Go, for both.
type safeNameFunc struct{}

func (safeNameFunc) Config() duckdb.ScalarFuncConfig {
	varchar, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		panic(err) // a constant type: cannot fail
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar}, ResultTypeInfo: varchar}
}

func (safeNameFunc) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		id, ok := values[0].(string)
		if !ok {
			return nil, fmt.Errorf("safe_name: want text, got %T", values[0])
		}
		return filename.Safe(id), nil
	}}
}

// registerFunctions gives conn the functions made in Go that models and
// writers call (NULL in, NULL out, as DuckDB's own).
func registerFunctions(conn *sql.Conn) error {
	if err := duckdb.RegisterScalarUDF(conn, "safe_name", safeNameFunc{}); err != nil {
		return fmt.Errorf("register safe_name: %w", err)
	}
	return nil
}

var _ duckdb.ScalarFunc = safeNameFunc{}

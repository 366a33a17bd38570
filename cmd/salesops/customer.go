package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// CustomerOptions are the flags of "salesops customer" besides the
// global ones.
type CustomerOptions struct {
	AsOf string
	XLSX string // also write the dossier to this workbook
}

// AddFlags registers the options' flags.
func (o *CustomerOptions) AddFlags(f *pflag.FlagSet) {
	addAsOfFlag(f, &o.AsOf)
	f.StringVar(&o.XLSX, "xlsx", "", "also write the dossier as a workbook `file`")
}

// ErrUnknownCustomer is the cause when no customer has the id or CNPJ.
var ErrUnknownCustomer = errors.New("no such customer")

// ErrAmbiguousCustomer is the cause when a CNPJ is several customers' (as
// the quotes reject a request naming it): the dossier lists them, and one
// is named by its customer_id.
var ErrAmbiguousCustomer = errors.New("CNPJ of more than one customer")

func newCustomerCommand(gopts *GlobalOptions) *cobra.Command {
	var opts CustomerOptions
	cmd := &cobra.Command{
		Use:   "customer <customer_id|CNPJ> [flags]",
		Short: "Print a customer's dossier: what to check before a call",
		Long: `Print, from the warehouse the last runs filled, what an SME checks before a
call with a customer: master data and its data-quality findings, contracts
active and ended, the invoices of the last 12 months with their payment,
open receivables and credit exposure, orders, T-36 events overdue or due
within 90 days, and the exceptions of the last reconciliation.

The customer is named by its customer_id or its CNPJ, formatted, bare or
alphanumeric (12.ABC.345/01DE-35 = 12ABC34501DE35); a CNPJ the master gives
to several customers lists them and prints nothing else: name one by its
customer_id. The warehouse is found
as "salesops run" finds it (--config, --out); while a run holds it, this
waits for it, up to lock_wait. Sections whose pipeline has not run yet say
so.

EXIT STATUS
  0    printed
  1    unknown customer, a CNPJ of several customers, or the warehouse
       cannot be read (or a run held it longer than lock_wait)
  2    usage error
  130  interrupted`,
		Example: `  salesops customer C001 --config examples/salesops.yaml
  salesops customer 11.444.777/0001-61 --config examples/salesops.yaml --xlsx C001.xlsx`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &pipelines.UsageError{Err: errors.New("customer: name one customer_id or CNPJ")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCustomer(cmd.Context(), cmd.OutOrStdout(), *gopts, opts, args[0])
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runCustomer(ctx context.Context, stdout io.Writer, gopts GlobalOptions, opts CustomerOptions, who string) error {
	cfg, err := gopts.load(time.Now(), configFlags{AsOf: opts.AsOf})
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, "run salesops run all first")
	if err != nil {
		return err
	}
	defer w.Close()

	id, err := findCustomer(ctx, w, who)
	if err != nil {
		return err
	}
	if err := w.SetVars(ctx, map[string]any{"dossier_customer_id": id, "as_of": cfg.AsOfDate()}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Dossiê do cliente %s em %s (warehouse %s)\n", id, ptbr.DateOf(cfg.AsOfDate()), cfg.Warehouse)
	var sheets []reports.Report
	for _, sec := range reports.Dossier {
		fmt.Fprintf(stdout, "\n== %s\n", sec.Sheet)
		if err := w.DefineQueryView(ctx, "dossier", sec.Model); err != nil {
			// A table of a pipeline that has not run yet.
			fmt.Fprintf(stdout, "(sem dados: %v)\n", missingTable(err))
			continue
		}
		sheets = append(sheets, sec)
		if err := printSection(ctx, stdout, w, sec); err != nil {
			return fmt.Errorf("customer %s: %s: %w", id, sec.Name, err)
		}
	}
	if opts.XLSX != "" {
		dir, file := filepath.Split(opts.XLSX)
		if dir == "" {
			dir = "."
		}
		if _, _, err := write.Workbook(ctx, w, dir, file, sheets); err != nil {
			return fmt.Errorf("customer %s: %w", id, err)
		}
		fmt.Fprintf(stdout, "\nworkbook: %s\n", opts.XLSX)
	}
	return nil
}

// findCustomer returns the customer_id of who, a customer_id or a CNPJ in
// any of its spellings. A CNPJ of several customers is an error listing
// them (ErrAmbiguousCustomer), never one picked among them.
func findCustomer(ctx context.Context, w *transform.Warehouse, who string) (string, error) {
	var n int
	if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'customers' AND schema_name = 'main'").Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", fmt.Errorf("warehouse %s: no customer master yet (run salesops run reconciliation or lifecycle first)", w.Path)
	}
	rows, err := w.Conn.QueryContext(ctx, `SELECT customer_id, coalesce(name, ''), customer_id = trim(?) FROM customers
		WHERE customer_id = trim(?) OR cnpj = cnpj_clean(?)
		ORDER BY customer_id = trim(?) DESC, customer_id`, who, who, who, who)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var ids, names []string
	for rows.Next() {
		var id, name string
		var exact bool
		if err := rows.Scan(&id, &name, &exact); err != nil {
			return "", err
		}
		if exact {
			return id, nil // its own id, whatever CNPJ others share
		}
		ids, names = append(ids, id), append(names, id+" ("+name+")")
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("customer %q: %w in the customer master (by customer_id or CNPJ)", who, ErrUnknownCustomer)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("customer %q: %w in the master: %s; name one by its customer_id", who, ErrAmbiguousCustomer, strings.Join(names, ", "))
}

// missingTable says err for people when a section's table is not built
// yet (transform.MissingTable), else err's text.
func missingTable(err error) string {
	if name, ok := transform.MissingTable(err); ok {
		return "a tabela " + name + " ainda não existe: rode salesops run all"
	}
	return err.Error()
}

// printSection prints sec's rows as an aligned table, values formatted
// for people as on the site (R$ 1.234,56, -R$ 50,00, dd/mm/aaaa), codes
// labelled in Portuguese.
func printSection(ctx context.Context, out io.Writer, w *transform.Warehouse, sec reports.Report) error {
	cols := make([]string, len(sec.Columns))
	titles := make([]string, len(sec.Columns))
	for i, c := range sec.Columns {
		// Its Display and labels, as the workbook shows it.
		cols[i] = sec.ShowSQL(c, sec.ValueSQL(c), reports.Values)
		titles[i] = c.Title
	}
	rows, err := w.Conn.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+transform.QuoteIdent(sec.Model))
	if err != nil {
		return err
	}
	defer rows.Close()
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(titles, "\t"))
	n := 0
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells := make([]string, len(cols))
		for i, v := range vals {
			if v.Valid {
				cells[i] = sec.Columns[i].Type.Format(v.String)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(tw, "(nada)")
	}
	return tw.Flush()
}

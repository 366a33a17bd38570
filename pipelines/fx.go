package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/transform"
)

// requireFX builds model and fails the run when any of its rows matching
// where is in a currency without a usable PTAX for the period (period_fx),
// naming the currency and its latest rate; otherwise it records in the
// manifest the rate used for each of those rows' currencies.
func requireFX(ctx context.Context, r *Run, model, where string) error {
	if err := r.W.Build(ctx, model, "period_fx"); err != nil {
		return err
	}
	rows, err := r.W.Conn.QueryContext(ctx, fmt.Sprintf(`
		SELECT s.currency,
		       (SELECT max(rate_date) FROM fx_rates f WHERE f.currency = s.currency AND f.rate_date < getvariable('period_start')),
		       -- the latest rejected line that could have been the rate
		       (SELECT f.path || ':' || p.line || ': ' || p._errors[1].field || ' "' || p._errors[1].value || '" ' || p._errors[1].reason
		        FROM stg_ptax p JOIN files f USING (file_id)
		        WHERE p.currency = s.currency AND len(p._errors) > 0
		          AND (p.rate_date IS NULL OR p.rate_date < getvariable('period_start'))
		        ORDER BY p.rate_date DESC NULLS LAST, f.path, p.line LIMIT 1)
		FROM (SELECT DISTINCT currency FROM %s WHERE %s AND currency NOT IN (SELECT currency FROM period_fx)) s
		ORDER BY 1`, transform.QuoteIdent(model), where))
	if err != nil {
		return err
	}
	var missing []string
	for rows.Next() {
		var cur string
		var latest sql.NullTime
		var rejected sql.NullString
		if err := rows.Scan(&cur, &latest, &rejected); err != nil {
			rows.Close()
			return err
		}
		m := cur + " (none in fx/)"
		if latest.Valid {
			m = fmt.Sprintf("%s (latest %s, over %d days old)", cur, ptbr.DateOf(latest.Time), r.Config.FX.MaxAgeDays)
		}
		if rejected.Valid {
			m = strings.TrimSuffix(m, ")") + "; rejected: " + rejected.String + ")"
		}
		missing = append(missing, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("fx: no usable PTAX sell rate before %s for %s", ptbr.DateOf(r.Config.PeriodStart()), strings.Join(missing, ", "))
	}

	rates, err := r.W.Conn.QueryContext(ctx, fmt.Sprintf(`
		SELECT currency, sell_rate::VARCHAR, strftime(rate_date, '%%Y-%%m-%%d')
		FROM period_fx
		WHERE currency <> 'BRL' AND currency IN (SELECT currency FROM %s WHERE %s)
		ORDER BY 1`, transform.QuoteIdent(model), where))
	if err != nil {
		return err
	}
	defer rates.Close()
	for rates.Next() {
		var cur string
		var fx publish.FXRate
		if err := rates.Scan(&cur, &fx.Rate, &fx.Date); err != nil {
			return err
		}
		if r.Manifest.FX == nil {
			r.Manifest.FX = map[string]publish.FXRate{}
		}
		r.Manifest.FX[cur] = fx
	}
	if err := rates.Err(); err != nil {
		return err
	}
	return noteFXFallbacks(ctx, r, model, where)
}

// noteFXFallbacks says in the manifest when a rejected PTAX line (a zero,
// negative or unreadable rate) made the run use an earlier day's rate:
// the rejects list the line, but the rate in use would change in silence.
func noteFXFallbacks(ctx context.Context, r *Run, model, where string) error {
	if err := r.W.Build(ctx, "fx_fallbacks"); err != nil {
		return err
	}
	rows, err := r.W.Conn.QueryContext(ctx, fmt.Sprintf(`
		SELECT currency, ptbr_date(used_rate_date), file, line,
		       coalesce(ptbr_date(rejected_rate_date), 'a day it does not say'), value, reason
		FROM fx_fallbacks
		WHERE currency IN (SELECT currency FROM %s WHERE %s)`, transform.QuoteIdent(model), where))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var cur, used, file, day, reason string
		var line int64
		var value sql.NullString
		if err := rows.Scan(&cur, &used, &file, &line, &day, &value, &reason); err != nil {
			return err
		}
		r.Manifest.Notes = append(r.Manifest.Notes, fmt.Sprintf("fx: %s uses the PTAX of %s because %s:%d (%s) was rejected: %q %s",
			cur, used, file, line, day, value.String, reason))
	}
	return rows.Err()
}

// writeVendorFX writes fx_vendor_settings from the config's fx.vendors:
// which rate converts each vendor's price list (ptax or vendor_rate).
func writeVendorFX(ctx context.Context, r *Run) error {
	var rows [][]any
	for _, v := range slices.Sorted(maps.Keys(r.Config.FX.Vendors)) {
		rows = append(rows, []any{v, r.Config.FX.Vendors[v]})
	}
	if err := replaceRows(ctx, r, "fx_vendor_settings", "(?, ?)", rows); err != nil {
		return fmt.Errorf("fx.vendors: %w", err)
	}
	return nil
}

// replaceRows rewrites a table the pipelines write from the config or
// files outside the inbox, in one transaction: its rows become rows, each
// inserted with the placeholders of values ("(?, ?)").
func replaceRows(ctx context.Context, r *Run, table, values string, rows [][]any) error {
	return r.W.InTx(ctx, func() error {
		if _, err := r.W.Conn.ExecContext(ctx, "DELETE FROM "+transform.QuoteIdent(table)); err != nil {
			return err
		}
		for _, row := range rows {
			if _, err := r.W.Conn.ExecContext(ctx, "INSERT INTO "+transform.QuoteIdent(table)+" VALUES "+values, row...); err != nil {
				return err
			}
		}
		return nil
	})
}

// requireVendorFX fails the run when a vendor priced at its own rate
// (fx.vendors: vendor_rate) has no rate for the period's month in a
// currency it lists prices in, naming the vendor, the currency and where
// the rate is expected; otherwise it notes each rate used in the manifest.
func requireVendorFX(ctx context.Context, r *Run) error {
	rows, err := r.W.Conn.QueryContext(ctx, `
		SELECT lower(s.vendor), s.currency, v.sell_rate::VARCHAR,
		       -- the first rejected line that could have been the rate
		       (SELECT f.path || ':' || x.line || ': ' || x._errors[1].field || ' "' || x._errors[1].value || '" ' || x._errors[1].reason
		        FROM stg_vendor_fx x JOIN files f USING (file_id)
		        WHERE x.vendor_key = lower(s.vendor) AND len(x._errors) > 0
		          AND (x.month = getvariable('period') OR x.month IS NULL OR NOT regexp_full_match(x.month, '\d{4}-\d{2}'))
		        ORDER BY f.path, x.line LIMIT 1)
		FROM (SELECT DISTINCT vendor, currency FROM priced_skus WHERE unpriced_reason IS NULL AND fx_source = 'vendor_rate') s
		LEFT JOIN vendor_period_fx v ON v.vendor_key = lower(s.vendor) AND v.currency = s.currency
		ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var missing []string
	for rows.Next() {
		var vendor, cur string
		var rate, rejected sql.NullString
		if err := rows.Scan(&vendor, &cur, &rate, &rejected); err != nil {
			return err
		}
		if !rate.Valid {
			m := fmt.Sprintf("%s %s→BRL (fx/%s_rates*.csv", vendor, cur, vendor)
			if rejected.Valid {
				m += "; rejected: " + rejected.String
			}
			missing = append(missing, m+")")
			continue
		}
		r.Manifest.Notes = append(r.Manifest.Notes, fmt.Sprintf("fx: %s prices in %s converted at the vendor's rate for %s, %s (fx.vendors.%s: vendor_rate)",
			vendor, cur, r.Config.Period, ptbr.Rate(rate.String), vendor))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("fx: no vendor rate for %s for %s, which fx.vendors prices at the vendor's rate: nothing was published",
			r.Config.Period, strings.Join(missing, ", "))
	}
	return nil
}

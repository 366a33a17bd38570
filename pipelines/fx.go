package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/salesops/salesops/load"
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
		       (SELECT max(rate_date) FROM fx_rates f WHERE f.currency = s.currency AND f.rate_date < getvariable('period_start'))
		FROM (SELECT DISTINCT currency FROM %s WHERE %s AND currency NOT IN (SELECT currency FROM period_fx)) s
		ORDER BY 1`, transform.QuoteIdent(model), where))
	if err != nil {
		return err
	}
	var missing []string
	for rows.Next() {
		var cur string
		var latest sql.NullTime
		if err := rows.Scan(&cur, &latest); err != nil {
			rows.Close()
			return err
		}
		m := cur + " (none in fx/)"
		if latest.Valid {
			m = fmt.Sprintf("%s (latest %s, over %d days old)", cur, latest.Time.Format("02/01/2006"), r.Config.FX.MaxAgeDays)
		}
		missing = append(missing, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("fx: no usable PTAX sell rate before %s for %s", r.Config.PeriodStart().Format("02/01/2006"), strings.Join(missing, ", "))
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
		var fx load.FXRate
		if err := rates.Scan(&cur, &fx.Rate, &fx.Date); err != nil {
			return err
		}
		if r.Manifest.FX == nil {
			r.Manifest.FX = map[string]load.FXRate{}
		}
		r.Manifest.FX[cur] = fx
	}
	return rates.Err()
}

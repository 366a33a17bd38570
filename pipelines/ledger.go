package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/salesops/salesops/load/publish"
)

// The run ledger is the warehouse's runs table: one row per run, inserted
// as running when the run starts and ended as succeeded (in the
// transaction of the pipeline's Commit), up_to_date, failed, or
// interrupted (a run a kill left running, marked by the next run). Rows
// in are the inputs' rows; rows out are those of the pipeline's Main
// report, as the CLI prints them. `salesops runs` prints it. Its SQL is
// here only.

// runLedger writes one run's row.
type runLedger struct {
	conn *sql.Conn
	run  *Run
}

func (r *Run) ledger() runLedger { return runLedger{r.W.Conn, r} }

// markInterrupted ends the runs still running: with the warehouse's lock
// held, none is under way, so a kill or a stop ended them.
func markInterrupted(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `UPDATE runs SET status = 'interrupted',
		error = 'the process ended before the run finished (killed, or the machine stopped); nothing of it was published'
		WHERE status = 'running'`); err != nil {
		return fmt.Errorf("run ledger: %w", err)
	}
	return nil
}

// start records the run as running.
func (l runLedger) start(ctx context.Context) error {
	r := l.run
	_, err := l.conn.ExecContext(ctx, `INSERT INTO runs (run_id, pipeline, period, as_of, started_at, status, "trigger") VALUES (?, ?, ?, ?, ?, 'running', ?)`,
		r.ID, r.Pipeline.Name, r.Config.Period, r.Config.AsOfDate(), r.startedAt, r.Config.trigger())
	return err
}

// fail records the run as failed with err, even when ctx is cancelled:
// the run is over either way. An error recording it is not reported (the
// run's own is), and the next run marks a row left running interrupted.
func (l runLedger) fail(ctx context.Context, err error) {
	l.conn.ExecContext(context.WithoutCancel(ctx), "UPDATE runs SET status = 'failed', finished_at = ?, error = ?, rows_in = ? WHERE run_id = ?",
		time.Now().UTC(), err.Error(), l.rowsIn(), l.run.ID)
}

// succeed records the run as succeeded with the counts of the set it
// published (its manifest).
func (l runLedger) succeed(ctx context.Context) error { return l.end(ctx, "succeeded", l.run.Manifest) }

// upToDate records the run as up_to_date with the counts of the published
// set m, which it left as it was.
func (l runLedger) upToDate(ctx context.Context, m publish.Manifest) error {
	return l.end(ctx, "up_to_date", m)
}

func (l runLedger) end(ctx context.Context, status string, m publish.Manifest) error {
	main, _ := l.run.Pipeline.mainOutput(m)
	_, err := l.conn.ExecContext(ctx, "UPDATE runs SET status = ?, finished_at = ?, rejects = ?, rows_in = ?, rows_out = ? WHERE run_id = ?",
		status, time.Now().UTC(), m.Rejects, l.rowsIn(), main.Rows, l.run.ID)
	return err
}

// rowsIn is the rows of the inputs the run read.
func (l runLedger) rowsIn() int64 {
	var n int64
	for _, in := range l.run.Inputs {
		n += in.Rows
	}
	return n
}

package pipelines

// RunError is the error of a run that reached the ledger: it carries the
// run's id, which the daemon's on_failure hook is given. Its text is the
// cause's.
type RunError struct {
	RunID string
	Err   error
}

func (e *RunError) Error() string { return e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

// rowsIn is the rows of the inputs the run read, for the ledger.
func (r *Run) rowsIn() int64 {
	var n int64
	for _, in := range r.Inputs {
		n += in.Rows
	}
	return n
}

// rowsOut is the rows of the run's main output (the first report's, as the
// CLI prints it), for the ledger.
func (r *Run) rowsOut() int64 {
	if len(r.Manifest.Outputs) == 0 {
		return 0
	}
	return r.Manifest.Outputs[0].Rows
}

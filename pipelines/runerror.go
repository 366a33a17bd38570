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

package scheduler

import (
	"context"
	"os"
)

// runHook runs command through the system shell (shellCommand, per OS)
// with env added to the daemon's environment, and returns its output.
func runHook(ctx context.Context, command string, env []string) ([]byte, error) {
	cmd := shellCommand(ctx, command)
	cmd.Env = append(os.Environ(), env...)
	return cmd.CombinedOutput()
}

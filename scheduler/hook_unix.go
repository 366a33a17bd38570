//go:build unix

package scheduler

import (
	"context"
	"os/exec"
)

// shellCommand runs command with /bin/sh, so on_failure can be written as
// in a crontab (pipes, quotes, $SALESOPS_ERROR).
func shellCommand(ctx context.Context, command string) *exec.Cmd {
	return exec.CommandContext(ctx, "/bin/sh", "-c", command)
}

//go:build windows

package scheduler

import (
	"context"
	"os/exec"
)

// shellCommand runs command with cmd.exe, so on_failure can be written as
// at a Windows prompt (%SALESOPS_ERROR%).
func shellCommand(ctx context.Context, command string) *exec.Cmd {
	return exec.CommandContext(ctx, "cmd.exe", "/C", command)
}

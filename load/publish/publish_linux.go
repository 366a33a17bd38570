package publish

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// replaceDir puts stage in target's place in one step: renameat2
// RENAME_EXCHANGE swaps the two folders, so a reader of target sees the old
// set or the new one, never none. It returns the folder now holding the old
// set, for the caller to remove. File systems that cannot exchange (some
// network and FUSE ones, kernels before 3.15) fall back to replaceAside.
func replaceDir(stage, target string) (old string, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE)
	if err == nil {
		return stage, nil
	}
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return replaceAside(stage, target)
	}
	return "", &os.LinkError{Op: "renameat2", Old: stage, New: target, Err: err}
}

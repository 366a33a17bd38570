package extract

import (
	"fmt"
	"os"
	"time"
)

// A local file's tag is what its metadata says of its content: size and
// modification time, and where the system keeps them, the inode and the
// change time (which no tool sets back), as restic and rclone tell an
// unchanged file without reading it. A run with nothing new then hashes
// nothing: a million bill lines are 800 MB to read at every daemon run.
//
// A file modified within the file system's timestamp granularity of an
// earlier version (the kernel's coarse clock: milliseconds) could keep its
// tag: as git does with "racily clean" entries, a file modified less than
// tagSettle ago gets no tag, so the ledger hashes it, and the next run,
// finding the same bytes, records its tag.
const tagSettle = 2 * time.Second

// statTag is the tag of a local file, or "" while it may still change
// within its timestamps' granularity.
func statTag(info os.FileInfo, now time.Time) string {
	if now.Sub(info.ModTime()) < tagSettle {
		return ""
	}
	return fmt.Sprintf("stat:%d:%d%s", info.Size(), info.ModTime().UnixNano(), sysStat(info))
}

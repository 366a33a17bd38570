package extract

import (
	"fmt"
	"os"
	"syscall"
)

// sysStat adds the inode and the change time, which a copy or a rewrite
// moves even when size and modification time are kept (cp -p, touch -r).
func sysStat(info os.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf(":%d:%d:%d.%d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
}

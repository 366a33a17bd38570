//go:build !linux

package publish

// replaceDir puts stage in target's place. Outside Linux there is no
// portable exchange of two folders (macOS has renamex_np RENAME_SWAP, Windows
// nothing for folders), so it renames the old target aside first; see
// replaceAside.
func replaceDir(stage, target string) (old string, err error) {
	return replaceAside(stage, target)
}

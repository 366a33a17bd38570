//go:build !linux

package main

import "os"

// peakRSS: Maxrss is in KiB on Linux only (bytes on macOS, absent on
// Windows); not measured elsewhere.
func peakRSS(*os.ProcessState) (int64, bool) { return 0, false }

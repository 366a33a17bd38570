package extract

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var bench struct {
	once sync.Once
	dir  string
	file File
	err  error
}

// TestMain removes the benchmark's generated file.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchFile writes, once per test binary, a ~300 MB CSV of Portuguese text
// (some accented characters on every line).
func benchFile(b *testing.B) File {
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "fingerprint-bench-")
		if bench.err != nil {
			return
		}
		p := filepath.Join(bench.dir, "big.csv")
		f, err := os.Create(p)
		if err != nil {
			bench.err = err
			return
		}
		w := bufio.NewWriterSize(f, 1<<20)
		var size int64
		for i := 0; size < 300<<20; i++ {
			n, _ := fmt.Fprintf(w, "%d;Cliente %d Comércio e Serviços Ltda;São Paulo;Licença de software;%d.%02d;2025-12-%02d\r\n", i, i%9973, i%100000, i%100, i%28+1)
			size += int64(n)
		}
		if err := w.Flush(); err != nil {
			bench.err = err
		}
		if err := f.Close(); err != nil && bench.err == nil {
			bench.err = err
		}
		bench.file = File{Path: "big.csv", Local: p, Size: size}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.file
}

func BenchmarkFingerprintFile(b *testing.B) {
	f := benchFile(b)
	ctx := context.Background()
	fingerprintFile(ctx, f) // into the page cache
	b.SetBytes(f.Size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fp, err := fingerprintFile(ctx, f)
		if err != nil || !fp.UTF8 {
			b.Fatal(fp, err)
		}
	}
}

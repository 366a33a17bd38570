package write_test

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkbookChartsRender renders the examples' reconciliation.xlsx as
// LibreOffice draws it (to PDF, its summary page to PNG) and counts the
// pixels of the charts' first series colour (#4472C4, the fill every
// series declares): LibreOffice drew the axes and labels of a workbook
// without a theme part and series fills, but no bar. Skipped where
// LibreOffice or pdftoppm is not installed; TestXLSXWriterLayout reads the
// theme part and TestExampleWorkbooks the charts' XML everywhere.
func TestWorkbookChartsRender(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pipeline and LibreOffice")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) not installed")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	out := runExamples(t)
	dir := t.TempDir()
	// A profile of its own: a LibreOffice already running elsewhere would
	// take the conversion and return at once.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless",
		"--convert-to", "pdf", "--outdir", dir, filepath.Join(out, "reconciliation", "2025-12", "reconciliation.xlsx"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(dir, "reconciliation.pdf")
	// Page 1 is Sobre, page 2 the Resumo with its two charts.
	if b, err := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "2", "-l", "2", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) != 1 {
		t.Fatalf("pdftoppm wrote %v", pages)
	}
	f, err := os.Open(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := pixelsNear(img, 0x44, 0x72, 0xC4); n < 200 {
		t.Errorf("the Resumo page of reconciliation.xlsx has %d pixels of the series' blue (#4472C4): its charts draw no bars", n)
	}
	if text, err := exec.Command("pdftotext", "-f", "2", "-l", "2", pdf, "-").Output(); err == nil &&
		!strings.Contains(string(text), "Diferença faturado − pedido por classe (R$)") {
		t.Errorf("the Resumo page has no chart title:\n%s", text)
	}
}

// pixelsNear counts img's pixels within 24 of the colour r, g, b on each
// channel (antialiasing and the renderer's colour space aside).
func pixelsNear(img image.Image, r, g, b uint8) int {
	near := func(a uint32, c uint8) bool { d := int(a>>8) - int(c); return d > -24 && d < 24 }
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				n++
			}
		}
	}
	return n
}

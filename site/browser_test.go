package site

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowser opens every page of the site in Debian's headless chromium:
// a console error, an uncaught exception or a failed load fails the test;
// each page is screenshotted (kept in $SALESOPS_ARTIFACTS/site-screenshots,
// or a temporary folder named in the log); the exceptions table sorts and
// filters. .ci/run installs chromium; without it the test says so and skips.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium on PATH: install Debian's (apt-get install -y chromium), as .ci/run does, to run the browser test")
	}
	out := buildTestSite(t)
	shots := os.Getenv("SALESOPS_ARTIFACTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "salesops-artifacts")
	}
	shots = filepath.Join(shots, "site-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception: %s (%s:%d)", msg, d.URL, d.LineNumber+1))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, fmt.Sprintf("log: %s %s", e.Entry.Text, e.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	root := filepath.Join(out, Dir)
	var pages []string
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 20 { // index + 3 price-list pages + 8 reconciliation pages + 8 lifecycle pages
		t.Fatalf("%d pages, want 20", len(pages))
	}
	for _, p := range pages {
		rel, _ := filepath.Rel(root, p)
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+p), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		charts := eval[int](t, ctx, `document.querySelectorAll(".chart").length`)
		rendered := eval[int](t, ctx, `document.querySelectorAll(".chart svg").length`)
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if charts != rendered {
			t.Errorf("%s: %d charts drawn of %d", rel, rendered, charts)
		}
		name := strings.ReplaceAll(rel, string(filepath.Separator), "_")
		if err := os.WriteFile(filepath.Join(shots, strings.TrimSuffix(name, ".html")+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		for _, pr := range problems {
			t.Errorf("%s: %s", rel, pr)
		}
		problems = nil
		mu.Unlock()
	}

	// Sorting and filtering the reconciliation's exceptions.
	page := "file://" + filepath.Join(root, "reconciliation", "2025-12", "reconciliation.html")
	col := func(title string) string {
		return fmt.Sprintf(`[...document.querySelectorAll("#table thead th")].findIndex(th => th.textContent === %q)`, title)
	}
	firstVisible := func(title string) string {
		return fmt.Sprintf(`[...document.querySelectorAll("#table tbody tr")].filter(r => !r.hidden)[0].cells[%s].textContent`, col(title))
	}
	click := func(title string) {
		t.Helper()
		eval[any](t, ctx, fmt.Sprintf(`document.querySelectorAll("#table thead th")[%s].click()`, col(title)))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#table")); err != nil {
		t.Fatal(err)
	}
	click("Diferença (R$)")
	asc := eval[string](t, ctx, firstVisible("Diferença (R$)"))
	click("Diferença (R$)")
	desc := eval[string](t, ctx, firstVisible("Diferença (R$)"))
	if err := chromedp.Do(ctx, chromedp.SendKeys("#table-filter", "Livraria")); err != nil {
		t.Fatal(err)
	}
	count := eval[string](t, ctx, `document.getElementById("table-count").textContent`)
	filtered := eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("#table tbody tr")].filter(r => !r.hidden).map(r => r.cells[%s].textContent).join("|")`, col("Classe")))
	eval[any](t, ctx, `(() => { const f = document.getElementById("table-filter"); f.value = ""; f.dispatchEvent(new Event("input")); })()`)
	cleared := eval[string](t, ctx, `document.getElementById("table-count").textContent`)
	// Variances: −600.00 (SO-1003) is the smallest, 1,000.00 (SO-1006) the largest.
	if asc != "-R$ 600,00" || desc != "R$ 1.000,00" {
		t.Errorf("sorted by Diferença: first %q ascending, %q descending; want -R$ 600,00 and R$ 1.000,00", asc, desc)
	}
	// Livraria São Paulo (C002) has 5 exceptions, in the descending
	// variance order the sort left: 250,00, 50,00, 0,00, −600,00, and the
	// cancelled invoice without a variance last (empty cells sort last
	// both ways).
	if count != "5 de 11 linhas" {
		t.Errorf("filtered count = %q, want 5 de 11 linhas", count)
	}
	if want := "Faturado sem pedido|Valor divergente|Preço abaixo do custo|Pedido não faturado|Cancelada sem substituta"; filtered != want {
		t.Errorf("filtered rows = %q, want %q", filtered, want)
	}
	if cleared != "11 de 11 linhas" {
		t.Errorf("cleared filter count = %q", cleared)
	}

	// The summary per customer: its totals follow the filter. Livraria
	// (C002) alone: ordered R$ 2.000,00, invoiced R$ 1.700,00, 5 lines;
	// the margin, a ratio, is not a sum: a dash while filtered, back when
	// the filter is cleared.
	page = "file://" + filepath.Join(root, "reconciliation", "2025-12", "reconciliation_summary.html")
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#table")); err != nil {
		t.Fatal(err)
	}
	total := func(title string) string {
		return eval[string](t, ctx, fmt.Sprintf(`document.querySelector("#table tfoot tr").cells[%s].textContent`, col(title)))
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#table-filter", "Livraria")); err != nil {
		t.Fatal(err)
	}
	got := []string{total("Pedido (R$)"), total("Faturado (R$)"), total("Linhas"), total("Margem %")}
	eval[any](t, ctx, `(() => { const f = document.getElementById("table-filter"); f.value = ""; f.dispatchEvent(new Event("input")); })()`)
	got = append(got, total("Pedido (R$)"), total("Margem %"))
	if want := []string{"R$ 2.000,00", "R$ 1.700,00", "5", "—", "R$ 6.355,00", "37,76 %"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("summary totals filtered to Livraria, then cleared: %q, want %q", got, want)
	}

	// The lifecycle: renewals charted by bucket (rows, and the annual
	// values now and at renewal), Livraria's one contract found.
	page = "file://" + filepath.Join(root, "lifecycle", "2025-12", "renewals.html")
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#table")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".chart svg").length`); n != 2 {
		t.Errorf("renewals: %d charts drawn, want 2", n)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#table-filter", "Livraria")); err != nil {
		t.Fatal(err)
	}
	count = eval[string](t, ctx, `document.getElementById("table-count").textContent`)
	filtered = eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("#table tbody tr")].filter(r => !r.hidden).map(r => r.cells[%s].textContent + " " + r.cells[%s].textContent).join("|")`, col("Contrato"), col("Faixa")))
	if count != "1 de 5 linhas" || filtered != "K011 31–60 dias" {
		t.Errorf("renewals filtered to Livraria: %q, %q; want 1 de 5 linhas, K011 31–60 dias", count, filtered)
	}
	// Renewals by month: the workbook's chart drawn, five months.
	page = "file://" + filepath.Join(root, "lifecycle", "2025-12", "renewals_by_month.html")
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#table")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".chart svg").length`); n != 1 {
		t.Errorf("renewals by month: %d charts drawn, want 1", n)
	}
	click("Valor anual atual dos com preço (R$)")
	click("Valor anual atual dos com preço (R$)")
	if top := eval[string](t, ctx, firstVisible("Mês de término")); top != "03/2026" {
		t.Errorf("renewals by month sorted by current value, descending: first %q, want 03/2026 (K013's R$ 17.400,00)", top)
	}

	// The index: sorted by pipeline, filtered to the lifecycle.
	page = "file://" + filepath.Join(root, "index.html")
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#runs")); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `document.querySelectorAll("#runs thead th")[0].click()`)
	order := eval[string](t, ctx, `[...document.querySelectorAll("#runs tbody tr")].map(r => r.cells[0].textContent).join("|")`)
	if want := "Ciclo de vida dos contratos|Conciliação de faturamento|Tabela de preços"; order != want {
		t.Errorf("index sorted by pipeline: %q, want %q", order, want)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#runs-filter", "true-up")); err != nil {
		t.Fatal(err)
	}
	if count := eval[string](t, ctx, `document.getElementById("runs-count").textContent`); count != "1 de 3 linhas" {
		t.Errorf("index filtered to true-up: %q, want 1 de 3 linhas", count)
	}

	// The T-36 calendar sorted by due date, then K023's seven events
	// (onboarding, three true-ups, two annual orders, the renewal).
	page = "file://" + filepath.Join(root, "lifecycle", "2025-12", "t36_calendar.html")
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#table")); err != nil {
		t.Fatal(err)
	}
	click("Vencimento")
	first := eval[string](t, ctx, firstVisible("Vencimento"))
	click("Vencimento")
	last := eval[string](t, ctx, firstVisible("Vencimento"))
	if first != "01/07/2023" || last != "31/03/2029" {
		t.Errorf("T-36 sorted by Vencimento: first %q, then %q descending; want 01/07/2023 and 31/03/2029 (K021's renewal)", first, last)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#table-filter", "K023")); err != nil {
		t.Fatal(err)
	}
	if count := eval[string](t, ctx, `document.getElementById("table-count").textContent`); count != "7 de 156 linhas" {
		t.Errorf("T-36 filtered to K023: %q, want 7 de 156 linhas", count)
	}
}

// eval evaluates a JavaScript expression in the current page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

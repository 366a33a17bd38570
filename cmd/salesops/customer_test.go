package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

// TestCustomer runs the reconciliation and the lifecycle on the example
// inbox (as-of 10/01/2026), then asks for customer C003 by id and by every
// spelling of its alphanumeric CNPJ.
func TestCustomer(t *testing.T) {
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(examples, "salesops.yaml")
	cfg, err := pipelines.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg.Out, cfg.Warehouse = out, ""
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if _, err := pipelines.RunAll(context.Background(), cfg, []*pipelines.Pipeline{pipelines.Reconciliation, pipelines.Lifecycle}); err != nil {
		t.Fatal(err)
	}

	for _, who := range []string{"C003", "12.ABC.345/01DE-35", "12ABC34501DE35", "12.abc.345/01de-35"} {
		t.Run(who, func(t *testing.T) {
			var b strings.Builder
			if err := runCustomer(context.Background(), &b, GlobalOptions{Config: cfgPath, Out: out}, CustomerOptions{}, who); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			for _, want := range []string{
				"Dossiê do cliente C003 em 10/01/2026",
				"Tecnologia Alfa Numérica Ltda",
				// 1.500,00 + 980,00 (NFS-e 203) + 480,00 + 1.068,00 (NFS-e
				// 204) = 4.028,00 open; past due: 4950's installments of
				// 500,00 due 01/12/2025 and 01/01/2026 (its third is due
				// 01/02/2026, erp/receivables/parcelas.csv) and 204 (due
				// 01/01/2026): 2.068,00; NFS-e 201 and 202 cancelled by
				// their events, whatever the register says. Exposure:
				// + 1.050,00 ordered (SO-2030) + 11 × 391,10 committed
				// months = 9.380,10, 4.380,10 over the limit.
				"R$ 5.000,00  R$ 4.028,00     R$ 2.068,00   R$ 1.050,00               R$ 4.302,10",
				"R$ 9.380,10     -R$ 4.380,10",
				"NFSE 202",
				"K012      Microsoft",
				// K012 ends 31/01/2026; its renewal is due then.
				"31/01/2026  K012      Renovação",
				"Vence em 0–30 dias",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("dossier lacks %q:\n%s", want, got)
				}
			}
		})
	}

	t.Run("xlsx", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "C001.xlsx")
		if err := runCustomer(context.Background(), &strings.Builder{}, GlobalOptions{Config: cfgPath, Out: out}, CustomerOptions{XLSX: path}, "11444777000161"); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := strings.Join(f.GetSheetList(), "|"); got != "Cadastro|Contratos|Notas (12 meses)|Crédito|Pedidos|T-36|Conciliação" {
			t.Errorf("sheets = %s", got)
		}
		v, _ := f.GetCellValue("Cadastro", "B2")
		if v != "C001 — Construtora Ação Ltda" {
			t.Errorf("Cadastro!B2 = %q", v)
		}
	})

	t.Run("unknown", func(t *testing.T) {
		err := runCustomer(context.Background(), &strings.Builder{}, GlobalOptions{Config: cfgPath, Out: out}, CustomerOptions{}, "99.999.999/0001-99")
		if !errors.Is(err, ErrUnknownCustomer) || err.Error() != `customer "99.999.999/0001-99": no such customer in the customer master (by customer_id or CNPJ)` {
			t.Errorf("err = %v", err)
		}
	})

	// A CNPJ the master gives C002 and C004 (clientes_novos.csv): the
	// candidates, exit 1, nothing printed; their ids pick one.
	t.Run("shared CNPJ", func(t *testing.T) {
		want := `customer "%s": CNPJ of more than one customer in the master: C002 (Livraria São Paulo S.A.), C004 (Duplicada Comércio Eireli); name one by its customer_id`
		for _, who := range []string{"12345678000195", "12.345.678/0001-95"} {
			var b strings.Builder
			err := runCustomer(context.Background(), &b, GlobalOptions{Config: cfgPath, Out: out}, CustomerOptions{}, who)
			if !errors.Is(err, ErrAmbiguousCustomer) || err.Error() != fmt.Sprintf(want, who) || b.Len() != 0 {
				t.Errorf("%s: err = %v, printed %q", who, err, b.String())
			}
		}
		code, stdout, stderr, _ := runMain(t, "--config", cfgPath, "customer", "12345678000195", "--out", out)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "C002 (Livraria São Paulo S.A.), C004 (Duplicada Comércio Eireli)") {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and the candidates", code, stdout, stderr)
		}
		var b strings.Builder
		if err := runCustomer(context.Background(), &b, GlobalOptions{Config: cfgPath, Out: out}, CustomerOptions{}, "C004"); err != nil ||
			!strings.Contains(b.String(), "Dossiê do cliente C004") {
			t.Errorf("C004: %v\n%s", err, b.String())
		}
	})

	// While a run holds the warehouse, salesops customer waits for it, up
	// to lock_wait, as salesops run does: held for 1 s, it prints after
	// it; held past lock_wait (1 s), it fails with run's busy line.
	warehouse := filepath.Join(out, "warehouse.duckdb")
	t.Run("waits for a run", func(t *testing.T) {
		unlock, err := transform.Lock(context.Background(), warehouse, 0)
		if err != nil {
			t.Fatal(err)
		}
		release := time.AfterFunc(time.Second, func() { unlock() })
		t.Cleanup(func() {
			if release.Stop() {
				unlock()
			}
		})
		code, stdout, stderr, took := runMain(t, "--config", cfgPath, "customer", "C003", "--out", out)
		if code != 0 || stderr != "" || took < time.Second || !strings.Contains(stdout, "Dossiê do cliente C003 em 10/01/2026") {
			t.Errorf("exit %d after %s, stderr %q, stdout:\n%s\nwant exit 0 after 1s and C003's dossier", code, took, stderr, stdout)
		}
	})
	t.Run("gives up after lock_wait", func(t *testing.T) {
		short, _ := exampleConfig(t, "1s")
		unlock, err := transform.Lock(context.Background(), warehouse, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		code, stdout, stderr, took := runMain(t, "customer", "C003", "--config", short, "--out", out)
		if want := busyLine(warehouse, "1s"); code != 1 || stdout != "" || !want.MatchString(stderr) || took < time.Second {
			t.Errorf("exit %d after %s, stdout %q, stderr %q; want exit 1 after 1s, stderr matching %s", code, took, stdout, stderr, want)
		}
	})

	t.Run("no warehouse", func(t *testing.T) {
		empty := t.TempDir()
		err := runCustomer(context.Background(), &strings.Builder{}, GlobalOptions{Out: empty}, CustomerOptions{}, "C001")
		if err == nil || !strings.Contains(err.Error(), "run salesops run all first") {
			t.Errorf("err = %v", err)
		}
		if _, serr := os.Stat(filepath.Join(empty, "warehouse.duckdb")); !os.IsNotExist(serr) {
			t.Errorf("a warehouse was created: %v", serr)
		}
	})
}

package write

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/go-pdf/fpdf"

	"github.com/salesops/salesops/filename"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Company is who issues the proposals: the block at their top.
type Company struct {
	Name, CNPJ, Address, Contact string
}

// proposal is one customer's proposal as the proposals mart has it: text
// as shown, money and quantities as exact decimal text, dates ISO.
type proposal struct {
	Number, Title, Date, ValidUntil, Seller, CustomerName, CustomerCNPJ, Total, File string
	// TaxesNote says which taxes the prices include, from the heads mart's
	// taxes_note ("" when the mart has none: no tax table).
	TaxesNote   string
	PaymentDays sql.NullInt64
	PORequired  bool
	Lines       []proposalLine
}

type proposalLine struct {
	Item                                                          int64
	Vendor, Product, ProductID, SKU, Term, Plan, Qty, Unit, Total string
	// Period is the prorated period a line covers, as the customer reads
	// it ("10/12/2025 a 01/05/2026, 143 de 365 dias"), or "" for a whole
	// term.
	Period string
}

// ProposalsDir is the folder of a set that holds its proposals: the
// heads marts' proposal column is "proposals/<name>".
const ProposalsDir = "proposals"

// Proposals writes every row of the heads mart (customer_proposals,
// renewal_proposals) as <dir>/proposals/<name>.pdf and .xlsx, with the
// rows of the lines mart; the mart's proposal column is
// "proposals/<name>", and <name>, made of request or contract ids, is
// data: the file is named filename.SafeSet of it ("Q-101-r1" stays, "../x-r1"
// becomes "x-r1-<hash>"), while the documents show the real number. They
// show what the customer may see and no more: the marts hold no cost,
// margin or incentive. The PDF's dates are stamp (the run's as-of), so the
// same inputs give the same bytes.
func Proposals(ctx context.Context, w *transform.Warehouse, dir, heads, lines string, co Company, stamp time.Time) ([]publish.Output, error) {
	ps, err := readProposals(ctx, w, heads, lines)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		name, ok := strings.CutPrefix(p.File, ProposalsDir+"/")
		if !ok {
			return nil, fmt.Errorf("proposals: %s: proposal %s: file %q is not under %s/", heads, p.Number, p.File, ProposalsDir)
		}
		names[i] = name
	}
	for i, name := range filename.SafeSet(names) {
		ps[i].File = ProposalsDir + "/" + name
	}
	if len(ps) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, ProposalsDir), 0o755); err != nil {
			return nil, fmt.Errorf("proposals: %w", err)
		}
	}
	// A reseller's month has thousands of drafts, each two small files
	// synced to disk: written one after the other, the syncs' waits added
	// up to most of the lifecycle's run. Workers overlap them; each file
	// keeps its slot, so the list is in the same order every run.
	outs := make([]publish.Output, 2*len(ps))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, p := range ps {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for j, ext := range []string{".pdf", ".xlsx"} {
				rel := p.File + ext
				path := filepath.Join(dir, filepath.FromSlash(rel))
				var err error
				if ext == ".pdf" {
					err = writeProposalPDF(path, co, p, stamp)
				} else {
					err = writeProposalXLSX(path, co, p)
				}
				if err != nil {
					return fmt.Errorf("proposal %s: %w", rel, err)
				}
				sum, n, err := finishOutput(path)
				if err != nil {
					return err
				}
				outs[2*i+j] = publish.Output{Path: rel, Rows: int64(len(p.Lines)), SHA256: sum, Bytes: n}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return outs, nil
}

func readProposals(ctx context.Context, w *transform.Warehouse, heads, lines string) ([]*proposal, error) {
	rows, err := w.Conn.QueryContext(ctx, `SELECT proposal_number, title, strftime(proposal_date, '%Y-%m-%d'), strftime(valid_until, '%Y-%m-%d'),
		coalesce(seller, ''), customer_name, coalesce(customer_cnpj, ''), total_brl::VARCHAR, proposal, payment_terms_days, is_po_required,
		coalesce(taxes_note, '')
		FROM `+transform.QuoteIdent(heads)+` ORDER BY proposal_number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []*proposal
	byNumber := map[string]*proposal{}
	for rows.Next() {
		p := &proposal{}
		if err := rows.Scan(&p.Number, &p.Title, &p.Date, &p.ValidUntil, &p.Seller, &p.CustomerName, &p.CustomerCNPJ, &p.Total, &p.File, &p.PaymentDays, &p.PORequired, &p.TaxesNote); err != nil {
			return nil, err
		}
		ps = append(ps, p)
		byNumber[p.Number] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	lrows, err := w.Conn.QueryContext(ctx, `SELECT proposal_number, item, coalesce(vendor, ''), coalesce(product, product_id), product_id,
		coalesce(sku_id, ''), coalesce(term, ''), coalesce(billing_plan, ''), quantity::VARCHAR, unit_price_brl::VARCHAR, total_brl::VARCHAR,
		CASE WHEN period_start IS NOT NULL THEN ptbr_date(period_start) || ' a ' || ptbr_date(period_end) || ', '
		     || prorated_days || ' de ' || term_days || ' dias' ELSE '' END
		FROM `+transform.QuoteIdent(lines)+` ORDER BY proposal_number, item`)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var n string
		var l proposalLine
		if err := lrows.Scan(&n, &l.Item, &l.Vendor, &l.Product, &l.ProductID, &l.SKU, &l.Term, &l.Plan, &l.Qty, &l.Unit, &l.Total, &l.Period); err != nil {
			return nil, err
		}
		if p := byNumber[n]; p != nil {
			p.Lines = append(p.Lines, l)
		}
	}
	return ps, lrows.Err()
}

// termLabel says a price-list term in Portuguese: P1Y → "12 meses".
func termLabel(term, plan string) string {
	t := strings.ToUpper(strings.TrimSpace(term))
	var months int
	var unit string
	if n, err := fmt.Sscanf(t, "P%d%s", &months, &unit); n == 2 && err == nil {
		switch unit {
		case "Y":
			months *= 12
		case "M":
		default:
			months = 0
		}
	}
	out := term
	switch {
	case months == 1:
		out = "1 mês"
	case months > 1:
		out = fmt.Sprintf("%d meses", months)
	case strings.HasSuffix(t, " MONTHS"):
		out = strings.TrimSuffix(t, " MONTHS") + " meses"
	}
	switch strings.ToLower(strings.TrimSpace(plan)) {
	case "annual":
		out += ", anual"
	case "monthly":
		out += ", mensal"
	case "triennial":
		out += ", trienal"
	}
	return out
}

// proposalFields are the head of a proposal, label and value, as both the
// PDF and the XLSX show them.
func proposalFields(co Company, p *proposal) [][2]string {
	f := [][2]string{
		{p.Title + " nº", p.Number},
		{"Data", ptbr.Date(p.Date)},
		{"Válida até", ptbr.Date(p.ValidUntil)},
		{"Cliente", p.CustomerName},
		{"CNPJ do cliente", p.CustomerCNPJ},
	}
	if p.Seller != "" {
		f = append(f, [2]string{"Vendedor", p.Seller})
	}
	f = append(f, [2]string{"Total", ptbr.Money(p.Total)}, [2]string{"Pagamento", paymentText(p)})
	if p.TaxesNote != "" {
		f = append(f, [2]string{"Impostos", p.TaxesNote})
	}
	if p.PORequired {
		f = append(f, [2]string{"Pedido de compra", poText})
	}
	return f
}

const poText = "PO obrigatório: envie o pedido de compra (PO) com o aceite desta proposta"

func paymentText(p *proposal) string {
	if !p.PaymentDays.Valid {
		return "a combinar"
	}
	if p.PaymentDays.Int64 == 0 {
		return "à vista, na emissão da nota fiscal"
	}
	return fmt.Sprintf("%d dias da emissão da nota fiscal", p.PaymentDays.Int64)
}

func writeProposalPDF(path string, co Company, p *proposal, stamp time.Time) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(p.Title+" "+p.Number, true)
	pdf.SetAuthor(co.Name, true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	// The core fonts with Windows-1252 text render Portuguese accents.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AliasNbPages("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("Proposta %s, página %d de {nb}", p.Number, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 7, tr(co.Name), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	for _, s := range []string{cnpjLine(co.CNPJ), co.Address, co.Contact} {
		if s != "" {
			pdf.CellFormat(0, 4.5, tr(s), "", 1, "L", false, 0, "")
		}
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 8, tr(p.Title+" nº "+p.Number), "B", 1, "L", false, 0, "")
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 10)
	for _, f := range proposalFields(co, p)[1:] {
		if f[0] == "Total" || f[0] == "Pagamento" || f[0] == "Pedido de compra" || f[0] == "Impostos" {
			continue
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(40, 5.5, tr(f[0]+":"), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(0, 5.5, tr(f[1]), "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)

	// Lines: item, code, product, term and billing, quantity, unit price,
	// total (180 mm: the page less its margins).
	widths := []float64{8, 36, 52, 31, 11, 21, 21}
	heads := []string{"Item", "Código", "Produto", "Prazo", "Qtde", "Preço unit.", "Total"}
	aligns := []string{"C", "L", "L", "L", "R", "R", "R"}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(230, 230, 230)
	for i, h := range heads {
		pdf.CellFormat(widths[i], 6, tr(h), "1", 0, aligns[i], true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8)
	for _, l := range p.Lines {
		product := l.Product
		if l.Vendor != "" && !strings.HasPrefix(strings.ToLower(product), strings.ToLower(l.Vendor)) {
			product = reports.SheetName(l.Vendor) + " " + product
		}
		code := l.ProductID
		if l.SKU != "" {
			code += "/" + l.SKU
		}
		cells := []string{fmt.Sprint(l.Item), fit(pdf, tr(code), widths[1]), fit(pdf, tr(product), widths[2]), fit(pdf, tr(termLabel(l.Term, l.Plan)), widths[3]),
			tr(ptbr.Quantity(l.Qty)), tr(ptbr.Money(l.Unit)), tr(ptbr.Money(l.Total))}
		for i, c := range cells {
			pdf.CellFormat(widths[i], 6, c, "1", 0, aligns[i], false, 0, "")
		}
		pdf.Ln(-1)
		if l.Period != "" {
			// A prorated line says the period its price covers.
			pdf.SetFont("Helvetica", "I", 8)
			pdf.CellFormat(180, 5, tr("Item "+fmt.Sprint(l.Item)+": valor proporcional ao período de "+l.Period+"."), "1", 1, "L", false, 0, "")
			pdf.SetFont("Helvetica", "", 8)
		}
	}
	pdf.SetFont("Helvetica", "B", 10)
	// The total, in a larger bold font than the lines, may need more room
	// than the Total column: it takes it from the label cell.
	total := tr(ptbr.Money(p.Total))
	w := max(widths[6], pdf.GetStringWidth(total)+4)
	pdf.CellFormat(180-w, 7, tr("Total da proposta"), "1", 0, "R", false, 0, "")
	pdf.CellFormat(w, 7, total, "1", 1, "R", false, 0, "")
	pdf.Ln(5)

	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr("Condições de pagamento: "+paymentText(p)+"."), "", "L", false)
	if p.PORequired {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(0, 5, tr(poText+"."), "", "L", false)
		pdf.SetFont("Helvetica", "", 10)
	}
	pdf.MultiCell(0, 5, tr("Preços em reais (R$), válidos até "+ptbr.Date(p.ValidUntil)+"."), "", "L", false)
	if p.TaxesNote != "" {
		pdf.MultiCell(0, 5, tr(p.TaxesNote), "", "L", false)
	}
	return pdf.OutputFileAndClose(path)
}

// fit cuts s (already in the PDF's encoding) to the cell's width.
func fit(pdf *fpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width-2 {
		return s
	}
	for len(s) > 0 && pdf.GetStringWidth(s+"...") > width-2 {
		s = s[:len(s)-1]
	}
	return s + "..."
}

func cnpjLine(c string) string {
	if c == "" {
		return ""
	}
	return "CNPJ " + c
}

func writeProposalXLSX(path string, co Company, p *proposal) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	x := NewXLSXWriter(f)
	defer func() {
		if cerr := x.Close(); err == nil {
			err = cerr
		}
	}()
	if err := x.AddSheet("Proposta", []XLSXColumn{{Title: co.Name, Kind: CellText}, {Title: cnpjLine(co.CNPJ), Kind: CellText}}); err != nil {
		return err
	}
	head := [][2]string{}
	if co.Address != "" {
		head = append(head, [2]string{"Endereço", co.Address})
	}
	if co.Contact != "" {
		head = append(head, [2]string{"Contato", co.Contact})
	}
	for _, r := range append(head, proposalFields(co, p)...) {
		if err := x.WriteRow([]string{r[0], r[1]}); err != nil {
			return err
		}
	}
	if err := x.AddSheet("Itens", []XLSXColumn{
		{Title: "Item", Kind: CellInteger}, {Title: "Fabricante", Kind: CellText}, {Title: "Produto", Kind: CellText},
		{Title: "Código", Kind: CellText}, {Title: "SKU", Kind: CellText}, {Title: "Prazo", Kind: CellText},
		{Title: "Quantidade", Kind: CellDecimal}, {Title: "Preço unitário (R$)", Kind: CellMoneyBRL}, {Title: "Total (R$)", Kind: CellMoneyBRL},
		{Title: "Período proporcional", Kind: CellText},
	}); err != nil {
		return err
	}
	for _, l := range p.Lines {
		if err := x.WriteRow([]string{fmt.Sprint(l.Item), l.Vendor, l.Product, l.ProductID, l.SKU, termLabel(l.Term, l.Plan), l.Qty, l.Unit, l.Total, l.Period}); err != nil {
			return err
		}
	}
	return x.WriteRow([]string{"", "", "Total da proposta", "", "", "", "", "", p.Total, ""})
}

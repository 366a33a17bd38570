package write

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/sync/errgroup"

	"github.com/salesops/salesops/filename"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/transform"
)

// Company is who issues the proposals: the block at their top, and the
// sellers whose e-mail and phone a proposal gives beside their name.
type Company struct {
	Name, CNPJ, Address, Contact string
	Sellers                      []Seller
}

// Seller is one of our sellers (or account managers), as a proposal
// names them.
type Seller struct {
	Name, Email, Phone string
}

// seller finds name among the company's sellers, case and spaces aside.
func (co Company) seller(name string) Seller {
	key := strings.Join(strings.Fields(strings.ToLower(name)), " ")
	for _, s := range co.Sellers {
		if strings.Join(strings.Fields(strings.ToLower(s.Name)), " ") == key {
			return Seller{Name: name, Email: s.Email, Phone: s.Phone}
		}
	}
	return Seller{Name: name}
}

// proposal is one customer's proposal as the proposals mart has it: text
// as shown, money and quantities as exact decimal text, dates ISO.
type proposal struct {
	Number, Title, Date, ValidUntil, CustomerName, CustomerCNPJ, Total, File string
	Seller                                                                   Seller
	Draft                                                                    bool
	// TaxesNote says which taxes the prices include, from the heads mart's
	// taxes_note ("" when the mart has none: no tax table).
	TaxesNote   string
	PaymentDays sql.NullInt64
	PORequired  bool
	Lines       []proposalLine
}

type proposalLine struct {
	Item                                        int64
	Product, Code, Term, Plan, Qty, Unit, Total string
	// Period is the prorated period a line covers, as the customer reads
	// it ("10/12/2025 a 01/05/2026, 143 de 365 dias"), or "" for a whole
	// term.
	Period string
}

// ProposalsDir is the folder of a set that holds its proposals: the
// heads marts' proposal column is "proposals/<name>", or, for a draft
// waiting for an approval, "proposals/rascunhos/<name>" (DraftsDir).
const (
	ProposalsDir = "proposals"
	DraftsDir    = ProposalsDir + "/rascunhos"
)

// DraftBanner is on every page and sheet of a draft.
const DraftBanner = "RASCUNHO — aguardando aprovação"

// Proposals writes every row of the heads mart (customer_proposals,
// renewal_proposals) as <dir>/proposals/<name>.pdf and .xlsx, or under
// proposals/rascunhos/ with DraftBanner on every page and sheet when the
// row is a draft (is_draft), with the rows of the lines mart; the mart's
// proposal column says where, and <name>, made of request or contract
// ids, is data: the file is named filename.SafeSet of it ("Q-101-r1" stays,
// "../x-r1" becomes "x-r1-<hash>"), while the documents show the real
// number. They show what the customer may see and no more: the marts hold
// no cost, margin or incentive; each product is named once, as the lines
// mart names it (the vendor's price list), in the PDF and the XLSX alike.
// The PDF's dates are stamp (the run's as-of), so the same inputs give the
// same bytes.
func Proposals(ctx context.Context, w *transform.Warehouse, dir, heads, lines string, co Company, stamp time.Time) ([]publish.Output, error) {
	ps, err := readProposals(ctx, w, heads, lines, co)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		folder := ProposalsDir
		if p.Draft {
			folder = DraftsDir
		}
		name, ok := strings.CutPrefix(p.File, folder+"/")
		if !ok {
			return nil, fmt.Errorf("proposals: %s: proposal %s: file %q is not under %s/", heads, p.Number, p.File, folder)
		}
		names[i] = name
	}
	folders := map[string]bool{}
	for i, name := range filename.SafeSet(names) {
		folder := ProposalsDir
		if ps[i].Draft {
			folder = DraftsDir
		}
		ps[i].File = folder + "/" + name
		folders[folder] = true
	}
	for folder := range folders {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(folder)), 0o755); err != nil {
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

func readProposals(ctx context.Context, w *transform.Warehouse, heads, lines string, co Company) ([]*proposal, error) {
	rows, err := w.Conn.QueryContext(ctx, `SELECT proposal_number, title, coalesce(is_draft, false), strftime(proposal_date, '%Y-%m-%d'), strftime(valid_until, '%Y-%m-%d'),
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
		var seller string
		if err := rows.Scan(&p.Number, &p.Title, &p.Draft, &p.Date, &p.ValidUntil, &seller, &p.CustomerName, &p.CustomerCNPJ, &p.Total, &p.File,
			&p.PaymentDays, &p.PORequired, &p.TaxesNote); err != nil {
			return nil, err
		}
		if seller != "" {
			p.Seller = co.seller(seller)
		}
		ps = append(ps, p)
		byNumber[p.Number] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	lrows, err := w.Conn.QueryContext(ctx, `SELECT proposal_number, item, coalesce(product, product_id), product_id || coalesce('/' || nullif(sku_id, ''), ''),
		coalesce(term, ''), coalesce(billing_plan, ''), quantity::VARCHAR, unit_price_brl::VARCHAR, total_brl::VARCHAR,
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
		if err := lrows.Scan(&n, &l.Item, &l.Product, &l.Code, &l.Term, &l.Plan, &l.Qty, &l.Unit, &l.Total, &l.Period); err != nil {
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

// field is one line of a proposal's head: a label and its value, of kind
// (text, a date, money) in the XLSX.
type field struct {
	Label, Value string
	Kind         CellKind
}

// proposalFields are the head of a proposal, as both the PDF and the
// XLSX show them (the XLSX with the date and the total as a date and a
// number).
func proposalFields(p *proposal) []field {
	f := []field{
		{p.Title + " nº", p.Number, CellText},
		{"Data", p.Date, CellDate},
		{"Válida até", p.ValidUntil, CellDate},
		{"Cliente", p.CustomerName, CellText},
		{"CNPJ do cliente", p.CustomerCNPJ, CellText},
	}
	if p.Seller.Name != "" {
		f = append(f, field{"Vendedor", p.Seller.Name, CellText})
		if p.Seller.Email != "" {
			f = append(f, field{"E-mail do vendedor", p.Seller.Email, CellText})
		}
		if p.Seller.Phone != "" {
			f = append(f, field{"Telefone do vendedor", p.Seller.Phone, CellText})
		}
	}
	if p.TaxesNote != "" {
		f = append(f, field{"Impostos", p.TaxesNote, CellText})
	}
	return f
}

// conditions are the proposal's terms under its lines, as sentences.
func conditions(p *proposal) []string {
	c := []string{"Condições de pagamento: " + paymentText(p) + "."}
	if p.PORequired {
		c = append(c, poText+".")
	}
	return append(c, "Preços em reais (R$), válidos até "+ptbr.Date(p.ValidUntil)+".")
}

// acceptance is the customer's acceptance block: its title and the lines
// to fill in.
var acceptance = []string{"Nome:", "Cargo:", "Data:", "Assinatura:"}

const acceptanceTitle = "Aceite do cliente"

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

// PDF layout: A4 portrait, 15 mm margins, 180 mm across.
const (
	pdfMargin = 15.0
	pdfWidth  = 180.0
	lineH     = 4.2 // a wrapped line of the lines table (8 pt)
)

func writeProposalPDF(path string, co Company, p *proposal, stamp time.Time) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	title := p.Title + " " + p.Number
	if p.Draft {
		title += " (" + DraftBanner + ")"
	}
	pdf.SetTitle(title, true)
	pdf.SetAuthor(co.Name, true)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin)
	// The core fonts with Windows-1252 text render Portuguese accents.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AliasNbPages("")
	if p.Draft {
		// Every page: the banner on top, and the word across the page.
		pdf.SetHeaderFuncMode(func() {
			pdf.TransformBegin()
			pdf.TransformRotate(45, 105, 160)
			pdf.SetFont("Helvetica", "B", 60)
			pdf.SetTextColor(245, 200, 200)
			pdf.Text(35, 175, "RASCUNHO")
			pdf.TransformEnd()
			pdf.SetFont("Helvetica", "B", 12)
			pdf.SetTextColor(192, 0, 0)
			pdf.SetDrawColor(192, 0, 0)
			pdf.CellFormat(0, 8, tr(DraftBanner), "1", 1, "C", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
			pdf.SetDrawColor(0, 0, 0)
			pdf.Ln(2)
		}, false)
	}
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
			pdf.MultiCell(0, 4.5, tr(s), "", "L", false)
		}
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 13)
	pdf.MultiCell(0, 8, tr(p.Title+" nº "+p.Number), "B", "L", false)
	pdf.Ln(2)
	for _, f := range proposalFields(p)[1:] {
		v := f.Value
		if f.Kind == CellDate {
			v = ptbr.Date(v)
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(45, 5.5, tr(f.Label+":"), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 5.5, tr(v), "", "L", false)
	}
	pdf.Ln(4)

	// Lines: item, product (its name from the vendor's list, wrapped, never
	// cut), code, term and billing, quantity, unit price, total.
	widths := []float64{8, 49, 35, 25, 13, 25, 25}
	heads := []string{"Item", "Produto", "Código", "Prazo", "Qtde", "Preço unit.", "Total"}
	aligns := []string{"C", "L", "L", "L", "R", "R", "R"}
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(230, 230, 230)
		for i, h := range heads {
			pdf.CellFormat(widths[i], 6, tr(h), "1", 0, aligns[i], true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 8)
	}
	header()
	_, pageH := pdf.GetPageSize()
	for _, l := range p.Lines {
		cells := []string{fmt.Sprint(l.Item), tr(l.Product), tr(l.Code), tr(termLabel(l.Term, l.Plan)),
			tr(ptbr.Quantity(l.Qty)), tr(ptbr.Money(l.Unit)), tr(ptbr.Money(l.Total))}
		split := make([][][]byte, len(cells))
		n := 1
		for i, c := range cells {
			split[i] = pdf.SplitLines([]byte(c), widths[i]-2)
			n = max(n, len(split[i]))
		}
		h := float64(n)*lineH + 1.6
		if pdf.GetY()+h > pageH-pdfMargin-10 {
			pdf.AddPage()
			header()
		}
		x, y := pdf.GetX(), pdf.GetY()
		for i := range cells {
			pdf.Rect(x, y, widths[i], h, "D")
			for k, ln := range split[i] {
				pdf.SetXY(x, y+0.8+float64(k)*lineH)
				pdf.CellFormat(widths[i], lineH, string(ln), "", 0, aligns[i], false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(pdfMargin, y+h)
		if l.Period != "" {
			// A prorated line says the period its price covers.
			pdf.SetFont("Helvetica", "I", 8)
			pdf.MultiCell(180, lineH+0.8, tr("Item "+fmt.Sprint(l.Item)+": valor proporcional ao período de "+l.Period+"."), "1", "L", false)
			pdf.SetFont("Helvetica", "", 8)
		}
	}
	pdf.SetFont("Helvetica", "B", 10)
	// The total, in a larger bold font than the lines, may need more room
	// than the Total column: it takes it from the label cell.
	total := tr(ptbr.Money(p.Total))
	w := max(widths[6], pdf.GetStringWidth(total)+4)
	pdf.CellFormat(pdfWidth-w, 7, tr("Total da proposta"), "1", 0, "R", false, 0, "")
	pdf.CellFormat(w, 7, total, "1", 1, "R", false, 0, "")
	pdf.Ln(5)

	pdf.SetFont("Helvetica", "", 10)
	for _, c := range conditions(p) {
		if c == poText+"." {
			pdf.SetFont("Helvetica", "B", 10)
		}
		pdf.MultiCell(0, 5, tr(c), "", "L", false)
		pdf.SetFont("Helvetica", "", 10)
	}

	// The customer's acceptance, kept whole on one page.
	if pdf.GetY()+8+float64(len(acceptance))*9 > pageH-pdfMargin-10 {
		pdf.AddPage()
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, tr(acceptanceTitle), "B", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	for _, a := range acceptance {
		pdf.CellFormat(28, 9, tr(a), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 9, "", "B", 1, "L", false, 0, "")
	}
	return pdf.OutputFileAndClose(path)
}

func cnpjLine(c string) string {
	if c == "" {
		return ""
	}
	return "CNPJ " + c
}

// writeProposalXLSX writes the proposal as one sheet laid out as the PDF
// is: the company, the head (dates as dates), the lines (quantities and
// prices as numbers, the total a formula), the conditions and the
// customer's acceptance; a draft says so in its first row, its sheet's
// name and every printed page's header.
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
	cols := []XLSXColumn{
		{Title: co.Name, Kind: CellText, Width: 20}, {Title: "", Kind: CellText, Width: 42}, {Title: "", Kind: CellText, Width: 20},
		{Title: "", Kind: CellText, Width: 16}, {Title: "", Kind: CellQuantity, Width: 7}, {Title: "", Kind: CellMoneyBRL, Width: 17},
		{Title: "", Kind: CellMoneyBRL, Width: 17},
	}
	sheet, opts := "Proposta", SheetOptions{Document: true, Main: true}
	if p.Draft {
		sheet, opts.Banner = "Proposta (RASCUNHO)", DraftBanner
	}
	if err := x.AddSheetWith(sheet, cols, opts); err != nil {
		return err
	}
	row := func(cells ...cellSpec) error {
		r := make([]cellSpec, len(cols))
		copy(r, cells)
		return x.writeCells(r, rowInfo)
	}
	text := func(s string) cellSpec { return cellSpec{value: s, kind: CellText} }
	styled := func(s string, style int) cellSpec { return cellSpec{value: s, kind: CellText, style: style} }
	if p.Draft {
		if err := row(styled(DraftBanner, styleBanner)); err != nil {
			return err
		}
	}
	for _, s := range []string{cnpjLine(co.CNPJ), co.Address, co.Contact} {
		if s != "" {
			if err := row(text(s)); err != nil {
				return err
			}
		}
	}
	if err := row(); err != nil {
		return err
	}
	for _, fl := range proposalFields(p) {
		if err := row(styled(fl.Label, styleLabel), cellSpec{value: fl.Value, kind: fl.Kind, style: kindStyle(fl.Kind)}); err != nil {
			return err
		}
	}
	if err := row(); err != nil {
		return err
	}
	heads := []string{"Item", "Produto", "Código", "Prazo", "Qtde", "Preço unit. (R$)", "Total (R$)"}
	hs := make([]cellSpec, len(heads))
	for i, h := range heads {
		hs[i] = styled(h, styleHeader)
	}
	if err := row(hs...); err != nil {
		return err
	}
	first := x.sheets[len(x.sheets)-1].nextRow()
	for _, l := range p.Lines {
		if err := row(cellSpec{value: fmt.Sprint(l.Item), kind: CellInteger, style: styleInteger}, styled(l.Product, styleWrap), text(l.Code),
			text(termLabel(l.Term, l.Plan)), cellSpec{value: l.Qty, kind: CellQuantity, style: quantityStyle(l.Qty)},
			cellSpec{value: l.Unit, kind: CellMoneyBRL, style: styleMoney}, cellSpec{value: l.Total, kind: CellMoneyBRL, style: styleMoney}); err != nil {
			return err
		}
		if l.Period != "" {
			// A prorated line says the period its price covers, in a row
			// of its own that the total's SUM(G…) skips (no value in G).
			if err := row(cellSpec{}, styled("Item "+fmt.Sprint(l.Item)+": valor proporcional ao período de "+l.Period+".", styleWrap)); err != nil {
				return err
			}
		}
	}
	last := x.sheets[len(x.sheets)-1].nextRow() - 1
	total := cellSpec{value: p.Total, kind: CellMoneyBRL, style: styleTotalMoney}
	if len(p.Lines) > 0 {
		total.formula = fmt.Sprintf("SUM(G%d:G%d)", first, last)
	}
	if err := row(styled("Total da proposta", styleTotal), styled("", styleTotal), cellSpec{}, cellSpec{}, cellSpec{}, cellSpec{}, total); err != nil {
		return err
	}
	if err := row(); err != nil {
		return err
	}
	for _, c := range conditions(p) {
		if err := row(text(c)); err != nil {
			return err
		}
	}
	if err := row(); err != nil {
		return err
	}
	if err := row(styled(acceptanceTitle, styleLabel)); err != nil {
		return err
	}
	for _, a := range acceptance {
		if err := row(text(a), styled("_______________________________________", 0)); err != nil {
			return err
		}
	}
	return nil
}

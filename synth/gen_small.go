package synth

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/salesops/salesops/calendar"
)

// mix hashes a seed and some numbers into 64 well-mixed bits (splitmix64
// steps): the small files' randomness, a pure function of what it is for,
// so a file does not depend on the order others were written in.
func mix(seed uint64, parts ...uint64) uint64 {
	x := seed ^ 0x9e3779b97f4a7c15
	for _, p := range parts {
		x ^= p + 0x9e3779b97f4a7c15 + (x << 6) + (x >> 2)
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		x = z ^ (z >> 31)
	}
	return x
}

// Tags for mix, so two uses of the same numbers draw differently.
const (
	tCNPJ = iota + 1
	tName
	tCSP
	tSucc
	tLines
	tQty
	tOnboard
	tEA
	tSAM
	tOrder
	tAdobe
	tQuote
	tPTAX
	tNF
)

func (g *gen) rnd(parts ...uint64) uint64 { return mix(uint64(g.o.Seed), parts...) }

type customer struct {
	id, name, asciiName, domain  string
	cnpjFmt, vendorID, segment   string
	cutoff, terms                int
	creditCents                  int64
	restrictions, portal, manger string
	poRequired                   bool
}

var (
	namePrefix = []string{"Construtora", "Comércio", "Distribuidora", "Indústria", "Serviços", "Tecnologia", "Agropecuária", "Hospital", "Escola", "Transportes", "Logística", "Farmácia", "Mineração", "Cooperativa"}
	nameMiddle = []string{"São João", "Minas Gerais", "Açaí", "Horizonte", "Pampulha", "Savassi", "Ipê Amarelo", "Jequitinhonha", "Paraná", "Goiás", "Conceição", "Três Corações", "Ouro Preto", "Itaúna"}
	nameSuffix = []string{"Ltda", "S.A.", "Eireli", "Ltda - ME"}
	managers   = []string{"João Simões", "Mariana Conceição", "Luís Araújo", "Cláudia Gonçalves"}
	sellers    = []string{"Ana Paula", "Bruno", "Carla", "Diogo Magalhães"}
	unaccent   = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ã", "a", "é", "e", "ê", "e", "í", "i", "ó", "o", "ô", "o", "õ", "o", "ú", "u", "ç", "c",
		"Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ç", "C")
)

// customers builds the master: valid CNPJs (distinct: the base is an
// injective function of k), the first tenth Corporate, a few Education,
// restrictions on every third.
func customers(seed int64, n int) []customer {
	s := uint64(seed)
	off := mix(s, tCNPJ)
	cs := make([]customer, n)
	for k := range cs {
		base := (uint64(k)*2654435761 + off) % 100000000
		digits := fmt.Sprintf("%08d0001", base)
		digits += cnpjCheck(digits)
		h := mix(s, tName, uint64(k))
		name := fmt.Sprintf("%s %s %d %s", namePrefix[h%uint64(len(namePrefix))], nameMiddle[h/16%uint64(len(nameMiddle))], k+1, nameSuffix[h/256%uint64(len(nameSuffix))])
		ascii := unaccent.Replace(name)
		c := customer{
			id:        fmt.Sprintf("C%06d", k+1),
			name:      name,
			asciiName: ascii,
			domain:    fmt.Sprintf("cliente%06d.onmicrosoft.com", k+1),
			cnpjFmt:   digits[:2] + "." + digits[2:5] + "." + digits[5:8] + "/" + digits[8:12] + "-" + digits[12:],
			vendorID:  uuidOf(mix(s, tName, uint64(k), 1), mix(s, tName, uint64(k), 2)),
			segment:   "SMB",
			cutoff:    20 + k%8,
			terms:     []int{28, 30, 30, 45}[k%4],
			manger:    managers[k%len(managers)],
		}
		switch {
		case k < max(1, n/10):
			c.segment = "Corporate"
			c.creditCents = 200000000 + int64(h%10)*50000000
		case k%17 == 16:
			c.segment = "Education"
			c.creditCents = 10000000
		default:
			c.creditCents = 5000000 + int64(k%10)*1000000
		}
		switch k % 6 {
		case 0:
			c.restrictions, c.portal, c.poRequired = "po_required|portal", "Ariba", true
		case 3:
			c.restrictions, c.portal = "portal", "Coupa"
		}
		cs[k] = c
	}
	return cs
}

// cnpjCheck returns the two check digits of a 12-digit CNPJ base (mod 11).
func cnpjCheck(d string) string {
	dv := func(s string) byte {
		sum, w := 0, 2
		for i := len(s) - 1; i >= 0; i-- {
			sum += int(s[i]-'0') * w
			if w++; w > 9 {
				w = 2
			}
		}
		r := sum % 11
		if r < 2 {
			return '0'
		}
		return byte('0' + 11 - r)
	}
	d1 := dv(d)
	return string([]byte{d1, dv(d + string(d1))})
}

func uuidOf(a, b uint64) string {
	h := fmt.Sprintf("%016x%016x", a, b)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// rates of one PTAX day, × 10,000.
type rates struct{ usd4, eur4 int64 }

// ptaxSeries walks the USD rate a cent at most a business day, from
// 5.30–5.69, over every business day from..to; EUR at 1.16 USD.
func ptaxSeries(seed int64, from, to time.Time) map[time.Time]rates {
	out := map[time.Time]rates{}
	usd := int64(53000 + mix(uint64(seed), tPTAX)%4000)
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if !calendar.IsBusinessDay(d) {
			continue
		}
		usd += int64(mix(uint64(seed), tPTAX, uint64(d.Unix()))%201) - 100
		usd = min(max(usd, 48000), 62000)
		out[d] = rates{usd4: usd, eur4: usd * 116 / 100}
	}
	return out
}

func prevBusinessDay(d time.Time) time.Time {
	for d = d.AddDate(0, 0, -1); !calendar.IsBusinessDay(d); d = d.AddDate(0, 0, -1) {
	}
	return d
}

// product is what the small files need of a Microsoft product.
type product struct {
	id, sku, title string
	cents          int64 // P1M monthly USD cost
}

func (g *gen) productList(ctx context.Context) ([]product, error) {
	rows, err := g.db.QueryContext(ctx, "SELECT gen_product_id(p), gen_sku_id(p), gen_title(p), gen_price_cents(p) FROM range(getvariable('products')) t(p) ORDER BY p")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []product
	for rows.Next() {
		var p product
		if err := rows.Scan(&p.id, &p.sku, &p.title, &p.cents); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// brl formats cents as the ERP does: 1.234,56.
func brl(c int64) string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := fmt.Sprint(c / 100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	s = fmt.Sprintf("%s,%02d", s, c%100)
	if neg {
		s = "-" + s
	}
	return s
}

func usd(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

func br(d time.Time) string { return d.Format("02/01/2006") }

// win1252 encodes text that is ASCII or Latin-1 letters (all the
// generator writes) as Windows-1252, which agrees with Latin-1 there.
func win1252(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff || (r >= 0x80 && r < 0xa0) {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// csvFile collects the lines of a small file.
type csvFile struct {
	lines []string
	crlf  bool
	cp    bool // Windows-1252
}

func (f *csvFile) add(format string, a ...any) { f.lines = append(f.lines, fmt.Sprintf(format, a...)) }

func (g *gen) write(rel, kind string, f *csvFile, header bool) error {
	nl := "\n"
	if f.crlf {
		nl = "\r\n"
	}
	text := strings.Join(f.lines, nl) + nl
	data := []byte(text)
	if f.cp {
		data = win1252(text)
	}
	p, err := g.path(rel)
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	rows := int64(len(f.lines))
	if header {
		rows--
	}
	g.count(kind, rows)
	return nil
}

// smallFiles writes the master data, contracts, rules, PTAX, the Adobe
// list, SAM counts and quote requests.
func (g *gen) smallFiles(ctx context.Context) error {
	ps, err := g.productList(ctx)
	if err != nil {
		return err
	}
	for _, step := range []func([]product) error{g.customerFiles, g.contractFiles, g.ruleFiles, g.ptaxFile, g.adobeFile, g.quoteFiles} {
		if err := step(ps); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) customerFiles([]product) error {
	// The master comes from the old ERP: Windows-1252, CRLF.
	f := &csvFile{crlf: true, cp: true}
	f.add("customer_id;name;cnpj;segment;billing_cutoff_day;payment_terms_days;credit_limit;restrictions;portal;account_manager;status")
	va := &csvFile{}
	va.add("vendor;vendor_customer_id;customer_id")
	for _, c := range g.cust {
		f.add("%s;%s;%s;%s;%d;%d;%s;%s;%s;%s;active", c.id, c.name, c.cnpjFmt, c.segment, c.cutoff, c.terms, brl(c.creditCents), c.restrictions, c.portal, c.manger)
		va.add("Microsoft;%s;%s", c.vendorID, c.id)
	}
	if err := g.write("erp/customers/clientes.csv", "erp_customers", f, true); err != nil {
		return err
	}
	return g.write("erp/vendor_accounts/contas_fabricantes.csv", "erp_vendor_accounts", va, true)
}

// adobeParts are the Adobe list's products: part number, family, yearly
// partner price in USD cents.
func adobeParts() []struct {
	part, family string
	cents        int64
} {
	fams := []string{"Acrobat Pro", "Creative Cloud All Apps", "Photoshop", "Illustrator", "InDesign", "Premiere Pro", "After Effects", "Adobe Stock"}
	var out []struct {
		part, family string
		cents        int64
	}
	for i, f := range fams {
		for lvl := 0; lvl < 4; lvl++ {
			out = append(out, struct {
				part, family string
				cents        int64
			}{fmt.Sprintf("65304%03dCA0%dA12", 100+i, lvl+1), f, int64(23988 + i*12000 - lvl*1200)})
		}
	}
	return out
}

// contractFiles writes contracts, their lines, the contracts' own orders
// (EA annual and true-up orders) and their invoices, and SAM counts. The
// contracts are laid out around as-of so that every renewal bucket and
// T-36 status occurs: CSP contracts end from 90 days before to 390 after
// it (half of the ended ones renewed by a successor), EA agreements run
// three years, Adobe ones one.
func (g *gen) contractFiles(ps []product) error {
	A := g.asOf
	csp := &csvFile{}
	csp.add("contract_id;customer_id;vendor;program;agreement_number;start_date;end_date;billing_frequency;currency;status;onboarding_date;true_up_program")
	other := &csvFile{cp: true, crlf: true}
	other.add("contract_id;customer_id;vendor;program;agreement_number;start_date;end_date;billing_frequency;currency;status;onboarding_date;true_up_program")
	lines := &csvFile{}
	lines.add("contract_id;product_id;sku_id;description;quantity;unit_price;license_price;annual_price;currency")
	sam := &csvFile{}
	sam.add("customer_id;contract_id;product_id;sku_id;deployed_quantity;count_date")
	orders := &csvFile{}
	orders.add("so_number;po_number;customer_id;contract_id;order_date;order_type;line;product_id;sku_id;quantity;unit_price_brl;period_start;period_end;vendor_subscription_id;status")
	invoices := &csvFile{}
	invoices.add("nf_number;series;kind;issue_date;customer_cnpj;so_number;gross;discount;taxes_withheld;net;status;due_date;paid_date;paid_amount;portal_posted_date;replaces_nf")
	onboarding := func(k int, tag uint64, start time.Time) string {
		h := g.rnd(tOnboard, tag, uint64(k))
		d := start.AddDate(0, 0, 10+int(h%30))
		if h/64%10 < 3 || d.After(A) {
			return ""
		}
		return br(d)
	}
	nOrder, nInvoice := 0, 0
	for k, c := range g.cust {
		u := uint64(k)
		// CSP NCE, monthly: the contract the subscriptions' orders name.
		end := A.AddDate(0, 0, int(g.rnd(tCSP, u)%480)-90)
		start := end.AddDate(-1, 0, 1)
		id := fmt.Sprintf("K%06d", k+1)
		csp.add("%s;%s;Microsoft;CSP NCE — mensal;AG-%d-%06d;%s;%s;monthly;BRL;active;%s;", id, c.id, start.Year(), k+1, br(start), br(end), onboarding(k, 1, start))
		n := 1 + int(g.rnd(tLines, u)%3)
		for j := 0; j < n; j++ {
			p := ps[g.rnd(tLines, u, uint64(j))%uint64(len(ps))]
			q := 5 + g.rnd(tQty, u, uint64(j))%100
			// a month of the P1Y monthly plan at 5.40 and 12 % over cost
			unit := p.cents * 1050 / 1200 * 54 / 10 * 112 / 100
			lines.add("%s;%s;%s;Licença %s;%d;%s;;%s;BRL", id, p.id, p.sku, p.title, q, brl(unit), brl(unit*12))
		}
		if end.Before(A) && k%2 == 0 {
			s2 := end.AddDate(0, 0, 1)
			e2 := s2.AddDate(1, 0, -1)
			sid := id + "-R"
			csp.add("%s;%s;Microsoft;CSP NCE — mensal;AG-%d-%06d-R;%s;%s;monthly;BRL;active;;", sid, c.id, s2.Year(), k+1, br(s2), br(e2))
			p := ps[g.rnd(tSucc, u)%uint64(len(ps))]
			lines.add("%s;%s;%s;Licença %s;%d;%s;;%s;BRL", sid, p.id, p.sku, p.title, 10, brl(p.cents*5), brl(p.cents*60))
		}
		// Enterprise Agreement, three years, annual orders and true-ups.
		if k%5 == 0 {
			start := A.AddDate(0, 0, -200-int(g.rnd(tEA, u)%800))
			end := start.AddDate(3, 0, -1)
			id := fmt.Sprintf("E%06d", k+1)
			other.add("%s;%s;Microsoft;Enterprise Agreement;EA-%d-%06d;%s;%s;annual;BRL;active;%s;EA", id, c.id, start.Year(), k+1, br(start), br(end), onboarding(k, 2, start))
			for j := 0; j < 2; j++ {
				// On-premises licences, not in the NCE list: their orders
				// have no subscription and must not meet the CSP bills.
				p := onPrem[(g.rnd(tEA, u)+uint64(j))%uint64(len(onPrem))]
				annual := p.cents
				q := 50 + g.rnd(tQty, u, uint64(j), 2)%450
				lines.add("%s;%s;;%s;%d;%s;%s;%s;BRL", id, p.id, p.title, q, brl(annual), brl(annual*2), brl(annual))
				// counts: an older one, then the latest, around the entitlement
				for x, back := range []int{75, 1 + int(g.rnd(tSAM, u, uint64(j))%40)} {
					dep := max(int64(q)+int64(g.rnd(tSAM, u, uint64(j), uint64(x))%31)-10, 0)
					sam.add("%s;%s;%s;;%d;%s", c.id, id, p.id, dep, br(A.AddDate(0, 0, -back)))
				}
				if j > 0 {
					continue
				}
				// The annual order of each anniversary passed (one in six
				// missing: overdue), and a true-up in the first year for
				// half of them; each invoiced once, for its value.
				for y := 1; y < 3; y++ {
					ann := start.AddDate(y, 0, 0)
					if ann.After(A) {
						break
					}
					kinds := []string{"annual"}
					if y == 1 && g.rnd(tOrder, u, 1)%2 == 0 {
						kinds = append(kinds, "true_up")
					}
					for _, kind := range kinds {
						if kind == "annual" && g.rnd(tOrder, u, uint64(y))%6 == 0 {
							continue
						}
						nOrder++
						so := fmt.Sprintf("SO-EA%06d", nOrder)
						qty, from, to := int64(q), ann, ann.AddDate(1, 0, -1)
						unitCents := annual
						if kind == "true_up" {
							qty, from, to = 1+int64(g.rnd(tOrder, u, 9)%3), ann.AddDate(0, 0, -45), ann.AddDate(0, 0, -16)
							unitCents = annual * 2
						}
						od := from.AddDate(0, 0, -10)
						orders.add("%s;;%s;%s;%s;%s;1;%s;;%d;%s;%s;%s;;invoiced", so, c.id, id, br(od), kind, p.id, qty, brl(unitCents), br(from), br(to))
						nInvoice++
						v := qty * unitCents
						due := od.AddDate(0, 0, c.terms)
						paid, paidAmt := "", ""
						if due.Before(A) {
							paid, paidAmt = br(due), brl(v)
						}
						invoices.add("%d;1;NFE;%s;%s;%s;%s;0,00;0,00;%s;autorizada;%s;%s;%s;;", 500000000+nInvoice, br(od), c.cnpjFmt, so, brl(v), brl(v), br(due), paid, paidAmt)
						// in scope of a generated month's reconciliation: matched
						for _, m := range g.months {
							mEnd := m.start.AddDate(0, 1, -1)
							if !from.After(mEnd) && !to.Before(m.start) {
								g.sum.Classes[m.period()]["matched"]++
							}
						}
					}
				}
			}
		}
		// Adobe VIP Marketplace, a year.
		if k%7 == 1 {
			end := A.AddDate(0, 0, int(g.rnd(tAdobe, u)%400)-60)
			start := end.AddDate(-1, 0, 1)
			id := fmt.Sprintf("A%06d", k+1)
			other.add("%s;%s;Adobe;VIP Marketplace;VIP-%06d;%s;%s;annual;BRL;active;%s;", id, c.id, k+1, br(start), br(end), onboarding(k, 3, start))
			parts := adobeParts()
			a := parts[g.rnd(tAdobe, u, 1)%uint64(len(parts))]
			q := 1 + g.rnd(tAdobe, u, 2)%30
			lines.add("%s;%s;;%s;%d;%s;;;BRL", id, a.part, a.family, q, brl(a.cents*54/10*118/100))
		}
	}
	for _, w := range []struct {
		rel, kind string
		f         *csvFile
	}{
		{"erp/contracts/contratos_csp.csv", "erp_contracts", csp},
		{"erp/contracts/contratos_ea_adobe.csv", "erp_contracts", other},
		{"erp/contract_lines/itens_contrato.csv", "erp_contract_lines", lines},
		{"erp/orders/pedidos_contratos.csv", "erp_orders", orders},
		{"erp/invoices/notas_contratos.csv", "erp_invoices", invoices},
		{"sam/contagens.csv", "sam", sam},
	} {
		if err := g.write(w.rel, w.kind, w.f, true); err != nil {
			return err
		}
	}
	return nil
}

// onPrem are the EA's products: id, title, yearly price in BRL cents.
var onPrem = []product{
	{id: "9EM-00652", title: "SQL Server Standard - 2 Core License Pack", cents: 190000},
	{id: "7JQ-01275", title: "SQL Server Enterprise - 2 Core License Pack", cents: 720000},
	{id: "9EA-00039", title: "Windows Server Datacenter - 2 Core License Pack", cents: 310000},
	{id: "9EM-00270", title: "Windows Server Standard - 2 Core License Pack", cents: 52000},
	{id: "MX3-00115", title: "Visual Studio Enterprise", cents: 1150000},
}

func (g *gen) ruleFiles([]product) error {
	pricing := &csvFile{}
	for _, l := range []string{
		"vendor;segment;product_family;method;pct;min_margin_pct",
		"*;*;*;markup;15;8",
		"Microsoft;*;*;markup;12;8",
		"Microsoft;Education;*;markup;8;5",
		"Microsoft;*;Microsoft 365*;list_discount;5;10",
		"Adobe;*;*;markup;18;10",
		"Adobe;EDU;*;list_discount;10;12",
	} {
		pricing.add("%s", l)
	}
	if err := g.write("rules/pricing.csv", "pricing_rules", pricing, true); err != nil {
		return err
	}
	from := g.months0()
	to := g.end.AddDate(1, 0, -1)
	inc := &csvFile{}
	inc.add("vendor;program;sku_pattern;pct;valid_from;valid_to")
	inc.add("Microsoft;CSP Core Incentive;CFQ7TTC0*;3;%s;%s", br(from), br(to))
	inc.add("Microsoft;Promo Dynamics;CFQ7TTC0001*;5;%s;%s", br(g.end), br(g.end.AddDate(0, 1, -1)))
	inc.add("Adobe;VIP Marketplace Rebate;653045*;2,5;;")
	return g.write("rules/incentives.csv", "incentive_rules", inc, true)
}

// ptaxFile writes Banco Central's PTAX lines (USD and EUR) for every
// business day from 20 days before the first month to a month after as-of.
func (g *gen) ptaxFile([]product) error {
	from, to := g.firstDay(), g.lastDay()
	rs := ptaxSeries(g.o.Seed, from, to)
	f := &csvFile{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		r, ok := rs[d]
		if !ok {
			continue
		}
		day := d.Format("02012006")
		f.add("%s;220;A;USD;%s;%s;1,0000;1,0000", day, rate(r.usd4-6), rate(r.usd4))
		f.add("%s;978;B;EUR;%s;%s;1,1598;1,1600", day, rate(r.eur4-6), rate(r.eur4))
	}
	return g.write(fmt.Sprintf("fx/ptax_%s_%s.csv", from.Format("200601"), to.Format("200601")), "ptax", f, false)
}

func rate(r4 int64) string { return fmt.Sprintf("%d,%04d", r4/10000, r4%10000) }

// adobeFile writes the Adobe VIP Marketplace list: last month's prices and
// this month's (changed for one part in four), COM and EDU.
func (g *gen) adobeFile([]product) error {
	f := &csvFile{}
	f.add("partNumber,productFamily,productType,levelDetails,duration,marketSegment,currency,partnerPrice,estimatedStreetPrice,priceListMonth,acdIndicator")
	prev, cur := g.end.AddDate(0, -1, 0).Format("200601"), g.end.Format("200601")
	for i, a := range adobeParts() {
		level := fmt.Sprintf("Level %d %s", 1+i%4, []string{"1 - 9", "10 - 49", "50 - 99", "100+"}[i%4])
		f.add("%s,%s,Team,%s,12 MONTHS,COM,USD,%s,%s,%s,A", a.part, a.family, level, usd(a.cents), usd(a.cents*12/10), prev)
		if i%4 == 1 {
			c := a.cents * 105 / 100
			f.add("%s,%s,Team,%s,12 MONTHS,COM,USD,\"USD %s\",%s,%s,C", a.part, a.family, level, usd(c), usd(c*12/10), cur)
		}
		f.add("%sEDU,%s,Team,%s,12 MONTHS,EDU,USD,%s,%s,%s,A", a.part, a.family, level, usd(a.cents*45/100), usd(a.cents*55/100), prev)
	}
	return g.write(fmt.Sprintf("pricelists/adobe/vip_marketplace_la_%s.csv", cur), "adobe_prices", f, true)
}

// quoteFiles writes the sellers' requests of the latest month: each line
// names its product fully (SKU, segment, term, plan, currency: one price
// row), a discount now and then (20 % needs approval), and one line in 25
// an unknown product (the request is rejected). A tenth of the requests
// get a second revision a week later, in a Windows-1252 file.
func (g *gen) quoteFiles(ps []product) error {
	n := min(max(g.o.Customers/5, 5), 2000)
	header := "request_id;requested_on;seller;customer;vendor;product_id;sku_id;segment;term;billing_plan;currency;quantity;discount_pct;notes"
	first := &csvFile{}
	first.add("%s", header)
	second := &csvFile{cp: true}
	second.add("%s", header)
	for r := 0; r < n; r++ {
		u := uint64(r)
		k := int(g.rnd(tQuote, u) % uint64(len(g.cust)))
		cust := g.cust[k].id
		if r%3 == 1 {
			cust = g.cust[k].cnpjFmt
		}
		day := g.end.AddDate(0, 0, int(g.rnd(tQuote, u, 1)%20))
		seller := sellers[r%len(sellers)]
		nl := 1 + int(g.rnd(tQuote, u, 2)%3)
		for rev, f := range []*csvFile{first, second} {
			if rev == 1 && r%10 != 3 {
				break
			}
			for j := 0; j < nl; j++ {
				h := g.rnd(tQuote, u, 3, uint64(j))
				p := ps[h%uint64(len(ps))]
				pid := p.id
				if h/1024%25 == 0 {
					pid = fmt.Sprintf("XYZ-%05d", r)
				}
				disc := []string{"0", "0", "0", "0", "0", "0", "5", "5", "20", "2,5"}[h/65536%10]
				note := ""
				if rev == 1 {
					note = "revisão: quantidade"
				}
				f.add("Q-%05d;%s;%s;%s;Microsoft;%s;%s;Commercial;P1Y;Annual;USD;%d;%s;%s", r+1, br(day.AddDate(0, 0, 7*rev)), seller, cust, pid, p.sku, 1+h/4096%100+uint64(rev)*5, disc, note)
			}
		}
	}
	d := g.end.Format("2006-01")
	if err := g.write(fmt.Sprintf("quotes/solicitacoes_%s-01.csv", d), "quotes", first, true); err != nil {
		return err
	}
	return g.write(fmt.Sprintf("quotes/solicitacoes_%s-08.csv", d), "quotes", second, true)
}

// nfXML writes the XML of a sample of each month's invoices, as the tax
// authorities return them: the order NF-e of the month's first 30 slots
// and the service NFS-e of its first 3,000, each equal to its register
// line.
func (g *gen) nfXML(ctx context.Context) error {
	for _, m := range g.months {
		if m.hi <= m.lo {
			continue
		}
		rows, err := g.db.QueryContext(ctx, fmt.Sprintf(`SELECT nf_number, kind, x.cust, x.cnpj, x.issued, x.product_id, x.product_name, x.qty, x.unit_cents, x.gross, x.taxes
			FROM gen_invoices(%d, %d) WHERE x.k = 2 OR x.i < %d`, m.lo, min(m.hi, m.lo+3000), m.lo+30))
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				nf, kind, cnpj, pid, pname  string
				cust, qty, unit, gross, tax int64
				issued                      time.Time
			)
			if err := rows.Scan(&nf, &kind, &cust, &cnpj, &issued, &pid, &pname, &qty, &unit, &gross, &tax); err != nil {
				rows.Close()
				return err
			}
			var doc []byte
			var name string
			if kind == "NFE" {
				doc, name = g.nfe(nf, cnpj, issued, pid, pname, qty, unit, gross), "nfe_"+nf+".xml"
			} else {
				doc, name = g.nfse(nf, cnpj, g.cust[cust].name, issued, gross, tax), "nfse_"+nf+".xml"
			}
			p, err := g.path(fmt.Sprintf("nf/%s/%s", issued.Format("2006/01"), name))
			if err == nil {
				err = os.WriteFile(p, doc, 0o644)
			}
			if err != nil {
				rows.Close()
				return err
			}
			g.count("nf_xml", 1)
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

// ourCNPJ issues every invoice (the company block of examples/salesops.yaml).
const ourCNPJ = "11222333000181"

// nfeKey is the 44-digit access key: cUF, AAMM, issuer CNPJ, model 55,
// series, number, emission type, a code and the mod-11 check digit.
func nfeKey(issued time.Time, series, number int, code uint64) string {
	k := fmt.Sprintf("31%s%s55%03d%09d1%08d", issued.Format("0601"), ourCNPJ, series, number, code%100000000)
	sum, w := 0, 2
	for i := len(k) - 1; i >= 0; i-- {
		sum += int(k[i]-'0') * w
		if w++; w > 9 {
			w = 2
		}
	}
	dv := 11 - sum%11
	if dv >= 10 {
		dv = 0
	}
	return k + fmt.Sprint(dv)
}

func (g *gen) nfe(nf, cnpj string, issued time.Time, pid, pname string, qty, unit, gross int64) []byte {
	var n int
	fmt.Sscan(nf, &n)
	key := nfeKey(issued, 1, n, g.rnd(tNF, uint64(n)))
	ts := issued.Add(10*time.Hour).Format("2006-01-02T15:04:05") + "-03:00"
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">
  <NFe xmlns="http://www.portalfiscal.inf.br/nfe">
    <infNFe Id="NFe%s" versao="4.00">
      <ide>
        <serie>1</serie>
        <nNF>%s</nNF>
        <dhEmi>%s</dhEmi>
      </ide>
      <emit>
        <CNPJ>%s</CNPJ>
        <xNome>SALESOPS DISTRIBUIDORA DE SOFTWARE LTDA</xNome>
      </emit>
      <dest>
        <CNPJ>%s</CNPJ>
      </dest>
      <det nItem="1">
        <prod>
          <cProd>%s</cProd>
          <xProd>%s - licença mensal</xProd>
          <qCom>%d.0000</qCom>
          <vUnCom>%s</vUnCom>
          <vProd>%s</vProd>
        </prod>
      </det>
      <total>
        <ICMSTot>
          <vBC>0.00</vBC>
          <vICMS>0.00</vICMS>
          <vProd>%s</vProd>
          <vDesc>0.00</vDesc>
          <vNF>%s</vNF>
        </ICMSTot>
      </total>
    </infNFe>
  </NFe>
  <protNFe versao="4.00">
    <infProt>
      <chNFe>%s</chNFe>
      <dhRecbto>%s</dhRecbto>
      <cStat>100</cStat>
      <xMotivo>Autorizado o uso da NF-e</xMotivo>
    </infProt>
  </protNFe>
</nfeProc>
`, key, nf, ts, ourCNPJ, cnpj, pid, xmlEscape(pname), qty, usd(unit), usd(gross), usd(gross), usd(gross), key, ts)
	return b.Bytes()
}

func (g *gen) nfse(nf, cnpj, name string, issued time.Time, gross, tax int64) []byte {
	var n int
	fmt.Sscan(nf, &n)
	id := fmt.Sprintf("NFS3106200%s%s%013d", ourCNPJ, issued.Format("0601"), n)
	ts := issued.Add(14*time.Hour).Format("2006-01-02T15:04:05") + "-03:00"
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse" versao="1.00">
  <infNFSe Id="%s">
    <nNFSe>%s</nNFSe>
    <cStat>100</cStat>
    <dhProc>%s</dhProc>
    <emit>
      <CNPJ>%s</CNPJ>
    </emit>
    <valores>
      <vBC>%s</vBC>
      <vISSQN>%s</vISSQN>
      <vLiq>%s</vLiq>
    </valores>
    <DPS versao="1.00">
      <infDPS Id="DPS%s">
        <dhEmi>%s</dhEmi>
        <serie>1</serie>
        <toma>
          <CNPJ>%s</CNPJ>
          <xNome>%s</xNome>
        </toma>
        <valores>
          <vServPrest>
            <vServ>%s</vServ>
          </vServPrest>
          <vDescCondIncond>
            <vDescIncond>0.00</vDescIncond>
            <vDescCond>0.00</vDescCond>
          </vDescCondIncond>
        </valores>
      </infDPS>
    </DPS>
  </infNFSe>
</NFSe>
`, id, nf, ts, ourCNPJ, usd(gross), usd(tax), usd(gross-tax), strings.TrimPrefix(id, "NFS"), ts, cnpj, xmlEscape(name), usd(gross))
	return b.Bytes()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

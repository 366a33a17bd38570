package pipelines

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/transform"
)

// Config is everything a run needs. It comes from defaults, then the config
// file, then command-line flags, each overriding the one before.
type Config struct {
	// Inbox is the drop folder (default ./inbox).
	Inbox string `yaml:"inbox"`
	// Out is where publications and the warehouse go (default ./out).
	Out string `yaml:"out"`
	// Warehouse is the DuckDB file (default <out>/warehouse.duckdb).
	Warehouse string `yaml:"warehouse"`
	// Period is the month published, YYYY-MM (default: the month of AsOf).
	Period string `yaml:"period"`
	// AsOf is the reference day, YYYY-MM-DD (default: today).
	AsOf string `yaml:"as_of"`
	// MemoryLimit is the run's memory budget, e.g. "2GB", 256MB or more
	// (the minimum DuckDB runs in): DuckDB gets 75 % of it and spills past
	// that, a workbook's shared strings may hold the rest (default:
	// DuckDB's, 80% of RAM).
	MemoryLimit string `yaml:"memory_limit"`
	// Threads caps DuckDB's threads, 1 or more (default: one per core).
	Threads int `yaml:"threads"`
	// MaxShrinkPct: a run whose main report would have this share fewer
	// rows (in %) than the set published for the same period fails, as an
	// inbox missing files would otherwise replace a good set (1 to 100,
	// default 50; 100 turns this guard off, not the one that fails a run
	// when a vendor or the period's orders, invoices or bills are gone).
	MaxShrinkPct int `yaml:"max_shrink_pct"`
	// AcceptShrink lets one run publish a set that shrank
	// (--accept-shrink); never from the config file.
	AcceptShrink bool `yaml:"-"`
	// Force rebuilds and publishes a set even when the published one is up
	// to date (--force); never from the config file.
	Force bool `yaml:"-"`

	FX struct {
		// MaxAgeDays: a PTAX older than this before the period starts is not
		// used (default 10, enough for a long holiday weekend).
		MaxAgeDays int `yaml:"max_age_days"`
		// Vendors says which rate converts each vendor's price list to BRL,
		// by the vendor's name as its list gives it (case-insensitive):
		// ptax (the default: the PTAX sell of the last business day before
		// the period) or vendor_rate (the vendor's own rate for the period's
		// month, from fx/<vendor>_rates*.csv: Microsoft bills CSP in BRL at
		// Partner Center's monthly rate, PCToBCExchangeRate).
		Vendors map[string]string `yaml:"vendors"`
	} `yaml:"fx"`

	Reconciliation struct {
		// PortalBusinessDays: an authorised invoice of a customer with the
		// "portal" restriction must be posted on its portal within this many
		// business days of issue (default 2; national holidays count as
		// non-business days).
		PortalBusinessDays int `yaml:"portal_business_days"`
		// ERPEncoding of the erp/ exports: utf-8, windows-1252, or empty to
		// detect (UTF-8 unless the bytes are not valid UTF-8).
		ERPEncoding string `yaml:"erp_encoding"`
		// NCECancelHours: an NCE subscription's seats can be reduced at the
		// vendor within this many hours of the charge's start (purchase or
		// renewal), 00:00 that day (default 168, Microsoft's 7 days).
		NCECancelHours int `yaml:"nce_cancel_hours"`
	} `yaml:"reconciliation"`

	Review ReviewConfig `yaml:"review"`

	Lifecycle LifecycleConfig `yaml:"lifecycle"`

	// Fiscal holds the deadlines of the fiscal documents: which instrument
	// corrects a wrong invoice (config_fiscal.go).
	Fiscal FiscalConfig `yaml:"fiscal"`

	Quotes QuotesConfig `yaml:"quotes"`

	// Publish, when set (s3://bucket/prefix), receives a copy of every
	// publication after the local one; see S3Config.
	Publish string `yaml:"publish"`
	// S3 configures the S3 inbox and publication (config_s3.go).
	S3 S3Config `yaml:"s3"`
	// Schedule is the daemon's jobs (config_schedule.go).
	Schedule ScheduleConfig `yaml:"schedule"`
	// LockWait is how long a run, or salesops customer, runs or site, waits
	// for another run (CLI or daemon) to release the warehouse before it
	// fails (default 2m).
	LockWait time.Duration `yaml:"lock_wait"`
	// Log sets the format and level of the structured logs.
	Log LogConfig `yaml:"log"`
	// Trigger is what started the run, for the ledger: "cli" (default) or
	// "schedule"; never from the config file.
	Trigger string `yaml:"-"`

	// Limits bound what one inbox file may expand to (zip entries, XML
	// documents, CSV lines, XLSX cells), each 1 byte or more; a limit
	// left out takes its default.
	Limits extract.Limits `yaml:"limits"`

	// Vendors maps the price lists of vendors without a built-in format,
	// by their folder name under pricelists/.
	Vendors map[string]extract.VendorFormat `yaml:"vendors"`

	// ERP maps ERP exports as the ERP writes them onto the ERP kinds, one
	// block per kind, or from a built-in profile (protheus); see
	// docs/erp.md.
	ERP extract.ERPConfig `yaml:"erp"`

	// zeros are the keys the config file sets to 0, dotted
	// ("limits.max_line_bytes"): where a zero field means "use the
	// default", Resolve tells a 0 written on purpose, outside the key's
	// range, from a key left out.
	zeros map[string]bool
}

// ReviewConfig tunes finance's review of the reconciliation's exceptions
// (docs/review.md).
type ReviewConfig struct {
	// MinAmountBRL: a period's sign-off (reviews/signoff.csv) is accepted
	// only when every exception open at that period with an amount above
	// this many reais has a decision (default 0: every one with an amount).
	MinAmountBRL float64 `yaml:"min_amount_brl"`
	// Start, YYYY-MM, is the first period of the review loop: a run
	// evaluates, from the warehouse's data, every period from Start (or
	// after the latest one published) up to its own, one reconciliation
	// build each (default: the first period published).
	Start string `yaml:"start"`
}

// QuotesConfig tunes the quotes pipeline and says who issues the proposals.
type QuotesConfig struct {
	// ValidDays: a proposal is valid this many days from its request date;
	// 0 (default) means until the last day of the price table's month.
	ValidDays int `yaml:"valid_days"`
	// Company is our block at the top of every proposal.
	Company struct {
		Name    string `yaml:"name"`
		CNPJ    string `yaml:"cnpj"`
		Address string `yaml:"address"`
		Contact string `yaml:"contact"` // e-mail or phone, optional
	} `yaml:"company"`
	// Sellers are our sellers and account managers with their e-mail and
	// phone: a proposal names its request's seller (a renewal draft, its
	// contract's account manager, as the ERP's customer master has it)
	// and, when found here by name (case and spaces aside), how to reach
	// them.
	Sellers []SellerConfig `yaml:"sellers"`
}

// SellerConfig is one seller or account manager.
type SellerConfig struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	Phone string `yaml:"phone"`
}

// company is who issues the config's proposals, with its sellers.
func (q QuotesConfig) company() write.Company {
	c := q.Company
	co := write.Company{Name: c.Name, CNPJ: c.CNPJ, Address: c.Address, Contact: c.Contact}
	for _, s := range q.Sellers {
		co.Sellers = append(co.Sellers, write.Seller{Name: s.Name, Email: s.Email, Phone: s.Phone})
	}
	return co
}

// LifecycleConfig tunes the contract-lifecycle pipeline.
type LifecycleConfig struct {
	// RenewalHorizonDays: contracts ending within this many days of as-of
	// are listed for renewal (default 120).
	RenewalHorizonDays int `yaml:"renewal_horizon_days"`
	// LapsedDays: a contract that ended without a successor stays in the
	// renewals as overdue for this many days after its end, whatever its
	// status in the ERP (default 90).
	LapsedDays int `yaml:"lapsed_days"`
	// TrueUpOpensDays: an anniversary's true-up order or update statement
	// is received from this many days before the anniversary (default 60,
	// the Enterprise Agreement enrollment's window).
	TrueUpOpensDays int `yaml:"true_up_opens_days"`
	// TrueUpDueDays: an anniversary's true-up order or update statement is
	// due this many days before the anniversary (default 30; 0: on it).
	TrueUpDueDays int `yaml:"true_up_due_days"`
	// FinalTrueUpDays: the last true-up is due within this many days
	// before the contract's end date, up to the end date (default 30).
	FinalTrueUpDays int `yaml:"final_true_up_days"`
	// TrueUp holds the true-up price factors per true_up_program (the
	// contracts' column, case-insensitive). EA is always defined: license 1,
	// addition year 0.5, unless set here.
	TrueUp map[string]TrueUpFactors `yaml:"true_up"`
	// TrackFrom, YYYY-MM-DD like as_of, is the day the team started
	// tracking the T-36 calendar: an event due before it without evidence
	// is history (status history), not overdue (default: none, every
	// event is tracked).
	TrackFrom string `yaml:"track_from"`
	// AlarmDays: every event of t36.ics still to do reminds this many days
	// before its due date (default 7; 0 for no reminder).
	AlarmDays int `yaml:"t36_alarm_days"`
}

// TrackFromDate is TrackFrom as a date, or the zero time when not set.
func (l LifecycleConfig) TrackFromDate() time.Time {
	t, _ := time.Parse("2006-01-02", l.TrackFrom)
	return t
}

// TrueUpFactors price a true-up addition: add_qty × (license_price ×
// LicenseFactor + annual_price × (remaining_years + AdditionYearFactor)).
type TrueUpFactors struct {
	// LicenseFactor: the share of the license price charged for an
	// addition (1: the whole license).
	LicenseFactor *float64 `yaml:"license_factor"`
	// AdditionYearFactor: the share of a year's subscription charged for
	// the year the addition was deployed in (0.5: deployed, on average,
	// mid-year).
	AdditionYearFactor *float64 `yaml:"addition_year_factor"`
}

// defaultTrueUp are the factors of programs the config does not set.
var defaultTrueUp = map[string][2]float64{"EA": {1, 0.5}}

// LoadConfig reads a YAML config file. Relative paths in it are taken from
// the file's folder, so a config works from any working directory.
func LoadConfig(path string) (Config, error) {
	var c Config
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	c.zeros = zeroKeys(&doc, "")
	base := filepath.Dir(path)
	for _, p := range []*string{&c.Inbox, &c.Out, &c.Warehouse} {
		if *p != "" && !filepath.IsAbs(*p) && !strings.HasPrefix(*p, "s3://") {
			*p = filepath.Join(base, *p)
		}
	}
	return c, nil
}

// zeroKeys lists the keys under n (a YAML document or mapping) whose value
// is the integer 0, dotted from prefix.
func zeroKeys(n *yaml.Node, prefix string) map[string]bool {
	keys := map[string]bool{}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return keys
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, v := prefix+n.Content[i].Value, n.Content[i+1]
		var x int64
		switch {
		case v.Kind == yaml.MappingNode:
			maps.Copy(keys, zeroKeys(v, key+"."))
		case v.Kind == yaml.ScalarNode && v.Tag == "!!int" && v.Decode(&x) == nil && x == 0:
			keys[key] = true
		}
	}
	return keys
}

var periodRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// Resolve fills defaults and validates; now is today's date for as-of.
func (c *Config) Resolve(now time.Time) error {
	if c.Inbox == "" {
		c.Inbox = "inbox"
	}
	if c.Out == "" {
		c.Out = "out"
	}
	if c.Warehouse == "" {
		c.Warehouse = filepath.Join(c.Out, "warehouse.duckdb")
	}
	if c.AsOf == "" {
		c.AsOf = now.Format("2006-01-02")
	}
	asOf, err := time.Parse("2006-01-02", c.AsOf)
	if err != nil {
		return &UsageError{fmt.Errorf("as-of %q: want YYYY-MM-DD", c.AsOf)}
	}
	if c.Period == "" {
		c.Period = asOf.Format("2006-01")
	}
	if !periodRE.MatchString(c.Period) {
		return &UsageError{fmt.Errorf("period %q: want YYYY-MM", c.Period)}
	}
	if c.MemoryLimit != "" {
		n, err := transform.ParseSize(c.MemoryLimit)
		if err != nil {
			return &UsageError{fmt.Errorf("memory_limit: %w", err)}
		}
		if n < transform.MinMemoryLimit {
			return &UsageError{fmt.Errorf("memory_limit %s: too small for DuckDB, which reads files in blocks of 32 MiB: set %s or more, or leave it out (DuckDB's default, 80 %% of RAM)",
				c.MemoryLimit, transform.MinMemoryLimitText)}
		}
	}
	// 0 is not a setting: every run with a row fewer would fail (a price
	// discontinued does that any month).
	if c.MaxShrinkPct == 0 && !c.zeros["max_shrink_pct"] {
		c.MaxShrinkPct = 50
	}
	if c.MaxShrinkPct < 1 || c.MaxShrinkPct > 100 {
		return &UsageError{fmt.Errorf("max_shrink_pct %d: want 1 to 100 (the %% of the main report's rows a run may lose; 100: any), or leave it out for 50", c.MaxShrinkPct)}
	}
	if c.Threads < 0 || (c.Threads == 0 && c.zeros["threads"]) {
		return &UsageError{fmt.Errorf("threads %d: want 1 or more, or leave it out for one per core", c.Threads)}
	}
	if err := checkLimits(c.Limits, c.zeros); err != nil {
		return &UsageError{err}
	}
	if c.FX.MaxAgeDays == 0 {
		c.FX.MaxAgeDays = 10
	}
	if c.FX.MaxAgeDays < 0 {
		return &UsageError{fmt.Errorf("fx.max_age_days %d: must be positive", c.FX.MaxAgeDays)}
	}
	if c.Reconciliation.PortalBusinessDays == 0 {
		c.Reconciliation.PortalBusinessDays = 2
	}
	if c.Reconciliation.PortalBusinessDays < 0 {
		return &UsageError{fmt.Errorf("reconciliation.portal_business_days %d: must be positive", c.Reconciliation.PortalBusinessDays)}
	}
	if c.Lifecycle.RenewalHorizonDays == 0 {
		c.Lifecycle.RenewalHorizonDays = 120
	}
	if c.Lifecycle.RenewalHorizonDays < 0 {
		return &UsageError{fmt.Errorf("lifecycle.renewal_horizon_days %d: must be positive", c.Lifecycle.RenewalHorizonDays)}
	}
	if err := c.resolveLicensing(); err != nil {
		return &UsageError{err}
	}
	if c.Lifecycle.TrackFrom != "" {
		if _, err := time.Parse("2006-01-02", c.Lifecycle.TrackFrom); err != nil {
			return &UsageError{fmt.Errorf("lifecycle.track_from %q: want YYYY-MM-DD", c.Lifecycle.TrackFrom)}
		}
	}
	if c.Lifecycle.AlarmDays == 0 && !c.zeros["lifecycle.t36_alarm_days"] {
		c.Lifecycle.AlarmDays = 7
	}
	if c.Lifecycle.AlarmDays < 0 {
		return &UsageError{fmt.Errorf("lifecycle.t36_alarm_days %d: want 0 (no reminder) or more days", c.Lifecycle.AlarmDays)}
	}
	if c.Quotes.ValidDays < 0 {
		return &UsageError{fmt.Errorf("quotes.valid_days %d: must be positive", c.Quotes.ValidDays)}
	}
	factors := map[string]TrueUpFactors{}
	for prog, f := range defaultTrueUp {
		factors[prog] = TrueUpFactors{LicenseFactor: &f[0], AdditionYearFactor: &f[1]}
	}
	for prog, f := range c.Lifecycle.TrueUp {
		key := strings.ToUpper(strings.TrimSpace(prog))
		def, ok := factors[key]
		if f.LicenseFactor == nil {
			f.LicenseFactor = def.LicenseFactor
		}
		if f.AdditionYearFactor == nil {
			f.AdditionYearFactor = def.AdditionYearFactor
		}
		if !ok && (f.LicenseFactor == nil || f.AdditionYearFactor == nil) {
			return &UsageError{fmt.Errorf("lifecycle.true_up.%s: set license_factor and addition_year_factor", prog)}
		}
		if *f.LicenseFactor < 0 || *f.AdditionYearFactor < 0 {
			return &UsageError{fmt.Errorf("lifecycle.true_up.%s: factors must not be negative", prog)}
		}
		factors[key] = f
	}
	c.Lifecycle.TrueUp = factors
	if err := c.resolveDaemon(); err != nil {
		return &UsageError{err}
	}
	if c.Review.MinAmountBRL < 0 || math.IsNaN(c.Review.MinAmountBRL) || math.IsInf(c.Review.MinAmountBRL, 0) {
		return &UsageError{fmt.Errorf("review.min_amount_brl %v: must be 0 or more", c.Review.MinAmountBRL)}
	}
	if c.Review.Start != "" && !isPeriod(c.Review.Start) {
		return &UsageError{fmt.Errorf("review.start %q: want YYYY-MM", c.Review.Start)}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Vendors)) {
		switch g := c.Vendors[name].Goods; g {
		case "", "licence", "hardware":
		default:
			return &UsageError{fmt.Errorf("vendors.%s.goods %q: want licence (the default) or hardware", name, g)}
		}
	}
	if err := c.resolveFiscal(); err != nil {
		return &UsageError{err}
	}
	if _, err := extract.ResolveERP(c.ERP); err != nil {
		return &UsageError{err}
	}
	switch strings.ToLower(c.Reconciliation.ERPEncoding) {
	case "", "utf-8", "utf8", "windows-1252", "cp1252":
	default:
		return &UsageError{fmt.Errorf("reconciliation.erp_encoding %q: want utf-8, windows-1252 or empty to detect", c.Reconciliation.ERPEncoding)}
	}
	return nil
}

// resolveLicensing fills the defaults of the licensing rules' settings
// (the vendors' terms, docs/licensing.md) and checks their ranges.
func (c *Config) resolveLicensing() error {
	for _, d := range []struct {
		key string
		v   *int
		def int
	}{
		{"lifecycle.lapsed_days", &c.Lifecycle.LapsedDays, 90},
		{"lifecycle.true_up_opens_days", &c.Lifecycle.TrueUpOpensDays, 60},
		{"lifecycle.true_up_due_days", &c.Lifecycle.TrueUpDueDays, 30},
		{"lifecycle.final_true_up_days", &c.Lifecycle.FinalTrueUpDays, 30},
		{"reconciliation.nce_cancel_hours", &c.Reconciliation.NCECancelHours, 168},
	} {
		if *d.v == 0 && !c.zeros[d.key] {
			*d.v = d.def
		}
		if *d.v < 0 || (*d.v == 0 && d.key != "lifecycle.true_up_due_days") {
			return fmt.Errorf("%s %d: want 1 or more, or leave it out for %d", d.key, *d.v, d.def)
		}
	}
	if c.Lifecycle.TrueUpOpensDays <= c.Lifecycle.TrueUpDueDays {
		return fmt.Errorf("lifecycle.true_up_opens_days %d: must be more than true_up_due_days %d (the window opens before it closes)",
			c.Lifecycle.TrueUpOpensDays, c.Lifecycle.TrueUpDueDays)
	}
	vendors := make(map[string]string, len(c.FX.Vendors))
	for v, src := range c.FX.Vendors {
		key := strings.ToLower(strings.TrimSpace(v))
		switch s := strings.ToLower(strings.TrimSpace(src)); s {
		case "ptax", "vendor_rate":
			if prev, ok := vendors[key]; ok && prev != s {
				return fmt.Errorf("fx.vendors.%s: set twice (%s and %s)", v, prev, s)
			}
			vendors[key] = s
		default:
			return fmt.Errorf("fx.vendors.%s %q: want ptax or vendor_rate", v, src)
		}
	}
	c.FX.Vendors = vendors
	return nil
}

// checkLimits fails a limit below 1 byte: 0 written in the config file
// (zeros) or a negative one, which would otherwise take the default.
func checkLimits(l extract.Limits, zeros map[string]bool) error {
	v := reflect.ValueOf(l)
	for i := range v.NumField() {
		key := "limits." + strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if f := v.Field(i); f.CanInt() && (f.Int() < 0 || (f.Int() == 0 && zeros[key])) {
			return fmt.Errorf("%s %d: want 1 or more bytes, or leave it out for the default", key, f.Int())
		}
	}
	return nil
}

// OpenWarehouse opens the config's warehouse as every verb does: its
// memory budget and threads, waiting up to LockWait for a run (CLI or
// daemon) holding it, then failing with a *transform.BusyError naming it.
func (c Config) OpenWarehouse(ctx context.Context) (*transform.Warehouse, error) {
	return transform.Open(ctx, c.Warehouse, transform.Options{MemoryLimit: c.MemoryLimit, Threads: c.Threads, LockWait: c.LockWait})
}

// PeriodStart is the first day of the period.
func (c Config) PeriodStart() time.Time {
	t, _ := time.Parse("2006-01", c.Period)
	return t
}

// AsOfDate is the as-of day.
func (c Config) AsOfDate() time.Time {
	t, _ := time.Parse("2006-01-02", c.AsOf)
	return t
}

// UsageError is a mistake in how salesops was called (exit status 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

package pipelines

import (
	"fmt"
	"slices"
	"strings"
)

// FiscalConfig holds the deadlines that decide how a wrong invoice is
// corrected (credit_rebill's instrument): cancel it and issue it again
// while the law allows, else another document. Sources: docs/taxes.md.
type FiscalConfig struct {
	// NFeCancelHours: an NF-e can be cancelled within this many hours of
	// its authorisation (dhRecbto); past it the fix is a complementary
	// NF-e or the customer's return (default 24: Ajuste SINIEF 07/05 and
	// the NF-e Manual de Orientação do Contribuinte; a state may allow
	// more).
	NFeCancelHours int `yaml:"nfe_cancel_hours"`
	// NFSeCancelDays: an NFS-e can be cancelled within this many days of
	// its authorisation; past it the fix is a substitution (evento
	// e105102) or the municipality's fiscal review. Each municipality sets
	// its own, so there is no default: a case that needs it without the
	// key says so in its instrument.
	NFSeCancelDays *int `yaml:"nfse_cancel_days"`
}

// resolveFiscal fills the fiscal defaults and checks the values.
func (c *Config) resolveFiscal() error {
	if c.Fiscal.NFeCancelHours == 0 && !c.zeros["fiscal.nfe_cancel_hours"] {
		c.Fiscal.NFeCancelHours = 24
	}
	if c.Fiscal.NFeCancelHours < 1 {
		return fmt.Errorf("fiscal.nfe_cancel_hours %d: want 1 or more hours, or leave it out for 24", c.Fiscal.NFeCancelHours)
	}
	if d := c.Fiscal.NFSeCancelDays; d != nil && *d < 0 {
		return fmt.Errorf("fiscal.nfse_cancel_days %d: want 0 or more days (the municipality's), or leave it out when unknown", *d)
	}
	return nil
}

// fiscalVars are the settings the models read: the NF-e window in hours,
// the NFS-e window in days (-1 when not set) and the vendors declared
// hardware (lower case, sorted).
func (c Config) fiscalVars() map[string]any {
	days := -1
	if c.Fiscal.NFSeCancelDays != nil {
		days = *c.Fiscal.NFSeCancelDays
	}
	hardware := []string{}
	for name, v := range c.Vendors {
		if v.Goods == "hardware" {
			hardware = append(hardware, strings.ToLower(name))
		}
	}
	slices.Sort(hardware)
	return map[string]any{
		"nfe_cancel_hours": c.Fiscal.NFeCancelHours,
		"nfse_cancel_days": days,
		"hardware_vendors": hardware,
	}
}

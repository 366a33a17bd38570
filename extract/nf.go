package extract

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"

	"github.com/salesops/salesops/extract/nfxml"
	"github.com/salesops/salesops/transform"
)

// loadNF appends the NF-e / NFS-e documents of one XML file (a single
// document or a batch envelope) to raw_nf: one 'document' row each, then
// one 'item' row per NF-e det, and one 'event' row per fiscal event
// (procEventoNFe, NFS-e Nacional evento: nfxml.Event). Values are the XML's
// text; stg_nf_* types them.
//
// An XML that is not an invoice nor an event, or one with a bad value, does
// not fail the run: inboxes collect stray XML (receipts, CT-e), so the file is
// recorded in load_rejects, which the data-quality report and rejects.csv
// list. Broken XML (unreadable) fails the run like a broken CSV.
func loadNF(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	f, err := os.Open(s.Local)
	if err != nil {
		return 0, &PosError{File: s.Path, Err: err}
	}
	defer f.Close()
	var n int64
	var parseErr error
	err = w.Append(ctx, "raw_nf", func(add func(...driver.Value) error) error {
		parseErr = nfxml.ParseAll(ctx, f, s.Path, opts.Limits.MaxXMLBytes, func(d nfxml.Document) error {
			line := int64(d.Line)
			// Columns in raw_nf order; item and event fields NULL on a document row.
			if err := add(s.fileID, line, "document", string(d.Kind), d.Key, d.Number, d.Series,
				d.IssuedAt, d.ProcessedAt, d.IssuerCNPJ, d.CustomerCNPJ, d.Status, d.Gross, d.Discount,
				d.TaxBase, d.TaxAmount, d.Net, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil); err != nil {
				return &PosError{File: s.Path, Line: line, Err: err}
			}
			n++
			for _, it := range d.Items {
				if err := add(s.fileID, line, "item", string(d.Kind), d.Key, d.Number, d.Series,
					nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
					int32(it.Number), it.ProductCode, it.Description, it.Quantity, it.UnitPrice, it.Total,
					nil, nil, nil, nil, nil); err != nil {
					return &PosError{File: s.Path, Line: line, Err: err}
				}
				n++
			}
			return nil
		}, func(e nfxml.Event) error {
			line := int64(e.Line)
			// doc_key is the invoice's key the event names; issued_at the
			// event's time, processed_at its registration.
			if err := add(s.fileID, line, "event", string(e.Kind), e.Key, nil, nil,
				e.At, e.RegisteredAt, nil, nil, e.Status, nil, nil, nil, nil, nil,
				nil, nil, nil, nil, nil, nil,
				e.Type, e.Sequence, e.Protocol, e.Reason, e.SubstituteKey); err != nil {
				return &PosError{File: s.Path, Line: line, Err: err}
			}
			n++
			return nil
		})
		var pe *nfxml.ParseError
		if errors.As(parseErr, &pe) && (pe.Field != "" || errors.Is(pe, nfxml.ErrNotInvoice)) {
			return nil // recorded below, once the appender is closed
		}
		return parseErr
	})
	if err != nil {
		var pe *nfxml.ParseError
		if errors.As(err, &pe) {
			cause := fmt.Errorf("%w: %v", ErrBadValue, pe.Err)
			switch {
			case errors.Is(pe.Err, nfxml.ErrTooLarge):
				cause = pe.Err // a limit, not a bad value: kept for errors.Is
			case errors.Is(pe.Err, nfxml.ErrEncoding):
				cause = because(ErrBadValue, "%v", pe.Err) // a message of its own
			}
			return 0, &PosError{File: s.Path, Line: int64(pe.Line), Column: pe.Column, Field: pe.Field, Err: cause}
		}
		return 0, err
	}
	if parseErr != nil {
		var pe *nfxml.ParseError
		errors.As(parseErr, &pe)
		reason := pe.Err.Error()
		if n > 0 {
			reason += " (later documents of the file not read)"
		}
		var field any
		if pe.Field != "" {
			field = pe.Field
		}
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO load_rejects VALUES (?, ?, ?, NULL, ?)", s.fileID, pe.Line, field, reason); err != nil {
			return 0, err
		}
	}
	return n, nil
}

package write

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Calendar writes c's mart from the warehouse into dir as an
// iCalendar file (RFC 5545, through github.com/arran4/golang-ical): one
// all-day VEVENT per row, in the mart's order, DTSTART on the row's date
// and DTEND the day after, lines ended by CRLF (exclusive, as RFC 5545 wants for dates). stamp
// is every event's DTSTAMP: the run's as-of, not the clock, so the same
// inputs give a byte-identical file.
func Calendar(ctx context.Context, w *transform.Warehouse, dir string, c reports.Calendar, stamp time.Time) (publish.Output, error) {
	path := filepath.Join(dir, c.File)
	q := fmt.Sprintf("SELECT %s, %s, %s, %s FROM %s", transform.QuoteIdent(c.UID), transform.QuoteIdent(c.Date),
		transform.QuoteIdent(c.Summary), transform.QuoteIdent(c.Description), transform.QuoteIdent(c.Model))
	rows, err := w.Conn.QueryContext(ctx, q)
	if err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	defer rows.Close()
	f, err := os.Create(path)
	if err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	// The calendar's header and footer come from the library, and each
	// event is written as it is read: a calendar built whole holds every
	// event in memory (a T-36 calendar of 5,000 customers is 66 MB of text).
	cal := ics.NewCalendarFor("salesops")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("salesops " + c.Model)
	const end = "END:VCALENDAR" + crlf
	head := cal.Serialize(ics.WithNewLine(crlf)) // RFC 5545: CRLF
	if !strings.HasSuffix(head, end) {
		return publish.Output{}, fmt.Errorf("calendar %s: the calendar library's header does not end with END:VCALENDAR", c.File)
	}
	bw.WriteString(strings.TrimSuffix(head, end))
	conf := &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: crlf}
	var n int64
	for rows.Next() {
		var uid, summary string
		var day time.Time
		var desc sql.NullString
		if err := rows.Scan(&uid, &day, &summary, &desc); err != nil {
			return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
		}
		e := ics.NewEvent(uid)
		e.SetDtStampTime(stamp)
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		e.SetSummary(summary)
		if desc.Valid {
			e.SetDescription(desc.String)
		}
		e.SetTimeTransparency(ics.TransparencyTransparent)
		if err := e.SerializeTo(bw, conf); err != nil {
			return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	bw.WriteString(end)
	if err := bw.Flush(); err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	if err := f.Close(); err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	sum, size, err := finishFile(path)
	if err != nil {
		return publish.Output{}, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	return publish.Output{Path: c.File, Rows: n, SHA256: sum, Bytes: size}, nil
}

const crlf = "\r\n"

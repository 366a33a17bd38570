package write

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/salesops/salesops/filename"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// CalendarOptions are what a calendar takes from the run besides its
// mart: the stamp of every event (DTSTAMP: the run's as-of, not the clock,
// so the same inputs give a byte-identical file), the company whose
// calendar it is (its X-WR-CALNAME is "<c.Name> — <Company>") and how many
// days before its day an event reminds (VALARM; 0 for none).
type CalendarOptions struct {
	Stamp     time.Time
	Company   string
	AlarmDays int
}

// Calendar writes c's mart from the warehouse into dir as an iCalendar
// file (RFC 5545, through github.com/arran4/golang-ical): one all-day
// VEVENT per row, in the mart's order, DTSTART on the row's date and DTEND
// the day after (exclusive, as RFC 5545 wants for dates), with its STATUS,
// SEQUENCE and reminder when c names their columns, lines ended by CRLF.
// With c.GroupBy, each value of that column also gets a file of its own
// with its rows, named after the value (X-WR-CALNAME "… — <value>"; the
// file name through filename.SafeSet); rows without a value are only in
// the whole calendar.
func Calendar(ctx context.Context, w *transform.Warehouse, dir string, c reports.Calendar, o CalendarOptions) ([]publish.Output, error) {
	cols := []string{c.UID, c.Date, c.Summary, c.Description}
	for _, col := range []string{c.Status, c.Sequence, c.Alarm, c.GroupBy} {
		if col == "" {
			cols = append(cols, "NULL")
			continue
		}
		cols = append(cols, transform.QuoteIdent(col))
	}
	for i := range 4 {
		cols[i] = transform.QuoteIdent(cols[i])
	}
	rows, err := w.Conn.QueryContext(ctx, fmt.Sprintf("SELECT %s::VARCHAR, %s, %s, %s, %s::VARCHAR, %s::INTEGER, %s::BOOLEAN, %s::VARCHAR FROM %s",
		cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], transform.QuoteIdent(c.Model)))
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	defer rows.Close()
	name := c.Name
	if name == "" {
		name = strings.TrimSuffix(c.File, ".ics")
	}
	if o.Company != "" {
		name += " — " + o.Company
	}
	whole, err := newICSFile(dir, c.File, name)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	defer whole.discard()
	// One file per group as its first row arrives: a calendar of 5,000
	// customers is written as it is read, never held whole.
	groups := map[string]*icsFile{}
	var order []string
	conf := &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: crlf}
	for rows.Next() {
		var uid, summary string
		var day time.Time
		var desc, status, group sql.NullString
		var seq sql.NullInt64
		var alarm sql.NullBool
		if err := rows.Scan(&uid, &day, &summary, &desc, &status, &seq, &alarm, &group); err != nil {
			return nil, fmt.Errorf("calendar %s: %w", c.File, err)
		}
		e := ics.NewEvent(uid)
		e.SetDtStampTime(o.Stamp)
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		e.SetSummary(summary)
		if desc.Valid {
			e.SetDescription(desc.String)
		}
		if status.Valid {
			e.SetStatus(ics.ObjectStatus(status.String))
		}
		if seq.Valid {
			e.SetSequence(int(seq.Int64))
		}
		e.SetTimeTransparency(ics.TransparencyTransparent)
		if alarm.Bool && o.AlarmDays > 0 {
			a := e.AddAlarm()
			a.SetAction(ics.ActionDisplay)
			a.SetTrigger("-P" + strconv.Itoa(o.AlarmDays) + "D")
			a.SetProperty(ics.ComponentPropertyDescription, summary)
		}
		if err := whole.add(e, conf); err != nil {
			return nil, fmt.Errorf("calendar %s: %w", c.File, err)
		}
		if c.GroupBy == "" || !group.Valid || group.String == "" {
			continue
		}
		g := groups[group.String]
		if g == nil {
			order = append(order, group.String)
			// The file's name waits for every group (SafeSet needs them
			// all, in order): a temporary name until then.
			g, err = newICSFile(dir, fmt.Sprintf(".%s%d.ics.part", c.GroupFile, len(order)), name+" — "+group.String)
			if err != nil {
				return nil, fmt.Errorf("calendar %s: %w", c.File, err)
			}
			defer g.discard()
			groups[group.String] = g
		}
		if err := g.add(e, conf); err != nil {
			return nil, fmt.Errorf("calendar %s: %w", c.File, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	out, err := whole.finish(c.File)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.File, err)
	}
	outs := []publish.Output{out}
	for i, n := range filename.SafeSet(order) {
		file := c.GroupFile + n + ".ics"
		out, err := groups[order[i]].finish(file)
		if err != nil {
			return nil, fmt.Errorf("calendar %s: %w", file, err)
		}
		outs = append(outs, out)
	}
	return outs, nil
}

// icsFile is a calendar being written: its header (from the library),
// then its events as they come.
type icsFile struct {
	dir, tmp string
	f        *os.File
	bw       *bufio.Writer
	n        int64
	done     bool
}

const icsEnd = "END:VCALENDAR" + crlf

func newICSFile(dir, tmp, name string) (*icsFile, error) {
	f, err := os.Create(filepath.Join(dir, tmp))
	if err != nil {
		return nil, err
	}
	cal := ics.NewCalendarFor("salesops")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(name)
	head := cal.Serialize(ics.WithNewLine(crlf)) // RFC 5545: CRLF
	if !strings.HasSuffix(head, icsEnd) {
		f.Close()
		return nil, fmt.Errorf("the calendar library's header does not end with END:VCALENDAR")
	}
	x := &icsFile{dir: dir, tmp: tmp, f: f, bw: bufio.NewWriterSize(f, 1<<16)}
	_, err = io.WriteString(x.bw, strings.TrimSuffix(head, icsEnd))
	return x, err
}

func (x *icsFile) add(e *ics.VEvent, conf *ics.SerializationConfiguration) error {
	x.n++
	return e.SerializeTo(x.bw, conf)
}

// finish ends the calendar, names it file (it was written under its
// temporary name) and hashes it.
func (x *icsFile) finish(file string) (publish.Output, error) {
	x.bw.WriteString(icsEnd)
	if err := x.bw.Flush(); err != nil {
		return publish.Output{}, err
	}
	if err := x.f.Close(); err != nil {
		return publish.Output{}, err
	}
	x.done = true
	path := filepath.Join(x.dir, file)
	if x.tmp != file {
		if err := os.Rename(filepath.Join(x.dir, x.tmp), path); err != nil {
			return publish.Output{}, err
		}
	}
	sum, size, err := finishFile(path)
	if err != nil {
		return publish.Output{}, err
	}
	return publish.Output{Path: file, Rows: x.n, SHA256: sum, Bytes: size}, nil
}

// discard removes a calendar left unfinished by an error.
func (x *icsFile) discard() {
	if !x.done {
		x.f.Close()
		os.Remove(filepath.Join(x.dir, x.tmp))
	}
}

const crlf = "\r\n"

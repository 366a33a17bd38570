package extract

// Limits bound what one inbox file may expand to, so a small hostile or
// broken file (a zip bomb, a 2 GiB shared string, a line with no end)
// fails with a clear error naming the file and the limit instead of
// exhausting memory. Zero means the default. Config key: limits.
type Limits struct {
	// MaxLineBytes bounds one CSV line (and so one field), default 1 MiB.
	MaxLineBytes int64 `yaml:"max_line_bytes"`
	// MaxCellBytes bounds one XLSX cell or shared string, default 32767
	// (Excel's own limit on a cell's text).
	MaxCellBytes int64 `yaml:"max_cell_bytes"`
	// MaxUnzippedBytes bounds the uncompressed size of an XLSX's parts
	// read, default 4 GiB.
	MaxUnzippedBytes int64 `yaml:"max_unzipped_bytes"`
	// MaxXMLBytes bounds one NF-e/NFS-e XML document, default 16 MiB.
	MaxXMLBytes int64 `yaml:"max_xml_bytes"`
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxLineBytes, 1<<20)
	def(&l.MaxCellBytes, 32767)
	def(&l.MaxUnzippedBytes, 4<<30)
	def(&l.MaxXMLBytes, 16<<20)
	return l
}

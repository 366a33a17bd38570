package reports

// Every pipeline publishes rejects.csv: the input rows the run rejected,
// each with its file, line and column as that file names them. The rows
// come from what the run's kinds reject (each kind's staging model, and
// the loader), which the run gathers in kind_rejects (package pipelines);
// a pipeline whose own checks reject more has a mart adding them.

// Rejects lists every input row that failed validation: what the staging
// model of each kind the pipeline reads rejected, and what the loader did
// (a file that is not an NF-e or NFS-e XML).
var Rejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Labels:  map[string][]Label{"reason": rejectReasons},
	Model:   "rejects",
	Formats: []Format{CSV},
	Columns: RejectColumns,
}

// RejectColumns is the layout of every pipeline's rejects.csv.
var RejectColumns = []Column{
	{"file", Text, "Arquivo"},
	{"line", Integer, "Linha"},
	{"column", Text, "Coluna"},
	{"value", Text, "Valor"},
	{"reason", Text, "Motivo"},
}

// RejectsSheet is the workbook sheet of a pipeline's rejects.
const RejectsSheet = "Rejeições"

func rejectsSheet(r Report) Report {
	r.Sheet = RejectsSheet
	r.Keys = 2 // file, line
	r.Empty = "Nenhuma linha de entrada rejeitada."
	return r
}

// Package event is the event model of splharness: reading events from files
// of JSON records as Splunk would index them (one event per record, _time
// from the record's timestamp, the default fields index, source, sourcetype
// and host), and extracting their fields at search time as Splunk's
// KV_MODE=json does, lazily and only the fields a search needs.
//
// The rules followed, with the Splunk pages they come from and the choices
// the documentation leaves open, are in docs/semantics-events.md.
package event

// Event is one indexed event: its raw text and the fields Splunk sets at
// index time.
type Event struct {
	// Raw is the event text, one JSON object for the formats read here.
	Raw string
	// Time is _time, in epoch seconds.
	Time float64
	// Index, Source, Sourcetype and Host are the default fields of the
	// same names.
	Index, Source, Sourcetype, Host string
	// File is the file the event came from.
	File string
	// Line is the 1-based line of the event in File (newline-delimited
	// JSON), or its 1-based record index (CloudTrail Records, JSON arrays).
	Line int

	// ts locates the timestamp in Raw; set by Read, found on demand for
	// events made elsewhere.
	ts    stamp
	tsSet bool
	// pre holds the fields the reader extracted while validating Raw,
	// for the first NewFields with the same need (prescan.go).
	pre *Fields
	// cutoff is the extraction cutoff of the reader's Options; 0 (an
	// event made by hand) is ExtractionCutoff.
	cutoff int
	// vetted: see Vetted.
	vetted bool
}

// Vetted reports whether, right before this event was made of its record
// and on the worker that made it, ScanOptions.Skip, SkipGated or SkipValid
// was asked of the record and let it through: what a caller's filter
// worked out for the record it let through last on that worker is this
// event's (a pass's pre-filters keep it for offer).
func (ev *Event) Vetted() bool { return ev.vetted }

// extractionCutoff is the cutoff NewFields applies to the event.
func (ev *Event) extractionCutoff() int {
	if ev.cutoff > 0 {
		return ev.cutoff
	}
	return ExtractionCutoff
}

// stamp is where an event's timestamp is written in Raw and the time zone
// it is written in.
type stamp struct {
	found      bool // Raw holds the timestamp
	start, end int  // byte offsets of the timestamp's text in Raw
	zone       int  // offset from UTC in minutes, as written
	t          float64
	// zoneless marks a timestamp written without a zone, read in UTC
	// (docs/semantics-events.md, "_time").
	zoneless bool
}

// Default values of Options.
const (
	DefaultIndex = "main"
	DefaultHost  = "splharness"
	// DefaultMaxEventBytes is TRUNCATE of the add-on's [aws:cloudtrail]
	// stanza (docs/semantics-events.md, "The aws:cloudtrail index-time settings"): 8 MiB.
	DefaultMaxEventBytes = 8 << 20
	// SplunkServer is the value of the splunk_server field.
	SplunkServer = "splharness"
	// ExtractionCutoff is the default of Options.ExtractionCutoff: how
	// many leading bytes of _raw KV_MODE=json extracts fields from, the
	// default of limits.conf [spath] extraction_cutoff, which that file
	// says applies to automatic key-value extraction and to the spath
	// command (docs/semantics-events.md, "KV_MODE=json flattening", rule 5).
	ExtractionCutoff = 5000
	// maxRejects is how many Reject entries Counts keeps; all are counted.
	maxRejects = 1000
)

// Options say how to index the events read.
type Options struct {
	// Sourcetype, Source, Host and Index set the default fields. Source
	// defaults to the file's path, Index to "main", Host to "splharness".
	Sourcetype, Source, Host, Index string
	// TimeField is the JSON field holding _time (a top-level key or a
	// dotted path, as the flattened field is named). It is ignored for
	// sourcetype aws:cloudtrail, whose time is eventTime. When empty,
	// the first of eventTime, timestamp, _time and time is used.
	TimeField string
	// MaxEventBytes is the longest event accepted (default 8 MiB).
	MaxEventBytes int
	// ExtractionCutoff is limits.conf [spath] extraction_cutoff: fields
	// are extracted from the first ExtractionCutoff bytes of each event
	// (default, and when not positive, the constant ExtractionCutoff). It
	// is the one setting of the cutoff: the events read carry it, and
	// NewFields and the spath command follow it.
	ExtractionCutoff int

	// fileTime is the modification time of the file being read (Scan),
	// for the timestamp fallback.
	fileTime float64
}

func (o Options) withDefaults() Options {
	if o.Index == "" {
		o.Index = DefaultIndex
	}
	if o.Host == "" {
		o.Host = DefaultHost
	}
	if o.MaxEventBytes <= 0 {
		o.MaxEventBytes = DefaultMaxEventBytes
	}
	if o.ExtractionCutoff <= 0 {
		o.ExtractionCutoff = ExtractionCutoff
	}
	return o
}

// Counts sums up a Read: every record seen is either accepted (handed to
// the callback) or rejected.
type Counts struct {
	Read, Accepted, Rejected int
	// Skipped records were read but, by the caller's Skip, neither validated
	// nor made into events (Scan only): Read = Accepted + Rejected + Skipped.
	// With SkipValid instead, skipped records were validated first and
	// count in Accepted too: Read = Accepted + Rejected.
	Skipped int
	// Rejects lists the first 1000 rejected records.
	Rejects []Reject
	// TimeFallbacks counts the records whose _time is not a timestamp
	// of their own with its zone: a timestamp without a zone, read in
	// UTC, or none that can be read, replaced by the previous event's
	// time, the file's modification time or the time of reading, as
	// Splunk's timestamp precedence does (docs/semantics-events.md,
	// "_time"). Such records are events, never rejected. Fallbacks lists
	// the first 1000, with what was done. Records a Skip rules out unread
	// are not counted.
	TimeFallbacks int
	Fallbacks     []Reject
	// SkippedPaths counts the entries of folders that were not read
	// (hidden, a symbolic link to a folder, a dangling link, a FIFO, a
	// device); Skips lists the first 1000, with why.
	SkippedPaths int
	Skips        []SkippedPath
}

// SkippedPath is an entry of a folder that was not read, and why.
type SkippedPath struct {
	Path, Reason string
}

// String renders a skipped path as path: reason.
func (s SkippedPath) String() string { return s.Path + ": " + s.Reason }

// Reject is one record that could not be made into an event.
type Reject struct {
	File   string
	Line   int
	Reason string
}

// String renders a reject as file:line: reason.
func (r Reject) String() string {
	return r.File + ":" + itoa(r.Line) + ": " + r.Reason
}

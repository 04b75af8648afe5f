package regex

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pcreTranslation is a PCRE pattern rewritten for the backtracking engine
// (github.com/dlclark/regexp2, .NET syntax, compiled in its RE2 mode).
//
// Every capture group becomes unnamed, so that the engine numbers groups
// left to right as PCRE does (.NET numbers named groups after unnamed
// ones); names keeps the names by group number. PCRE-only syntax that .NET
// spells differently is rewritten: named back-references, possessive
// quantifiers (as atomic groups), \h \v \R \N \Z, \Q…\E, \o{…}, \pL and a
// leading \K (as a look-behind); \b and \B are made ASCII, as in PCRE
// without Unicode properties.
type pcreTranslation struct {
	text  string
	names []string // names[i] names group i; "" for group 0 and unnamed groups
	// features are the PCRE constructs found that Go's RE2 engine lacks,
	// for error messages and the corpus measurement (docs/regex.md).
	features []string
	// re2Differs is set when the pattern uses syntax that RE2 accepts
	// with another meaning (\v: a vertical-space class in PCRE, the VT
	// character in RE2), so that RE2 must not run it.
	re2Differs bool
	// invalid is set when the error is one PCRE makes too, for a pattern
	// RE2 accepts (two groups of one name).
	invalid bool
}

// Names of the PCRE features RE2 lacks, as reported.
const (
	featLookahead     = "look-ahead"
	featLookbehind    = "look-behind"
	featBackref       = "backreference"
	featNamedBackref  = "named backreference"
	featAtomic        = "atomic group"
	featPossessive    = "possessive quantifier"
	featKeep          = `\K`
	featConditional   = "conditional group"
	featRecursion     = "recursion or subroutine call"
	featBranchReset   = "branch reset (?|"
	featVerb          = "PCRE verb (*…)"
	featCallout       = "callout (?C"
	featExtended      = "(?x) extended mode"
	featComment       = "(?#…) comment"
	featQuoteName     = "(?'name') group"
	featEscape        = "PCRE-only escape"
	featInlineFlag    = "inline flag RE2 lacks"
	featDollarNewline = `\Z`
	featNoAutoCapture = "(?n) no auto capture"
)

// pcreFeatures names the PCRE constructs of pattern that RE2 lacks.
func pcreFeatures(pattern string) []string {
	tr, _ := translatePCRE(pattern)
	return tr.features
}

// translatePCRE rewrites pattern for the backtracking engine. The
// translation is always returned (its features are useful even when the
// pattern cannot run); the error names a construct that cannot be
// supported, such as recursion or backtracking verbs.
func translatePCRE(pattern string) (*pcreTranslation, error) {
	// Pass one numbers the groups and finds their names, so that pass two
	// can resolve a reference to a group defined later.
	first := newPCREScanner(pattern, nil)
	first.run()
	s := newPCREScanner(pattern, first.ownNames)
	err := s.run()
	tr := &pcreTranslation{text: string(s.out), names: s.names, re2Differs: s.re2Differs, invalid: s.invalid}
	for f := range s.features {
		tr.features = append(tr.features, f)
	}
	sort.Strings(tr.features)
	return tr, err
}

// pcreFlags are the inline options that change how the rest of a pattern
// is read or emitted.
type pcreFlags struct {
	i, m, s, x, n bool
}

// pcreFrame is an open group.
type pcreFrame struct {
	start int // output offset of the group's "("
	saved pcreFlags
}

type pcreScanner struct {
	src        string
	i          int
	out        []byte
	names      []string
	byName     map[string]int // from pass one; nil during pass one
	ownNames   map[string]int
	flags      pcreFlags
	frames     []pcreFrame
	lastAtom   int // output offset where the last repeatable item starts; -1 none
	keep       int // output offset of a top-level \K; -1 none
	topAlt     bool
	features   map[string]bool
	re2Differs bool
	invalid    bool
}

func newPCREScanner(src string, byName map[string]int) *pcreScanner {
	return &pcreScanner{src: src, names: []string{""}, byName: byName, ownNames: map[string]int{}, lastAtom: -1, keep: -1, features: map[string]bool{}}
}

func (s *pcreScanner) errorf(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// run translates the whole pattern.
func (s *pcreScanner) run() error {
	for s.i < len(s.src) {
		if err := s.step(); err != nil {
			return err
		}
	}
	if s.keep >= 0 {
		if s.topAlt {
			return s.errorf(`\K in a pattern with a top-level alternative is not supported`)
		}
		prefix := string(s.out[:s.keep])
		rest := string(s.out[s.keep:])
		s.out = append([]byte("(?<="+prefix+")"+s.flagText()), rest...)
	}
	return nil
}

// flagText re-states the top-level flags after a \K look-behind, whose
// group would otherwise end their scope.
func (s *pcreScanner) flagText() string {
	f := ""
	for _, c := range []struct {
		on bool
		ch string
	}{{s.flags.i, "i"}, {s.flags.m, "m"}, {s.flags.s, "s"}, {s.flags.x, "x"}} {
		if c.on {
			f += c.ch
		}
	}
	if f == "" {
		return ""
	}
	return "(?" + f + ")"
}

func (s *pcreScanner) emit(text string) { s.out = append(s.out, text...) }

func (s *pcreScanner) atom(text string) {
	s.lastAtom = len(s.out)
	s.emit(text)
}

func (s *pcreScanner) step() error {
	c := s.src[s.i]
	if s.flags.x {
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			s.emit(string(c))
			s.i++
			return nil
		case '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
			return nil
		}
	}
	switch c {
	case '\\':
		return s.escape()
	case '[':
		return s.class()
	case '(':
		return s.open()
	case ')':
		s.i++
		if len(s.frames) == 0 {
			s.emit(")") // unbalanced: the engine reports it
			return nil
		}
		f := s.frames[len(s.frames)-1]
		s.frames = s.frames[:len(s.frames)-1]
		s.flags = f.saved
		s.emit(")")
		s.lastAtom = f.start
	case '|':
		s.i++
		if len(s.frames) == 0 {
			s.topAlt = true
		}
		s.emit("|")
		s.lastAtom = -1
	case '*', '+', '?':
		s.i++
		s.quantifier(string(c))
	case '{':
		if q, ok := repeatCount(s.src[s.i:]); ok {
			s.i += len(q)
			if n := trimRepeatZeros(q); n != q {
				// PCRE reads {00} as {0}; RE2 reads it as literal text.
				s.re2Differs = true
				q = n
			}
			s.quantifier(q)
			return nil
		}
		s.i++
		s.atom(`\{`)
	case '^', '$':
		s.i++
		s.emit(string(c))
		s.lastAtom = -1
	case '.':
		s.i++
		s.atom(".")
	default:
		r, n := utf8.DecodeRuneInString(s.src[s.i:])
		s.i += n
		if r == utf8.RuneError && n == 1 {
			return s.errorf("invalid UTF-8 at byte %d", s.i-1)
		}
		s.atom(quoteLiteral(r, false))
	}
	return nil
}

// repeatCount returns a {n}, {n,} or {n,m} quantifier at the start of s.
func repeatCount(s string) (string, bool) {
	j := 1
	digits := func() int {
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j - k
	}
	if digits() == 0 {
		return "", false
	}
	if j < len(s) && s[j] == ',' {
		j++
		digits()
	}
	if j < len(s) && s[j] == '}' {
		return s[:j+1], true
	}
	return "", false
}

// trimRepeatZeros drops the leading zeros of the counts of a {n,m}
// quantifier: {007} is {7}, {00} is {0}.
func trimRepeatZeros(q string) string {
	var b strings.Builder
	lead := true // at the start of a count
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '0' && lead && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			continue
		case c >= '0' && c <= '9':
			lead = false
		default:
			lead = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// quantifier emits q (already consumed) with a lazy or possessive suffix;
// a possessive X*+ becomes the atomic group (?>X*).
func (s *pcreScanner) quantifier(q string) {
	start := s.lastAtom
	s.lastAtom = -1
	if s.i < len(s.src) && s.src[s.i] == '?' {
		s.i++
		s.emit(q + "?")
		return
	}
	if s.i < len(s.src) && s.src[s.i] == '+' && start >= 0 {
		s.i++
		s.features[featPossessive] = true
		item := string(s.out[start:])
		s.out = append(s.out[:start], "(?>"+item+q+")"...)
		return
	}
	s.emit(q)
}

// quoteLiteral writes r so that both engines read it as itself, in or out
// of a character class.
func quoteLiteral(r rune, inClass bool) string {
	if r < utf8.RuneSelf {
		c := byte(r)
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			return string(c)
		case c == ' ' || c == '#':
			return `\` + string(c) // literal even in (?x) mode
		case c < ' ' || c == 0x7f:
			return fmt.Sprintf(`\x%02x`, c)
		case inClass && c == '-':
			return `\-`
		}
		return `\` + string(c)
	}
	return string(r)
}

// Horizontal and vertical white space, as PCRE's \h and \v define them.
const (
	pcreHSpace = `\t\x20\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000`
	pcreVSpace = `\n\x0b\f\r\u0085\u2028\u2029`
)

// Word boundaries between ASCII word characters and the rest, as PCRE's
// \b and \B are without Unicode properties (and RE2's are); the engine's
// own \b counts every Unicode letter as a word character.
const (
	asciiWordBoundary    = `(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))`
	asciiNotWordBoundary = `(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))`
)

// escape translates a backslash sequence outside a character class.
func (s *pcreScanner) escape() error {
	start := s.i
	if s.i+1 >= len(s.src) {
		s.i++
		s.emit(`\`) // trailing backslash: the engine reports it
		return nil
	}
	c := s.src[s.i+1]
	s.i += 2
	switch c {
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		s.features[featBackref] = true
		for s.i < len(s.src) && s.src[s.i] >= '0' && s.src[s.i] <= '9' {
			s.i++
		}
		s.atom(s.src[start:s.i])
	case 'g':
		return s.gReference()
	case 'k':
		name, ok := s.delimitedName()
		if !ok {
			return s.errorf(`\k must be followed by a group name in <>, '' or {}`)
		}
		s.features[featNamedBackref] = true
		n, err := s.groupNumber(name)
		if err != nil {
			return err
		}
		s.atom(fmt.Sprintf(`\k<%d>`, n))
	case 'K':
		s.features[featKeep] = true
		if len(s.frames) > 0 {
			return s.errorf(`\K inside a group is not supported`)
		}
		if s.keep >= 0 {
			return s.errorf(`more than one \K is not supported`)
		}
		s.keep = len(s.out)
		s.lastAtom = -1
	case 'h':
		s.features[featEscape] = true
		s.atom("[" + pcreHSpace + "]")
	case 'H':
		s.features[featEscape] = true
		s.atom("[^" + pcreHSpace + "]")
	case 'v':
		s.re2Differs = true
		s.atom("[" + pcreVSpace + "]")
	case 'V':
		s.features[featEscape] = true
		s.atom("[^" + pcreVSpace + "]")
	case 'R':
		s.features[featEscape] = true
		s.atom(`(?>\r\n|[` + pcreVSpace + `])`)
	case 'N':
		s.features[featEscape] = true
		if s.i < len(s.src) && s.src[s.i] == '{' {
			return s.errorf(`\N{...} is not supported`)
		}
		s.atom(`[^\n]`)
	case 'Z':
		s.features[featDollarNewline] = true
		s.emit(`(?=\n?\z)`)
		s.lastAtom = -1
	case 'G':
		s.features[featEscape] = true
		s.emit(`\G`)
		s.lastAtom = -1
	case 'e':
		s.features[featEscape] = true
		s.atom(`\x1b`)
	case 'C':
		return s.errorf(`\C (one code unit) is not supported`)
	case 'X':
		return s.errorf(`\X (extended grapheme cluster) is not supported`)
	case 'b':
		s.emit(asciiWordBoundary)
		s.lastAtom = -1
	case 'B':
		s.emit(asciiNotWordBoundary)
		s.lastAtom = -1
	case 'A', 'z':
		s.emit(s.src[start:s.i])
		s.lastAtom = -1
	case 'E':
		// a \E without \Q is ignored, as PCRE does
	case 'Q':
		s.quoted(false)
	case 'x', 'o', 'p', 'P':
		text, err := s.valueEscape(c, false)
		if err != nil {
			return err
		}
		s.atom(text)
	default:
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s.src[s.i-1:])
			s.i += n - 1
			s.atom(quoteLiteral(r, false))
			return nil
		}
		s.atom(s.src[start:s.i])
	}
	return nil
}

// valueEscape translates \x{…}, \o{…} and \p, \P after the letter c.
func (s *pcreScanner) valueEscape(c byte, inClass bool) (string, error) {
	switch c {
	case 'x', 'o':
		if s.i < len(s.src) && s.src[s.i] == '{' {
			end := strings.IndexByte(s.src[s.i:], '}')
			if end < 0 {
				return "", s.errorf(`\%c{ has no closing }`, c)
			}
			base := 16
			if c == 'o' {
				base = 8
			}
			v, err := strconv.ParseUint(strings.TrimSpace(s.src[s.i+1:s.i+end]), base, 32)
			if err != nil || v > utf8.MaxRune {
				return "", s.errorf(`\%c%s is not a character`, c, s.src[s.i:s.i+end+1])
			}
			s.i += end + 1
			return quoteLiteral(rune(v), inClass), nil
		}
		if c == 'o' {
			return "", s.errorf(`\o must be followed by {octal digits}`)
		}
		j := s.i
		for j < len(s.src) && j < s.i+2 && isHexDigit(s.src[j]) {
			j++
		}
		v, _ := strconv.ParseUint("0"+s.src[s.i:j], 16, 8)
		s.i = j
		return quoteLiteral(rune(v), inClass), nil
	default: // p, P
		if s.i >= len(s.src) {
			return "", s.errorf(`\%c must be followed by a property name`, c)
		}
		if s.src[s.i] != '{' {
			s.i++
			return `\` + string(c) + "{" + s.src[s.i-1:s.i] + "}", nil
		}
		end := strings.IndexByte(s.src[s.i:], '}')
		if end < 0 {
			return "", s.errorf(`\%c{ has no closing }`, c)
		}
		name := s.src[s.i+1 : s.i+end]
		s.i += end + 1
		if strings.HasPrefix(name, "^") {
			name = name[1:]
			if c == 'p' {
				c = 'P'
			} else {
				c = 'p'
			}
		}
		return `\` + string(c) + "{" + name + "}", nil
	}
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// quoted emits the literal text of \Q…\E (the \Q already consumed).
func (s *pcreScanner) quoted(inClass bool) {
	end := strings.Index(s.src[s.i:], `\E`)
	text := s.src[s.i:]
	if end >= 0 {
		text = s.src[s.i : s.i+end]
		s.i += end + 2
	} else {
		s.i = len(s.src)
	}
	for _, r := range text {
		if inClass {
			s.emit(quoteLiteral(r, true))
		} else {
			s.atom(quoteLiteral(r, false))
		}
	}
}

// gReference translates \g references: \gN, \g{N}, \g{-N} and \g{name}
// are back-references; \g<…> and \g'…' are subroutine calls.
func (s *pcreScanner) gReference() error {
	if s.i < len(s.src) && (s.src[s.i] == '<' || s.src[s.i] == '\'') {
		s.features[featRecursion] = true
		return s.errorf(`subroutine call \g%c…%c is not supported`, s.src[s.i], s.src[s.i])
	}
	var ref string
	if s.i < len(s.src) && s.src[s.i] == '{' {
		end := strings.IndexByte(s.src[s.i:], '}')
		if end < 0 {
			return s.errorf(`\g{ has no closing }`)
		}
		ref = s.src[s.i+1 : s.i+end]
		s.i += end + 1
	} else {
		j := s.i
		if j < len(s.src) && (s.src[j] == '-' || s.src[j] == '+') {
			j++
		}
		for j < len(s.src) && s.src[j] >= '0' && s.src[j] <= '9' {
			j++
		}
		ref = s.src[s.i:j]
		s.i = j
	}
	if ref == "" {
		return s.errorf(`\g must be followed by a group number or name`)
	}
	n, err := s.reference(ref)
	if err != nil {
		return err
	}
	if _, numeric := strconv.Atoi(ref); numeric == nil {
		s.features[featBackref] = true
	} else {
		s.features[featNamedBackref] = true
	}
	s.atom(fmt.Sprintf(`\k<%d>`, n))
	return nil
}

// reference resolves a group reference: a number, a relative -N or +N,
// or a name.
func (s *pcreScanner) reference(ref string) (int, error) {
	if n, err := strconv.Atoi(ref); err == nil {
		switch {
		case strings.HasPrefix(ref, "-"):
			n = len(s.names) + n // the N-th most recently opened group
		case strings.HasPrefix(ref, "+"):
			n = len(s.names) - 1 + n
		}
		if n < 1 {
			return 0, s.errorf("reference to group %s, which does not exist", ref)
		}
		return n, nil
	}
	return s.groupNumber(ref)
}

// groupNumber resolves a group name to its number.
func (s *pcreScanner) groupNumber(name string) (int, error) {
	if n, ok := s.ownNames[name]; ok {
		return n, nil
	}
	if s.byName == nil {
		return 1, nil // pass one: names defined later are not known yet
	}
	if n, ok := s.byName[name]; ok {
		return n, nil
	}
	return 0, s.errorf("reference to group name %q, which does not exist", name)
}

// delimitedName reads <name>, 'name' or {name}.
func (s *pcreScanner) delimitedName() (string, bool) {
	if s.i >= len(s.src) {
		return "", false
	}
	closer := map[byte]byte{'<': '>', '\'': '\'', '{': '}'}[s.src[s.i]]
	if closer == 0 {
		return "", false
	}
	end := strings.IndexByte(s.src[s.i+1:], closer)
	if end < 0 {
		return "", false
	}
	name := s.src[s.i+1 : s.i+1+end]
	s.i += end + 2
	return name, validGroupName(name)
}

func validGroupName(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// class translates a character class [...].
func (s *pcreScanner) class() error {
	start := len(s.out)
	s.i++
	s.emit("[")
	if s.i < len(s.src) && s.src[s.i] == '^' {
		s.emit("^")
		s.i++
	}
	if s.i < len(s.src) && s.src[s.i] == ']' {
		s.emit(`\]`)
		s.i++
	}
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == ']':
			s.i++
			s.emit("]")
			s.lastAtom = start
			return nil
		case c == '[' && s.i+1 < len(s.src) && s.src[s.i+1] == ':':
			end := strings.Index(s.src[s.i:], ":]")
			if end < 0 {
				s.emit(`\[`)
				s.i++
				continue
			}
			s.emit(s.src[s.i : s.i+end+2])
			s.i += end + 2
		case c == '[':
			s.emit(`\[`)
			s.i++
		case c == '\\':
			if err := s.classEscape(); err != nil {
				return err
			}
		default:
			r, n := utf8.DecodeRuneInString(s.src[s.i:])
			if r == utf8.RuneError && n == 1 {
				return s.errorf("invalid UTF-8 at byte %d", s.i)
			}
			s.i += n
			if r == '-' {
				s.emit("-")
			} else {
				s.emit(quoteLiteral(r, true))
			}
		}
	}
	return nil // unterminated: the engine reports it
}

// classEscape translates a backslash sequence inside a character class.
func (s *pcreScanner) classEscape() error {
	start := s.i
	if s.i+1 >= len(s.src) {
		s.i++
		s.emit(`\`)
		return nil
	}
	c := s.src[s.i+1]
	s.i += 2
	switch c {
	case 'h':
		s.features[featEscape] = true
		s.emit(pcreHSpace)
	case 'v':
		s.re2Differs = true
		s.emit(pcreVSpace)
	case 'H', 'V', 'R', 'N', 'X', 'C':
		s.features[featEscape] = true
		return s.errorf(`\%c inside a character class is not supported`, c)
	case 'e':
		s.features[featEscape] = true
		s.emit(`\x1b`)
	case 'E':
	case 'Q':
		s.quoted(true)
	case 'x', 'o', 'p', 'P':
		text, err := s.valueEscape(c, true)
		if err != nil {
			return err
		}
		s.emit(text)
	default:
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s.src[s.i-1:])
			s.i += n - 1
			s.emit(quoteLiteral(r, true))
			return nil
		}
		s.emit(s.src[start:s.i])
	}
	return nil
}

// open translates a group opening.
func (s *pcreScanner) open() error {
	start := len(s.out)
	rest := s.src[s.i:]
	push := func(text string) {
		s.frames = append(s.frames, pcreFrame{start: start, saved: s.flags})
		s.emit(text)
	}
	capture := func(name string) error {
		if name != "" {
			if !validGroupName(name) {
				return s.errorf("group name %q is not valid: use letters, digits and _, not starting with a digit", name)
			}
			if _, dup := s.ownNames[name]; dup {
				s.invalid = true
				return s.errorf("two groups are named %q", name)
			}
			s.ownNames[name] = len(s.names)
		}
		s.names = append(s.names, name)
		push("(")
		return nil
	}
	switch {
	case strings.HasPrefix(rest, "(*"):
		s.features[featVerb] = true
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			end = len(rest) - 1
		}
		return s.errorf("PCRE verb %s is not supported", rest[:end+1])
	case !strings.HasPrefix(rest, "(?"):
		s.i++
		if s.flags.n {
			push("(?:")
			return nil
		}
		return capture("")
	}
	s.i += 2
	rest = s.src[s.i:]
	switch {
	case rest == "":
		return s.errorf("pattern ends after (?")
	case rest[0] == '#':
		s.features[featComment] = true
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return s.errorf("(?# comment has no closing )")
		}
		s.i += end + 1
	case rest[0] == ':':
		s.i++
		push("(?:")
	case rest[0] == '|':
		s.features[featBranchReset] = true
		return s.errorf("branch reset (?|...) is not supported")
	case rest[0] == '>':
		s.features[featAtomic] = true
		s.i++
		push("(?>")
	case rest[0] == '=' || rest[0] == '!':
		s.features[featLookahead] = true
		s.i++
		push("(?" + rest[:1])
	case strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, "<!"):
		s.features[featLookbehind] = true
		s.i += 2
		push("(?" + rest[:2])
	case strings.HasPrefix(rest, "P<") || rest[0] == '<' || rest[0] == '\'':
		if rest[0] == 'P' {
			s.i++
		}
		if s.src[s.i] == '\'' {
			s.features[featQuoteName] = true
		}
		name, ok := s.delimitedName()
		if !ok {
			return s.errorf("a named group needs a name of letters, digits and _ in <> or ''")
		}
		return capture(name)
	case strings.HasPrefix(rest, "P="):
		s.i++
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return s.errorf("(?P= has no closing )")
		}
		name := rest[2:end]
		s.i += end
		s.features[featNamedBackref] = true
		n, err := s.groupNumber(name)
		if err != nil {
			return err
		}
		s.atom(fmt.Sprintf(`\k<%d>`, n))
	case strings.HasPrefix(rest, "P>") || rest[0] == '&' || rest[0] == 'R' ||
		rest[0] >= '0' && rest[0] <= '9' || (rest[0] == '+' || rest[0] == '-') && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9':
		s.features[featRecursion] = true
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			end = len(rest) - 1
		}
		return s.errorf("recursion or subroutine call (?%s is not supported", rest[:end+1])
	case rest[0] == 'C':
		s.features[featCallout] = true
		return s.errorf("callout (?C...) is not supported")
	case rest[0] == '(':
		return s.conditional(push)
	default:
		return s.inlineFlags()
	}
	return nil
}

// conditional translates (?(condition)yes|no): the condition is a group
// number, a relative number, a group name or an assertion.
func (s *pcreScanner) conditional(push func(string)) error {
	s.features[featConditional] = true
	if strings.HasPrefix(s.src[s.i:], "(?") || strings.HasPrefix(s.src[s.i:], "(*") {
		push("(?")
		return nil // the assertion is read next, as a group of its own
	}
	s.i++ // the "(" of the condition
	rest := s.src[s.i:]
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return s.errorf("conditional group has no closing )")
	}
	cond := rest[:end]
	s.i += end + 1
	switch {
	case cond == "DEFINE" || strings.HasPrefix(cond, "R"):
		s.features[featRecursion] = true
		return s.errorf("conditional (?(%s) is not supported", cond)
	case len(cond) >= 2 && (cond[0] == '<' && cond[len(cond)-1] == '>' || cond[0] == '\'' && cond[len(cond)-1] == '\''):
		cond = cond[1 : len(cond)-1]
	}
	n, err := s.reference(cond)
	if err != nil {
		return err
	}
	push(fmt.Sprintf("(?(%d)", n))
	return nil
}

// inlineFlags translates (?flags) and (?flags:...). The n flag is applied
// here rather than passed on, as every group reaches the engine unnamed.
func (s *pcreScanner) inlineFlags() error {
	f := s.flags
	on := true
	var emitted strings.Builder
	for s.i < len(s.src) {
		c := s.src[s.i]
		s.i++
		switch c {
		case ')', ':':
			text := strings.TrimSuffix(emitted.String(), "-")
			if c == ')' {
				s.flags = f
				if text != "" {
					s.emit("(?" + text + ")")
				}
				return nil
			}
			saved := s.flags
			s.flags = f
			s.frames = append(s.frames, pcreFrame{start: len(s.out), saved: saved})
			if text != "" {
				s.emit("(?" + text + ":")
			} else {
				s.emit("(?:")
			}
			return nil
		case '-':
			on = false
			emitted.WriteByte('-')
		case 'i':
			f.i = on
			emitted.WriteByte(c)
		case 'm':
			f.m = on
			emitted.WriteByte(c)
		case 's':
			f.s = on
			emitted.WriteByte(c)
		case 'x':
			s.features[featExtended] = true
			f.x = on
			emitted.WriteByte(c)
		case 'n':
			s.features[featNoAutoCapture] = true
			f.n = on
		default:
			s.features[featInlineFlag] = true
			return s.errorf("inline flag %q in (?...) is not supported", c)
		}
	}
	return s.errorf("(? has no closing )")
}

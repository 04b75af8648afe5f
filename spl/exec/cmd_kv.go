package exec

import (
	"strings"
	"unicode"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileExtract: `extract|kv [pairdelim=s] [kvdelim=s] [limit=N]
// [maxchars=N] [mv_add=b] [clean_keys=b] [reload=b]` (Search Reference,
// "extract"). It reads key-value pairs from the first maxchars (10240)
// characters of _raw, at most limit (50) pairs. With pairdelim or kvdelim,
// each is a set of single characters: the text splits into pairs at any
// pairdelim character (default: white space) and each pair into key and
// value at its first kvdelim character (default =). Without them, pairs
// are written key=value or key="quoted value". clean_keys (true) makes
// every character of a key that is not a letter, digit or _ an _, and
// drops leading _ and digits. A field that exists already is kept, or
// with mv_add=true gets the value added (transforms.conf MV_ADD).
// Extractors named from transforms.conf are not supported.
//
// Descriptor: streaming, row by row.
func (p *planner) compileExtract(c *spl.ExtractCommand) (stageBuilder, error) {
	if len(c.Names.Items) > 0 {
		w := c.Names.Items[0]
		return nil, unsupported(w.Pos, "%s %s: extractors named from transforms.conf are not supported by the evaluator", c.Kind, w.Raw)
	}
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	pairDelim, kvDelim := opts.String("pairdelim"), opts.String("kvdelim")
	limit, maxChars := opts.Int("limit"), opts.Int("maxchars")
	mvAdd, clean := opts.Bool("mv_add"), opts.Bool("clean_keys")
	delimited := pairDelim != "" || kvDelim != ""
	if kvDelim == "" {
		kvDelim = "="
	}
	return mapStage(func(r *value.Row) {
		raw := r.Get("_raw").First()
		if len(raw) > maxChars {
			raw = raw[:maxChars]
		}
		n := 0
		set := func(k, v string) bool {
			if limit > 0 && n >= limit {
				return false
			}
			if clean {
				k = cleanKey(k)
			}
			if k == "" {
				return true
			}
			n++
			old := r.Get(k)
			switch {
			case old.IsNull():
				r.Set(k, value.Str(v))
			case mvAdd:
				r.Set(k, value.MV(append(append([]string(nil), old.Values()...), v)))
			}
			return true
		}
		if delimited {
			splitPairs(raw, pairDelim, kvDelim, set)
		} else {
			autoPairs(raw, set)
		}
	}), nil
}

// splitPairs splits s into pairs at any character of pairDelim (white
// space when empty) and each at the first character of kvDelim.
func splitPairs(s, pairDelim, kvDelim string, set func(k, v string) bool) {
	isPair := func(r rune) bool {
		if pairDelim == "" {
			return unicode.IsSpace(r)
		}
		return strings.ContainsRune(pairDelim, r)
	}
	for _, pair := range strings.FieldsFunc(s, isPair) {
		i := strings.IndexAny(pair, kvDelim)
		if i <= 0 {
			continue
		}
		k := strings.TrimSpace(pair[:i])
		if k == "" {
			continue
		}
		if !set(k, strings.TrimSpace(pair[i+1:])) {
			return
		}
	}
}

// autoPairs finds key=value and key="quoted value" in s: a key is a run
// of letters, digits, _, . and - right before the =; an unquoted value
// runs to white space, a comma or a semicolon.
func autoPairs(s string, set func(k, v string) bool) {
	isKey := func(c byte) bool {
		return c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		j := i
		for j > 0 && isKey(s[j-1]) {
			j--
		}
		if j == i {
			continue
		}
		k := s[j:i]
		v, end := "", i+1
		if end < len(s) && s[end] == '"' {
			q := strings.IndexByte(s[end+1:], '"')
			if q < 0 {
				continue
			}
			v, end = s[end+1:end+1+q], end+2+q
		} else {
			for end < len(s) && !strings.ContainsRune(" \t\r\n,;", rune(s[end])) {
				end++
			}
			v = s[i+1 : end]
		}
		if !set(k, v) {
			return
		}
		i = end - 1
	}
}

// cleanKey is transforms.conf's CLEAN_KEYS: characters other than letters,
// digits and _ become _, and leading _ and digits go.
func cleanKey(k string) string {
	b := []byte(k)
	for i, c := range b {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b[i] = '_'
		}
	}
	return strings.TrimLeft(string(b), "_0123456789")
}

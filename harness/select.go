package harness

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Planned is a test as a run would run it, for listing without running.
type Planned struct {
	Detection string `json:"detection"`
	Test      string `json:"test"`
	File      string `json:"file"`
	// Data are the attack data files in the attack data root; Missing
	// those of them that a run could not read: absent, or a Git LFS
	// pointer (checkDataFile, as the run decides it).
	Data    []string `json:"data"`
	Missing []string `json:"missing,omitempty"`
}

// PlanTests lists the tests of the selected detections, in the order and
// with the names a run reports them: each test, then one for each
// must-not-fire dataset its sidecar names.
func PlanTests(c *Content, opts TestOptions) []Planned {
	var out []Planned
	add := func(p Planned, files []string) {
		p.Data = files
		for _, f := range files {
			if opts.AttackData == nil {
				break
			}
			if checkDataFile(opts.AttackData, f) != nil {
				p.Missing = append(p.Missing, f)
			}
		}
		out = append(out, p)
	}
	for _, d := range c.Detections {
		if !opts.Selected(d) {
			continue
		}
		for _, t := range d.Tests {
			// The plan a run runs (planTest): the test's data, then the
			// must-not-fire datasets of its sidecar.
			j := planTest(opts.AttackData, c, d, t)
			files := []string{}
			for _, f := range j.files {
				files = append(files, f.path)
			}
			add(Planned{Detection: d.Name, Test: t.Name, File: d.File}, files)
			for _, s := range j.subs {
				add(Planned{Detection: d.Name, Test: t.Name + ": " + s.x.Data, File: d.File}, []string{s.file.path})
			}
		}
	}
	return out
}

// NearNames returns up to n of names closest to what a user typed (a
// glob or a name, in any case), closest first: names that hold the typed
// text, then those within a few edits of it. Nothing is returned for
// text that resembles no name.
func NearNames(typed string, names []string, n int) []string {
	// The glob's literal text is what the user remembers of the name.
	want := strings.ToLower(strings.Map(func(r rune) rune {
		if strings.ContainsRune("*?[]\\", r) {
			return ' '
		}
		return r
	}, typed))
	words := strings.Fields(want)
	want = strings.Join(words, " ")
	if want == "" {
		return nil
	}
	type scored struct {
		name  string
		score int
	}
	var near []scored
	seen := map[string]bool{}
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		lower := strings.ToLower(name)
		// Edits to turn the typed text into some part of the name
		// (approximate substring matching), so that "bedrok guardrail"
		// finds "AWS Bedrock Delete GuardRails".
		score, far := 0, false
		for _, w := range words {
			d := substringDistance(w, lower)
			// More edits than a third of a word make it another word.
			far = far || d > max(1, utf8.RuneCountInString(w)/3)
			score += d
		}
		if far {
			continue
		}
		near = append(near, scored{name, score})
	}
	sort.SliceStable(near, func(i, j int) bool {
		if near[i].score != near[j].score {
			return near[i].score < near[j].score
		}
		return near[i].name < near[j].name
	})
	var out []string
	for i := 0; i < len(near) && i < n; i++ {
		out = append(out, near[i].name)
	}
	return out
}

// substringDistance is the least number of single-letter edits that turn
// pattern into a substring of text (Sellers' algorithm: the edit distance
// with free starts and ends in text).
func substringDistance(pattern, text string) int {
	p, t := []rune(pattern), []rune(text)
	prev := make([]int, len(t)+1) // row 0: a match may start anywhere
	cur := make([]int, len(t)+1)
	for i := 1; i <= len(p); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if p[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	best := prev[0]
	for _, d := range prev {
		best = min(best, d)
	}
	return best
}

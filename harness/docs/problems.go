package docs

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/splharness/splharness/harness"
)

// Problem is an error that the tests of many detections share, such as
// attack data missing from the folder they read or a command the evaluator
// cannot run. The index says it once, with what to do about it; each page
// refers to it by number, so that a reader of 200 pages is not told the
// same thing 200 times.
type Problem struct {
	// N numbers the problems from 1, the one that hits most detections
	// first.
	N int
	// Message is the message the results share, with what differs from
	// one to the next (a file, a position) left out as "…".
	Message string
	// Kind is what the problem is, when we know, for the advice:
	// MissingAttackData, Unsupported, or "".
	Kind string
	// Results counts the results, Detections the detections, by name.
	Results    int
	Detections []*DetectionPage
}

// Kinds of problem the index gives advice for.
const (
	MissingAttackData = "missing-attack-data"
	Unsupported       = "unsupported"
)

// minProblemDetections is how many detections must share an error for it
// to become a common problem. Two are still read side by side on one story
// page; from three on, the same paragraph repeats across pages.
const minProblemDetections = 3

// ID is the problem's anchor on the index page.
func (p *Problem) ID() string { return fmt.Sprintf("problem-%d", p.N) }

var (
	// position is the file:line:col: that starts a content finding.
	position = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\S+:[0-9]+:[0-9]+: `) })
	// pathLike is a word holding a slash: a file or a URL.
	pathLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\S*/\S*`) })
)

// problemKey is what an error message has in common with the same error on
// other detections: its first line without the position it starts with,
// every path in it replaced by "…"; detail is the paths, each once.
func problemKey(msg string) (key, detail string) {
	first, _ := firstLine(msg)
	first = position().ReplaceAllString(first, "")
	var paths []string
	key = pathLike().ReplaceAllStringFunc(first, func(w string) string {
		inner := strings.TrimLeft(w, "([\"'")
		core := strings.TrimRight(inner, ":,;.)]\"'")
		if !slices.Contains(paths, core) {
			paths = append(paths, core)
		}
		return w[:len(w)-len(inner)] + "…" + inner[len(core):]
	})
	return key, strings.Join(paths, ", ")
}

// kindOf tells the problems we can advise on, from what the runner
// recorded of a result: the attack data files it missed, or the finding
// that kept its search from running.
func kindOf(r *harness.Result) string {
	switch {
	case len(r.Missing) > 0:
		return MissingAttackData
	case r.Finding != nil && strings.HasPrefix(r.Finding.Code, "unsupported-"):
		return Unsupported
	}
	return ""
}

// findProblems groups the errors of the detections' results by problemKey,
// keeps the groups that hit at least minProblemDetections detections, and
// ties each result of such a group to its problem.
func findProblems(pages []*DetectionPage) []*Problem {
	type instance struct {
		page   *DetectionPage
		row    *ResultRow
		detail string
	}
	groups := map[string][]instance{}
	for _, p := range pages {
		for i := range p.Tests {
			for j := range p.Tests[i].Results {
				r := &p.Tests[i].Results[j]
				if r.Status != harness.Error {
					continue
				}
				key, detail := problemKey(r.Message)
				groups[key] = append(groups[key], instance{p, r, detail})
			}
		}
	}
	var problems []*Problem
	for key, insts := range groups {
		pr := &Problem{Message: key, Kind: kindOf(&insts[0].row.Result), Results: len(insts)}
		for _, in := range insts {
			if !slices.Contains(pr.Detections, in.page) {
				pr.Detections = append(pr.Detections, in.page)
			}
		}
		if len(pr.Detections) < minProblemDetections {
			continue
		}
		slices.SortFunc(pr.Detections, func(a, b *DetectionPage) int { return byName(a.Detection.Name, b.Detection.Name) })
		for _, in := range insts {
			in.row.Problem, in.row.Detail = pr, in.detail
		}
		problems = append(problems, pr)
	}
	slices.SortFunc(problems, func(a, b *Problem) int {
		return cmp.Or(cmp.Compare(len(b.Detections), len(a.Detections)), cmp.Compare(b.Results, a.Results), strings.Compare(a.Message, b.Message))
	})
	for i, pr := range problems {
		pr.N = i + 1
		for _, d := range pr.Detections {
			d.Problems = append(d.Problems, pr)
		}
	}
	for _, d := range pages {
		slices.SortFunc(d.Problems, func(a, b *Problem) int { return cmp.Compare(a.N, b.N) })
	}
	return problems
}

// Advice is what the index says to do about a problem, or "". Text in
// backticks is code (a flag, a command, a folder); the renderers show it so.
func (s *Site) Advice(p *Problem) string {
	switch p.Kind {
	case MissingAttackData:
		where := "the built-in attack data"
		if s.AttackData != "" {
			where = "`" + s.AttackData + "`"
		}
		return fmt.Sprintf("The tests read their attack data from %s, and these files are not there, so the tests could not run. "+
			"Pass `--attack-data DIR` with a clone of https://github.com/splunk/attack_data whose Git LFS files are fetched (`git lfs pull`).", where)
	case Unsupported:
		return "The evaluator cannot run this yet, so these tests could not run; `splharness validate` lists every search that uses it."
	}
	return ""
}

// codeSpans splits advice into its parts, odd ones code.
func codeSpans(s string) []string { return strings.Split(s, "`") }

// StoryProblem is a common problem as a story page mentions it: with how
// many of the story's detections it hits.
type StoryProblem struct {
	*Problem
	Count int
}

// StoryProblems are the common problems among a story's detections.
func (p *StoryPage) StoryProblems() []StoryProblem {
	var out []StoryProblem
	for _, d := range p.Detections {
		for _, pr := range d.Problems {
			i := slices.IndexFunc(out, func(sp StoryProblem) bool { return sp.Problem == pr })
			if i < 0 {
				out = append(out, StoryProblem{Problem: pr})
				i = len(out) - 1
			}
			out[i].Count++
		}
	}
	slices.SortFunc(out, func(a, b StoryProblem) int { return cmp.Compare(a.N, b.N) })
	return out
}

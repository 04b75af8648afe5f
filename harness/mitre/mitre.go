// Package mitre is the table of MITRE ATT&CK techniques detections name:
// id, name and tactics, from the ATT&CK enrichment table that Splunk
// Security Content ships (app_template/lookups/mitre_enrichment.csv),
// reduced to the columns splharness uses.
package mitre

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"
)

//go:embed attack.csv
var table string

// Technique is one ATT&CK technique or sub-technique.
type Technique struct {
	ID      string
	Name    string
	Tactics []string
}

var (
	once       sync.Once
	techniques map[string]*Technique
)

func load() {
	techniques = map[string]*Technique{}
	rows, err := csv.NewReader(strings.NewReader(table)).ReadAll()
	if err != nil {
		panic("mitre: embedded table: " + err.Error()) // fixed at build time
	}
	for _, r := range rows[1:] {
		t := &Technique{ID: r[0], Name: r[1]}
		if r[2] != "" {
			t.Tactics = strings.Split(r[2], "|")
		}
		techniques[t.ID] = t
	}
}

// Lookup returns the technique of an id such as T1562.008.
func Lookup(id string) (*Technique, bool) {
	once.Do(load)
	t, ok := techniques[id]
	return t, ok
}

// Len is the number of techniques in the table.
func Len() int {
	once.Do(load)
	return len(techniques)
}

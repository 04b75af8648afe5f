package harness

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/lookup"
)

// A KV store lookup (a lookups/ definition with a collection and no CSV
// file) is filled in Splunk by baseline searches; a test supplies its
// contents instead. The dataset's sidecar names, under kvstore:, a CSV
// file of the folder per lookup:
//
//	kvstore:
//	  previously_seen_cloud_regions: previously_seen_cloud_regions.csv
//
// The file is read like a CSV lookup, with the definition's matching
// options, and its columns must be among the definition's fields_list
// (transforms.conf "fields_list" of an external KV store lookup).

// kvSupply is a test's KV store contents: lookup name to the CSV file's
// path in the attack data root.
type kvSupply map[string]string

// key is the supply as text, for caching the searches compiled with it.
func (kv kvSupply) key() string {
	var b strings.Builder
	names := make([]string, 0, len(kv))
	for n := range kv {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b.WriteString(n + "=" + kv[n] + "\x00")
	}
	return b.String()
}

// kvEntry is one name of a sidecar's kvstore: mapping, with its place.
type kvEntry struct {
	name, file   string
	line, column int
}

// kvEntries reads a sidecar's kvstore: mapping; file is the sidecar's name.
func kvEntries(file string, doc *yaml.Node) ([]kvEntry, error) {
	n := topKey(doc, "kvstore")
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d:%d: kvstore: must map KV store lookup names to CSV files", file, n.Line, n.Column)
	}
	var out []kvEntry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := scalar(v)
		if !ok || f == "" || path.IsAbs(f) || strings.Contains(f, "/") || strings.Contains(f, `\`) {
			return nil, fmt.Errorf("%s:%d:%d: kvstore: %s must name a CSV file of the dataset's folder", file, v.Line, v.Column, k.Value)
		}
		for _, e := range out {
			if e.name == k.Value {
				return nil, fmt.Errorf("%s:%d:%d: kvstore: %s is supplied twice (also line %d)", file, k.Line, k.Column, k.Value, e.line)
			}
		}
		out = append(out, kvEntry{name: k.Value, file: f, line: k.Line, column: k.Column})
	}
	return out, nil
}

// kvSupplyOf checks a sidecar's kvstore: entries against the content and
// the attack data root: each name must be a KV store lookup of the
// content and its file must be there. dir is the dataset's folder.
func kvSupplyOf(c *Content, root fs.FS, file, dir string, entries []kvEntry) (kvSupply, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	kv := kvSupply{}
	for _, e := range entries {
		l := c.lookup(e.name)
		switch {
		case l == nil:
			return nil, fmt.Errorf("%s:%d:%d: kvstore: %s is not a lookup of the content", file, e.line, e.column, e.name)
		case l.Filename != "":
			return nil, fmt.Errorf("%s:%d:%d: kvstore: %s is a CSV lookup (%s), not a KV store collection", file, e.line, e.column, e.name, l.Filename)
		}
		p := path.Join(dir, e.file)
		if _, err := fs.Stat(root, p); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: kvstore: %s: %s is not in the attack data", file, e.line, e.column, e.name, p)
		}
		kv[e.name] = p
	}
	return kv, nil
}

// lookup is the content's lookup definition of a name, nil for none.
func (c *Content) lookup(name string) *Lookup {
	for _, l := range c.Lookups {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// readKVStore reads a supplied collection's CSV file as the lookup l.
func readKVStore(l *Lookup, root fs.FS, p string) (*lookup.Table, error) {
	f, err := root.Open(p)
	if err != nil {
		return nil, fmt.Errorf("lookup %s: %v", l.Name, err)
	}
	defer f.Close()
	tab, err := lookup.ReadCSV(p, f)
	if err != nil {
		return nil, err
	}
	if fl, ok := scalar(get(l.node, "fields_list")); ok {
		allowed := map[string]bool{}
		for _, x := range strings.Split(fl, ",") {
			allowed[strings.TrimSpace(x)] = true
		}
		for _, col := range tab.Columns {
			if !allowed[col] {
				return nil, fmt.Errorf("lookup %s: %s has the column %s, which the collection's fields_list (%s) does not name", l.Name, p, col, fl)
			}
		}
	}
	if err := applyLookupOptions(l, tab); err != nil {
		return nil, fmt.Errorf("lookup %s: %v", l.Name, err)
	}
	return tab, nil
}

// A dataset's sidecar may also name, under iplocation:, an IP location
// database (.mmdb, MaxMind format) of the folder, which the iplocation
// command of the tests on its data reads instead of the run's
// (--iplocation-db or limits.conf [iplocation] db_path):
//
//	iplocation: geo.mmdb

// geoEntry reads a sidecar's iplocation: key; file is the sidecar's name.
func geoEntry(file string, doc *yaml.Node) (*kvEntry, error) {
	n := topKey(doc, "iplocation")
	if n == nil {
		return nil, nil
	}
	f, ok := scalar(n)
	if !ok || f == "" || path.IsAbs(f) || strings.Contains(f, "/") || strings.Contains(f, `\`) {
		return nil, fmt.Errorf("%s:%d:%d: iplocation: must name a .mmdb file of the dataset's folder", file, n.Line, n.Column)
	}
	return &kvEntry{name: "iplocation", file: f, line: n.Line, column: n.Column}, nil
}

// geoOf checks that the database a sidecar names is in the attack data.
func geoOf(root fs.FS, file, dir string, e kvEntry) (string, error) {
	p := path.Join(dir, e.file)
	if _, err := fs.Stat(root, p); err != nil {
		return "", fmt.Errorf("%s:%d:%d: iplocation: %s is not in the attack data", file, e.line, e.column, p)
	}
	return p, nil
}

// openGeo opens a database of the attack data once, on first use.
func openGeo(root fs.FS, p string) func() (*geoip.DB, error) {
	return sync.OnceValues(func() (*geoip.DB, error) {
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return nil, err
		}
		db, err := geoip.OpenBytes(b, p)
		if err != nil {
			return nil, fmt.Errorf("%w (from the iplocation: of %s)", err, sidecarName(p))
		}
		return db, nil
	})
}

// Command perf measures splharness against DuckDB on generated CloudTrail:
// the five AWS Bedrock detections in one pass, each alone, and a
// non-selective stats, at several sizes, with wall time, throughput and
// peak memory. DuckDB runs the equivalent SQL on its fastest path for this
// data (read_ndjson_objects with json_extract_string).
//
// It is its own Go module so that the splharness binary does not depend on
// DuckDB. Run it from this folder:
//
//	go run . -sizes 0.25,0.5,1
//	go run . -sizes 1 -profile bedrock-heavy
//
// -profile is gen's profile (default, or bedrock-heavy: a quarter of the
// records benign Bedrock calls).
//
// Each measurement runs in a child process, so that peak RSS is the
// process's own, -runs times (3 by default): the table gives the fastest
// wall time and the largest peak RSS of the runs. The file is read once
// before a size is measured, so both tools start from the page cache. On
// this kind of shared virtual machine the first read of a file that sat
// idle costs up to three times the system time (the host reclaims cold
// page-cache memory), which single runs showed as noise of ±50%.
package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/harness/gen"
)

func main() {
	sizes := flag.String("sizes", "0.25,0.5,1", "sizes of generated CloudTrail to measure, in GB")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "splharness-perf"), "where to keep the generated data")
	bin := flag.String("bin", "", "splharness binary (default: build it)")
	duck := flag.String("duckdb", "", "internal: run DuckDB query set NAME on -file")
	file := flag.String("file", "", "internal: data file for -duckdb")
	flag.IntVar(&runs, "runs", 3, "times each measurement runs; the fastest counts")
	profile := flag.String("profile", "default", "gen profile of the data: "+strings.Join(gen.Profiles(), " or "))
	escu := flag.String("escu", os.Getenv("SPLHARNESS_ESCU"), "ESCU content root (default $SPLHARNESS_ESCU): when set, also measure its CloudTrail detections in one pass, growing as -curve says")
	curve := flag.String("curve", "1,5,20,all", "how many of the ESCU CloudTrail detections the splharness engine runs to measure in one pass")
	curveOnly := flag.Bool("curve-only", false, "measure only the ESCU growth curve (no Bedrock table, no DuckDB)")
	flag.Parse()
	if *duck != "" {
		if err := runDuckDB(*duck, *file); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if !slices.Contains(gen.Profiles(), *profile) {
		fmt.Fprintf(os.Stderr, "perf: unknown -profile %q (known: %s)\n", *profile, strings.Join(gen.Profiles(), ", "))
		os.Exit(2)
	}
	if err := run(*sizes, *dir, *bin, *profile, *escu, *curve, *curveOnly); err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

// measurement is one timed child process.
type measurement struct {
	wall  time.Duration
	cpu   time.Duration // user and system time: on a shared machine, steadier than wall
	rssMB float64
	out   string
}

// warm reads a file through, into the page cache.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// runs is how many times measure runs a command.
var runs = 3

// measure runs a command runs times and keeps the fastest wall time and
// the largest peak RSS.
func measure(name string, args ...string) (measurement, error) {
	var best measurement
	for i := 0; i < max(runs, 1); i++ {
		m, err := measureOnce(name, args...)
		if err != nil {
			return m, err
		}
		if i == 0 || m.wall < best.wall {
			best.wall, best.out = m.wall, m.out
		}
		if i == 0 || m.cpu < best.cpu {
			best.cpu = m.cpu
		}
		best.rssMB = max(best.rssMB, m.rssMB)
	}
	return best, nil
}

func measureOnce(name string, args ...string) (measurement, error) {
	cmd := exec.Command(name, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), out: out.String()}
	if cmd.ProcessState != nil {
		m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssMB = float64(ru.Maxrss) / 1024
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errOut.String())
	}
	return m, nil
}

func run(sizeList, dir, bin, profile, escu, curve string, curveOnly bool) error {
	if curveOnly && escu == "" {
		return fmt.Errorf("-curve-only needs -escu or SPLHARNESS_ESCU")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(dir, "splharness")
		build := exec.Command("go", "build", "-o", bin, "./cmd/splharness")
		build.Dir = "../.."
		// A static binary, as a release is built: nothing in splharness
		// needs cgo, which pflag's import of net otherwise links in, and
		// the dynamic loader and libc's start cost each run 2-3 ms
		// (docs/performance.md, "a detection's start").
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building splharness: %v", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	searches, names, err := bedrockSearches()
	if err != nil {
		return err
	}
	fmt.Printf("machine: %d cores (GOMAXPROCS %d), %s; data: splharness gen --profile %s --seed 1\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), profile)
	type sized struct {
		gb      float64
		path    string
		records int
		mb      float64
	}
	var files []sized
	for _, s := range strings.Split(sizeList, ",") {
		gb, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("bad size %q", s)
		}
		path, records, bytes, err := dataFile(dir, gb, profile)
		if err != nil {
			return err
		}
		files = append(files, sized{gb, path, records, float64(bytes) / (1 << 20)})
	}
	if !curveOnly {
		fmt.Println("| size | query | splharness wall | CPU | MB/s | events/s/core | peak RSS | DuckDB wall | CPU | DuckDB peak RSS | DuckDB ÷ splharness |")
		fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	}
	for _, f := range files {
		if curveOnly {
			break
		}
		gb, path, records, mb := f.gb, f.path, f.records, f.mb
		if err := warm(path); err != nil {
			return err
		}
		row := func(query string, m measurement, d measurement) {
			secs := m.wall.Seconds()
			fmt.Printf("| %.2f GB | %s | %.2f s | %.2f s | %.0f | %.0f | %.0f MB | %.2f s | %.2f s | %.0f MB | %.1f× |\n",
				gb, query, secs, m.cpu.Seconds(), mb/secs, float64(records)/secs/float64(runtime.NumCPU()), m.rssMB, d.wall.Seconds(), d.cpu.Seconds(), d.rssMB, d.wall.Seconds()/secs)
		}
		// (a) the five detections in one pass.
		all, err := measure(bin, append([]string{"search", "--data", path, "--format", "json"}, searches...)...)
		if err != nil {
			return err
		}
		duckAll, err := measure(self, "-duckdb", "bedrock", "-file", path)
		if err != nil {
			return err
		}
		row("5 Bedrock detections, one pass", all, duckAll)
		// (b) each detection as its own process; DuckDB's total is its
		// five queries.
		var alone measurement
		for i, q := range searches {
			m, err := measure(bin, "search", "--data", path, "--format", "json", q)
			if err != nil {
				return err
			}
			alone.wall += m.wall
			alone.cpu += m.cpu
			alone.rssMB = max(alone.rssMB, m.rssMB)
			d, err := measure(self, "-duckdb", "bedrock:"+strconv.Itoa(i), "-file", path)
			if err != nil {
				return err
			}
			if err := sameRowCount(m.out, d.out); err != nil {
				return fmt.Errorf("%s: %v", names[i], err)
			}
			row(names[i]+" (alone)", m, d)
		}
		row("5 Bedrock detections, 5 processes (sum)", alone, duckAll)
		// (c) a non-selective search.
		st, err := measure(bin, "search", "--data", path, "--format", "json", "* | stats count by eventSource")
		if err != nil {
			return err
		}
		dst, err := measure(self, "-duckdb", "by-source", "-file", path)
		if err != nil {
			return err
		}
		if err := sameCounts(st.out, dst.out); err != nil {
			return fmt.Errorf("stats count by eventSource: %v", err)
		}
		row("stats count by eventSource", st, dst)
	}
	if escu == "" {
		return nil
	}
	return growth(bin, dir, escu, curve, files[0].path, files[0].gb, files[0].mb)
}

// growth measures how the cost of one pass grows with the number of
// detections: 1, 5, 20 and all (as counts says) of the ESCU content's
// CloudTrail detections that the splharness engine runs, in one search
// process over the data file, with wall time and peak RSS. A detection is
// CloudTrail when a data source of it is; it is supported when splharness
// search runs it without error over the first records of the file (a
// search the engine cannot compile, or whose macros or lookups do not
// resolve, exits 2). The detections are taken in file-name order, so the
// same counts measure the same searches from run to run.
func growth(bin, dir, escu, counts, path string, gb, mb float64) error {
	c, err := harness.Load(os.DirFS(escu), escu)
	if err != nil {
		return err
	}
	sample, err := head(path, filepath.Join(dir, "head-2000-"+filepath.Base(path)), 2000)
	if err != nil {
		return err
	}
	type det struct{ file, search string }
	var cloudtrail []det
	for _, d := range c.Detections {
		for _, ds := range d.DataSources {
			if strings.HasPrefix(ds, "AWS CloudTrail") {
				cloudtrail = append(cloudtrail, det{d.File, d.Search})
				break
			}
		}
	}
	sort.Slice(cloudtrail, func(i, j int) bool { return cloudtrail[i].file < cloudtrail[j].file })
	var supported []string
	for _, d := range cloudtrail {
		if _, err := measureOnce(bin, "search", "--content", escu, "--data", sample, "--format", "json", d.search); err != nil {
			// The error is the command line, then its standard error:
			// the first line of that says why.
			_, msg, _ := strings.Cut(err.Error(), "\n")
			msg, _, _ = strings.Cut(msg, "\n")
			fmt.Fprintf(os.Stderr, "not run: %s: %s\n", d.file, msg)
			continue
		}
		supported = append(supported, d.search)
	}
	// The searches, NUL-separated, for running them by hand (xargs -0).
	if err := os.WriteFile(filepath.Join(dir, "escu-cloudtrail-searches"), []byte(strings.Join(supported, "\x00")), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nESCU CloudTrail detections: %d, of which splharness runs %d; one search process over %.2f GB (%s), fastest of %d runs\n\n", len(cloudtrail), len(supported), gb, filepath.Base(path), max(runs, 1))
	fmt.Println("| detections in one pass | wall | CPU | MB/s | peak RSS |")
	fmt.Println("|---|---|---|---|---|")
	if err := warm(path); err != nil {
		return err
	}
	for _, n := range strings.Split(counts, ",") {
		n = strings.TrimSpace(n)
		k := len(supported)
		if n != "all" {
			if k, err = strconv.Atoi(n); err != nil || k < 1 {
				return fmt.Errorf("-curve: %q is not a count or all", n)
			}
			if k > len(supported) {
				continue
			}
		}
		args := append([]string{"search", "--content", escu, "--data", path, "--format", "json"}, supported[:k]...)
		m, err := measure(bin, args...)
		if err != nil {
			return err
		}
		label := strconv.Itoa(k)
		if n == "all" {
			label = fmt.Sprintf("all (%d)", k)
		}
		fmt.Printf("| %s | %.2f s | %.2f s | %.0f | %.0f MB |\n", label, m.wall.Seconds(), m.cpu.Seconds(), mb/m.wall.Seconds(), m.rssMB)
	}
	return nil
}

// head writes the first n lines of a file to out, once.
func head(path, out string, n int) (string, error) {
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var buf bytes.Buffer
	br := bufio.NewReader(f)
	for i := 0; i < n; i++ {
		line, err := br.ReadBytes('\n')
		buf.Write(line)
		if err != nil {
			break
		}
	}
	return out, os.WriteFile(out, buf.Bytes(), 0o644)
}

// dataFile generates (once) a data file of about gb gigabytes of the
// profile's mix. The default profile keeps the file name it had before
// profiles, so files generated then are reused.
func dataFile(dir string, gb float64, profile string) (string, int, int64, error) {
	name := fmt.Sprintf("cloudtrail-%gGB.json", gb)
	if profile != "default" {
		name = fmt.Sprintf("cloudtrail-%s-%gGB.json", profile, gb)
	}
	path := filepath.Join(dir, name)
	meta := path + ".records"
	if b, err := os.ReadFile(meta); err == nil {
		if st, err := os.Stat(path); err == nil {
			n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return path, n, st.Size(), nil
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return "", 0, 0, err
	}
	planted, err := gen.Write(f, gen.Config{Bytes: int64(gb * (1 << 30)), Seed: 1, Profile: profile})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, 0, err
	}
	if err := os.WriteFile(meta, []byte(strconv.Itoa(planted.Records)), 0o644); err != nil {
		return "", 0, 0, err
	}
	return path, planted.Records, planted.Bytes, nil
}

// bedrockSearches returns the searches and names of the embedded
// AWS Bedrock Security detections.
func bedrockSearches() ([]string, []string, error) {
	c, err := harness.Load(detections.FS(), "(embedded)")
	if err != nil {
		return nil, nil, err
	}
	var searches, names []string
	for _, d := range c.Detections {
		searches = append(searches, d.Search)
		names = append(names, d.Name)
	}
	if len(searches) != 5 {
		return nil, nil, fmt.Errorf("want 5 detections, found %d", len(searches))
	}
	return searches, names, nil
}

// sameRowCount checks that a detection returned as many rows in
// splharness as its SQL did in DuckDB, and at least one (the data has
// planted activity for every detection).
func sameRowCount(splOut, duckOut string) error {
	var rows []map[string]any
	if err := json.Unmarshal([]byte(splOut), &rows); err != nil {
		return err
	}
	duck := 0
	if t := strings.TrimSpace(duckOut); t != "" {
		duck = len(strings.Split(t, "\n"))
	}
	if len(rows) != duck || duck == 0 {
		return fmt.Errorf("splharness returned %d rows, DuckDB %d", len(rows), duck)
	}
	return nil
}

// sameCounts checks that splharness's and DuckDB's counts by eventSource
// agree.
func sameCounts(splOut, duckOut string) error {
	var rows []map[string]string
	if err := json.Unmarshal([]byte(splOut), &rows); err != nil {
		return err
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r["eventSource"]] = r["count"]
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(duckOut), "\n") {
		k, v, _ := strings.Cut(line, "\t")
		want[k] = v
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			return fmt.Errorf("%s: splharness %s, DuckDB %s", k, got[k], want[k])
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("splharness has %d sources, DuckDB %d", len(got), len(want))
	}
	return nil
}

// The SQL equivalents of the five detections (run checks that each returns
// as many rows as the detection). The add-on fields are
// derived as the built-in knowledge does (docs/knowledge.md): user is the
// IAM user name or the assumed role's name; values are compared in lower
// case, as Splunk compares search values.
const fields = `
  json_extract_string(json, '$.sourceIPAddress') AS src,
  coalesce(json_extract_string(json, '$.userIdentity.userName'),
           json_extract_string(json, '$.userIdentity.sessionContext.sessionIssuer.userName')) AS "user",
  json_extract_string(json, '$.userAgent') AS user_agent,
  coalesce(json_extract_string(json, '$.userIdentity.accountId'), json_extract_string(json, '$.recipientAccountId')) AS vendor_account,
  'AWS CloudTrail' AS vendor_product,
  json_extract_string(json, '$.eventSource') AS dest,
  json_extract_string(json, '$.eventName') AS signature,
  json_extract_string(json, '$.awsRegion') AS vendor_region,
  epoch(CAST(json_extract_string(json, '$.eventTime') AS TIMESTAMP)) AS t`

const groupBy = `GROUP BY src, "user", user_agent, vendor_account, vendor_product, dest, signature, vendor_region`

func bedrockSQL(file string) []string {
	from := fmt.Sprintf("FROM read_ndjson_objects('%s')", file)
	where := func(name string, denied bool) string {
		w := fmt.Sprintf("lower(json_extract_string(json, '$.eventSource')) = 'bedrock.amazonaws.com' AND lower(json_extract_string(json, '$.eventName')) = '%s'", strings.ToLower(name))
		if denied {
			w += " AND lower(json_extract_string(json, '$.errorCode')) = 'accessdenied'"
		}
		return w
	}
	return []string{
		fmt.Sprintf(`SELECT src, "user", count(*), min(t), max(t), list(DISTINCT g ORDER BY g) FROM (SELECT %s, json_extract_string(json, '$.requestParameters.guardrailIdentifier') AS g %s WHERE %s) %s`, fields, from, where("DeleteGuardrail", false), groupBy),
		fmt.Sprintf(`SELECT src, "user", count(*), min(t), max(t), list(DISTINCT k ORDER BY k) FROM (SELECT %s, json_extract_string(json, '$.requestParameters.knowledgeBaseId') AS k %s WHERE %s) %s`, fields, from, where("DeleteKnowledgeBase", false), groupBy),
		fmt.Sprintf(`SELECT src, "user", count(*), min(t), max(t) FROM (SELECT %s %s WHERE %s) %s`, fields, from, where("DeleteModelInvocationLoggingConfiguration", false), groupBy),
		fmt.Sprintf(`SELECT src, "user", count(*) AS n, min(t), max(t), list(DISTINCT e) FROM (SELECT %s, json_extract_string(json, '$.errorMessage') AS e %s WHERE %s) %s HAVING count(*) > 9`, fields, from, where("ListFoundationModels", true), groupBy),
		fmt.Sprintf(`SELECT src, "user", count(*), min(t), max(t), list(DISTINCT m) FROM (SELECT %s, json_extract_string(json, '$.errorMessage') AS result, json_extract_string(json, '$.errorCode') AS result_id, json_extract_string(json, '$.requestParameters.modelId') AS m %s WHERE %s) %s, result, result_id`, fields, from, where("InvokeModel", true), groupBy),
	}
}

// runDuckDB runs a query set in this (child) process and prints results.
func runDuckDB(set, file string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	var queries []string
	switch {
	case set == "bedrock":
		queries = bedrockSQL(file)
	case strings.HasPrefix(set, "bedrock:"):
		i, _ := strconv.Atoi(strings.TrimPrefix(set, "bedrock:"))
		queries = bedrockSQL(file)[i : i+1]
	case set == "by-source":
		queries = []string{fmt.Sprintf(`SELECT json_extract_string(json, '$.eventSource') AS s, count(*) FROM read_ndjson_objects('%s') GROUP BY s ORDER BY s`, file)}
	default:
		return fmt.Errorf("unknown query set %s", set)
	}
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			return fmt.Errorf("%v\n%s", err, q)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			var parts []string
			for _, v := range vals {
				parts = append(parts, fmt.Sprint(v))
			}
			fmt.Println(strings.Join(parts, "\t"))
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

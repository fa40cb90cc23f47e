package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Hostile names: SQL and HTML meta-characters in every name a user
// controls. None may change a table or reach a page as markup.
var (
	hostileLeadID = `Lead "ID"; DROP TABLE leads; --` // header mapped to lead_id by --map
	hostileAttrs  = map[string]string{                // gen's attribute column → hostile header
		"title":        `title"; DROP TABLE lead_attributes; --`,
		"industry":     `<b>industry</b>`,
		"company_size": `size -- comment`,
		"country":      `c;o'u"n"t;ry`,
	}
	hostileChannels = map[string]string{ // gen's channel → hostile channel
		"organic_search": `<img src=x onerror=alert(1)>`,
		"paid_search":    `</script><script>alert(1)</script>`,
		"social":         `'; DROP TABLE leads; --`,
		"webinar":        `x"); DROP TABLE events; --`,
	}
	hostileActions = map[string]string{ // gen's action → hostile action
		"demo_request":   `demo'; DELETE FROM events; --`,
		"pricing_page":   `<svg onload=alert(2)>`,
		"ebook_download": `"ebook" -- ; SELECT 1`,
	}
	hostileStage = `s'a"l; --` // gen's sal
)

// rewriteCSV copies the CSV file src to dst, passing the header and each
// row through edit, and returns the number of data rows.
func rewriteCSV(t *testing.T, src, dst string, edit func(header []string, row []string)) int {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rows, err := csv.NewReader(in).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := append([]string(nil), rows[0]...)
	for i, r := range rows {
		if i == 0 {
			edit(header, nil)
		} else {
			edit(header, r)
		}
	}
	rows[0] = header
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return len(rows) - 1
}

// column is the index of name in header.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s in %v", name, header)
	return -1
}

// TestHostileNames (issue 7, point 4): generated data whose lead_id header
// (renamed by a mapping file), attribute headers, channels, actions and a
// stage carry quotes, semicolons, `--`, DROP TABLE and HTML/script markup
// loads, reports by a hostile attribute over a hostile stage, calibrates
// with a hostile attribute and scores; the tables keep the files' row
// counts throughout, the names come back intact in JSON, and no markup
// reaches the HTML pages unescaped.
func TestHostileNames(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, loads, reports, calibrates and scores 4,000 leads")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "gen")
	if code, _, stderr := runCLI(t, "gen", "--out", src, "--leads", "4000", "--seed", "5"); code != exitOK {
		t.Fatalf("gen: %s", stderr)
	}
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	var ch, act, stg int
	want := map[string]int64{}
	want["leads"] = int64(rewriteCSV(t, filepath.Join(src, "leads.csv"), filepath.Join(in, "leads.csv"), func(h, r []string) {
		if r == nil {
			ch = column(t, h, "channel")
			for i, name := range h {
				if name == "lead_id" {
					h[i] = hostileLeadID
				} else if hostile, ok := hostileAttrs[name]; ok {
					h[i] = hostile
				}
			}
			return
		}
		if hostile, ok := hostileChannels[r[ch]]; ok {
			r[ch] = hostile
		}
	}))
	want["events"] = int64(rewriteCSV(t, filepath.Join(src, "events.csv"), filepath.Join(in, "events.csv"), func(h, r []string) {
		if r == nil {
			act = column(t, h, "action")
			return
		}
		if hostile, ok := hostileActions[r[act]]; ok {
			r[act] = hostile
		}
	}))
	want["stages"] = int64(rewriteCSV(t, filepath.Join(src, "stages.csv"), filepath.Join(in, "stages.csv"), func(h, r []string) {
		if r == nil {
			stg = column(t, h, "stage")
			return
		}
		if r[stg] == "sal" {
			r[stg] = hostileStage
		}
	}))
	want["outcomes"] = int64(rewriteCSV(t, filepath.Join(src, "outcomes.csv"), filepath.Join(in, "outcomes.csv"), func([]string, []string) {}))
	mapping := filepath.Join(in, "mapping.yaml")
	// YAML single quotes: ' is written ''.
	yaml := fmt.Sprintf("leads:\n  '%s': lead_id\n", strings.ReplaceAll(hostileLeadID, "'", "''"))
	if err := os.WriteFile(mapping, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}

	db := filepath.Join(dir, "h.duckdb")
	code, _, stderr := runCLI(t, "load", "--db", db, "--map", mapping,
		"--leads", filepath.Join(in, "leads.csv"), "--events", filepath.Join(in, "events.csv"),
		"--stages", filepath.Join(in, "stages.csv"), "--outcomes", filepath.Join(in, "outcomes.csv"))
	if code != exitOK {
		t.Fatalf("load: exit %d: %s", code, stderr)
	}
	// Every row of every file is stored (gen's files have no duplicate
	// rows), and each lead has its 4 renamed attributes among the 6.
	loaded := statusCounts(t, db)
	for k, n := range want {
		if loaded[k] != n {
			t.Errorf("%s: %d rows stored, the file has %d", k, loaded[k], n)
		}
	}

	by := hostileAttrs["title"]
	stages := "lead,mql," + hostileStage + ",sql,won"
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "report", "--db", db, "--out", filepath.Join(out, "report.html"),
		"--json", filepath.Join(out, "report.json"), "--by", by, "--stages", stages)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	reportJSON, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range hostileChannels {
		names = append(names, v)
	}
	names = append(names, hostileStage, by)
	for _, name := range names {
		quoted, _ := json.Marshal(name) // as encoding/json writes it
		if !strings.Contains(string(reportJSON), string(quoted)) {
			t.Errorf("report.json does not name %s intact", quoted)
		}
	}

	// calibrate with a hostile attribute: --attrs is a comma-separated
	// (CSV) list, so a name with a quote is written CSV-quoted.
	attrFlag := `"` + strings.ReplaceAll(hostileAttrs["country"], `"`, `""`) + `"`
	code, _, stderr = runCLI(t, "calibrate", "--db", db, "--out", filepath.Join(out, "model.yaml"),
		"--evidence", filepath.Join(out, "calibration.html"), "--json", filepath.Join(out, "calibration.json"),
		"--attrs", attrFlag, "--half-life", "14", "--l2", "1")
	if code != exitOK {
		t.Fatalf("calibrate: exit %d: %s", code, stderr)
	}
	calJSON := string(mustRead(t, filepath.Join(out, "calibration.json")))
	for _, name := range []string{hostileActions["demo_request"], hostileChannels["social"], hostileAttrs["country"]} {
		quoted, _ := json.Marshal(name)
		if !strings.Contains(calJSON, strings.Trim(string(quoted), `"`)) {
			t.Errorf("calibration.json does not name %s intact", quoted)
		}
	}
	code, _, stderr = runCLI(t, "score", "--db", db, "--model", filepath.Join(out, "model.yaml"), "--out", filepath.Join(out, "scores.csv"))
	if code != exitOK {
		t.Fatalf("score with the model written: exit %d: %s", code, stderr)
	}

	// No markup reaches the pages: the raw strings appear nowhere (not in
	// the inlined echarts either), their escaped forms do.
	markup := []string{hostileChannels["organic_search"], hostileChannels["paid_search"], hostileActions["pricing_page"], hostileAttrs["industry"]}
	for _, page := range []string{"report.html", "calibration.html"} {
		html := string(mustRead(t, filepath.Join(out, page)))
		for _, m := range markup {
			if strings.Contains(html, m) {
				t.Errorf("%s holds %s unescaped", page, m)
			}
		}
	}
	html := string(mustRead(t, filepath.Join(out, "report.html")))
	if !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") && !strings.Contains(html, `\u003cimg src=x onerror=alert(1)\u003e`) {
		t.Errorf("report.html does not show the channel %s escaped; the check above proves nothing", hostileChannels["organic_search"])
	}

	if after := statusCounts(t, db); fmt.Sprint(after) != fmt.Sprint(loaded) {
		t.Errorf("tables after report, calibrate and score: %v, after load: %v", after, loaded)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

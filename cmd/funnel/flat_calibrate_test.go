package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateFlatExport loads a flat export (no dates, the outcome in a
// column, empty sources and titles) with funnel load --outcome-column and
// calibrates it: --split time is refused naming --split random, the default
// splits at random, and the empty channel and title are groups of their own.
func TestCalibrateFlatExport(t *testing.T) {
	dir := t.TempDir()
	// 600 leads: channel web, referral or empty by i % 3; title cto,
	// manager or empty by i % 4; converted when (i/3) % 10 is below 2, 5 or
	// 1 by channel; leads 500–599 have no outcome yet (empty: open).
	var b strings.Builder
	b.WriteString("lead_id,channel,title,converted\n")
	for i := 0; i < 600; i++ {
		conv := ""
		if i < 500 {
			conv = "0"
			if (i/3)%10 < []int{2, 5, 1}[i%3] {
				conv = "1"
			}
		}
		fmt.Fprintf(&b, "F%d,%s,%s,%s\n", i, []string{"web", "referral", ""}[i%3], []string{"", "cto", "manager", "cto"}[i%4], conv)
	}
	leads := filepath.Join(dir, "leads.csv")
	if err := os.WriteFile(leads, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "flat.duckdb")
	if code, _, stderr := runCLI(t, "load", "--db", db, "--leads", leads, "--outcome-column", "converted"); code != exitOK {
		t.Fatalf("load: exit %d; stderr %q", code, stderr)
	}
	out, js := filepath.Join(dir, "m.yaml"), filepath.Join(dir, "c.json")
	args := []string{"calibrate", "--db", db, "--out", out, "--json", js, "--attrs", "title", "--half-life", "none"}
	code, _, stderr := runCLI(t, append(args, "--split", "time")...)
	if code != exitFailure || !strings.Contains(stderr, "500 of 500 mature leads have no creation date") || !strings.Contains(stderr, "use --split random") {
		t.Fatalf("--split time: exit %d stderr %q, want 1 naming --split random", code, stderr)
	}
	if code, _, stderr := runCLI(t, args...); code != exitOK {
		t.Fatalf("calibrate: exit %d; stderr %q", code, stderr)
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Options struct {
			Split string `json:"split"`
			Seed  uint64 `json:"seed"`
		} `json:"options"`
		Leads struct {
			Mature   int `json:"mature"`
			Immature int `json:"immature"`
		} `json:"leads"`
		Coefficients []struct {
			Feature string `json:"feature"`
		} `json:"coefficients"`
		Baselines map[string]string `json:"baselines"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Options.Split != "random" || r.Options.Seed != 1 || r.Leads.Mature != 500 || r.Leads.Immature != 100 {
		t.Errorf("split %q seed %d, %d mature and %d open leads; want random, 1, 500, 100", r.Options.Split, r.Options.Seed, r.Leads.Mature, r.Leads.Immature)
	}
	// Baselines are the most common levels: web / referral / (none) have
	// about a third each, cto half of the titles.
	var features []string
	for _, c := range r.Coefficients {
		features = append(features, c.Feature)
	}
	all := strings.Join(features, " ") + " baseline:" + r.Baselines["channel"] + " baseline:" + r.Baselines["attr:title"]
	for _, want := range []string{"(none)", "attr:title=(missing)", "attr:title=manager", "baseline:cto"} {
		if !strings.Contains(all, want) {
			t.Errorf("features and baselines %q lack %q", all, want)
		}
	}
}

package queries

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFeatureSnapshotsTieOrder: leads created at the same moment come in
// lead_id order whatever their order in the table, and undated leads come
// last, in lead_id order too. The queries sort by created_at and rowid; the
// ids here are inserted against their order, across Arrow records (more
// than 2048 rows), so the test fails when the runs are not put in order.
func TestFeatureSnapshotsTieOrder(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	// 3000 leads at 01-02 with ids T2999 … T0000 (descending), then an
	// undated lead Z, a lead A at 01-01 and another undated lead U.
	stmts := []string{
		`INSERT INTO leads SELECT 'T' || lpad(CAST(2999 - i AS VARCHAR), 4, '0'), TIMESTAMP '2025-01-02', 'web' FROM range(3000) r(i)`,
		`INSERT INTO leads VALUES ('Z', NULL, 'web'), ('A', '2025-01-01', 'web'), ('U', NULL, 'web')`,
		// The data ends on 03-01, so every dated lead has its landmarks.
		`INSERT INTO events VALUES ('A', '2025-03-01', 'page_view', NULL)`,
	}
	for _, q := range stmts {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"A"}
	for i := range 3000 {
		want = append(want, "T"+strings.Repeat("0", 4-len(itoa(i)))+itoa(i))
	}
	want = append(want, "U", "Z")

	asOf := time.Time{}
	landmarks := fixtureParams
	asOfSet := fixtureParams
	asOfSet.AsOf = &asOf
	for name, p := range map[string]FeatureParams{"landmarks": landmarks, "as of": asOfSet} {
		var got []string
		err := s.FeatureSnapshots(ctx, p, nil, func(f FeatureSnapshot) error {
			if f.Seq == 0 {
				got = append(got, strings.Clone(f.LeadID))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d leads, first %v, last %v; want %d, first %v, last %v",
				name, len(got), head(got), tail(got), len(want), head(want), tail(want))
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func head(s []string) []string { return s[:min(4, len(s))] }

func tail(s []string) []string { return s[max(0, len(s)-4):] }

package queries

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func TestWriteParquet(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(t.TempDir(), "t.parquet")
	cols := []ExportColumn{
		{Name: "name", Kind: "text", Values: []any{"a", nil, "c"}},
		{Name: "n", Kind: "integer", Values: []any{int64(1), int64(-2), nil}},
		{Name: "x", Kind: "number", Values: []any{0.5, nil, 1e-9}},
		{Name: "ok", Kind: "boolean", Values: []any{true, false, nil}},
	}
	if err := st.WriteParquet(ctx, cols, path); err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB().QueryContext(ctx, "SELECT name, n, x, ok, typeof(n), typeof(x) FROM read_parquet(?) ORDER BY n NULLS LAST", path)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name, tn, tx any
		var n, x, ok any
		if err := rows.Scan(&name, &n, &x, &ok, &tn, &tx); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmtRow(name, n, x, ok, tn, tx))
	}
	want := []string{"<nil> -2 <nil> false BIGINT DOUBLE", "a 1 0.5 true BIGINT DOUBLE", "c <nil> 1e-09 <nil> BIGINT DOUBLE"}
	if len(got) != len(want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func fmtRow(vs ...any) string {
	s := ""
	for i, v := range vs {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(v)
	}
	return s
}

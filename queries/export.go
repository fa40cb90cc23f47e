package queries

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"
)

//go:embed export_parquet.sql
var writeParquetSQL string

//go:embed export_drop_view.sql
var dropExportViewSQL string

// ExportColumn is one column of a table to write to Parquet.
type ExportColumn struct {
	// Name is the column's name.
	Name string
	// Kind is its type: "integer" (BIGINT), "number" (DOUBLE), "boolean"
	// or "text" (VARCHAR).
	Kind string
	// Values are the rows: int64, float64, bool or string by Kind; nil
	// is a missing value (NULL).
	Values []any
}

// WriteParquet writes the columns, all of the same length, as one Parquet
// file at path, with their names and types. path should be the caller's
// temporary file (atomicfile.Produce): it is written in place. The columns
// go to DuckDB as an Arrow table registered as a view on one connection,
// so no value passes through SQL text. It works on a read-only store too.
func (s *Store) WriteParquet(ctx context.Context, cols []ExportColumn, path string) error {
	rec, err := exportRecord(cols)
	if err != nil {
		return fmt.Errorf("write parquet %s: %w", path, err)
	}
	defer rec.Release()
	reader, err := array.NewRecordReader(rec.Schema(), []arrow.Record{rec})
	if err != nil {
		return fmt.Errorf("write parquet %s: %w", path, err)
	}
	defer reader.Release()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("write parquet %s: %w", path, err)
	}
	defer conn.Close()
	var release func()
	err = withArrow(conn, func(ar *duckdb.Arrow) (err error) {
		release, err = ar.RegisterView(reader, "funnel_export")
		return err
	})
	if err != nil {
		return fmt.Errorf("write parquet %s: %w", path, err)
	}
	defer release()
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), dropExportViewSQL) }()
	if _, err := conn.ExecContext(ctx, writeParquetSQL, path); err != nil {
		return fmt.Errorf("write parquet %s: %w", path, err)
	}
	return nil
}

// exportRecord builds one Arrow record of the columns.
func exportRecord(cols []ExportColumn) (arrow.Record, error) {
	if len(cols) == 0 {
		return nil, errors.New("no columns")
	}
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(cols))
	arrays := make([]arrow.Array, len(cols))
	defer func() {
		for _, a := range arrays {
			if a != nil {
				a.Release()
			}
		}
	}()
	n := len(cols[0].Values)
	for i, c := range cols {
		if len(c.Values) != n {
			return nil, fmt.Errorf("column %s has %d rows, column %s %d", c.Name, len(c.Values), cols[0].Name, n)
		}
		a, typ, err := exportArray(mem, c)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: true}
		arrays[i] = a
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), arrays, int64(n)), nil
}

// exportArray builds the Arrow array of one column.
func exportArray(mem memory.Allocator, c ExportColumn) (arrow.Array, arrow.DataType, error) {
	var b array.Builder
	var err error
	switch c.Kind {
	case "integer":
		ib := array.NewInt64Builder(mem)
		b, err = ib, appendValues[int64](ib, c)
	case "number":
		fb := array.NewFloat64Builder(mem)
		b, err = fb, appendValues[float64](fb, c)
	case "boolean":
		bb := array.NewBooleanBuilder(mem)
		b, err = bb, appendValues[bool](bb, c)
	case "text":
		sb := array.NewStringBuilder(mem)
		b, err = sb, appendValues[string](sb, c)
	default:
		return nil, nil, fmt.Errorf("column %s: unknown kind %q", c.Name, c.Kind)
	}
	defer b.Release()
	if err != nil {
		return nil, nil, err
	}
	a := b.NewArray()
	return a, a.DataType(), nil
}

// appendValues appends c's values to b, nil as a null; a value of another type
// than T is an error.
func appendValues[T any](b interface {
	Append(T)
	AppendNull()
}, c ExportColumn) error {
	for _, v := range c.Values {
		if v == nil {
			b.AppendNull()
			continue
		}
		x, ok := v.(T)
		if !ok {
			return fmt.Errorf("column %s: value %v is not %s", c.Name, v, c.Kind)
		}
		b.Append(x)
	}
	return nil
}

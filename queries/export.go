package queries

import (
	"context"
	"database/sql/driver"
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
	err = conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("not a driver connection")
		}
		ar, err := duckdb.NewArrowFromConn(dconn)
		if err != nil {
			return err
		}
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
	var typ arrow.DataType
	switch c.Kind {
	case "integer":
		b, typ = array.NewInt64Builder(mem), arrow.PrimitiveTypes.Int64
	case "number":
		b, typ = array.NewFloat64Builder(mem), arrow.PrimitiveTypes.Float64
	case "boolean":
		b, typ = array.NewBooleanBuilder(mem), arrow.FixedWidthTypes.Boolean
	case "text":
		b, typ = array.NewStringBuilder(mem), arrow.BinaryTypes.String
	default:
		return nil, nil, fmt.Errorf("column %s: unknown kind %q", c.Name, c.Kind)
	}
	defer b.Release()
	for _, v := range c.Values {
		if v == nil {
			b.AppendNull()
			continue
		}
		ok := false
		switch bb := b.(type) {
		case *array.Int64Builder:
			var x int64
			if x, ok = v.(int64); ok {
				bb.Append(x)
			}
		case *array.Float64Builder:
			var x float64
			if x, ok = v.(float64); ok {
				bb.Append(x)
			}
		case *array.BooleanBuilder:
			var x bool
			if x, ok = v.(bool); ok {
				bb.Append(x)
			}
		case *array.StringBuilder:
			var x string
			if x, ok = v.(string); ok {
				bb.Append(x)
			}
		}
		if !ok {
			return nil, nil, fmt.Errorf("column %s: value %v is not %s", c.Name, v, c.Kind)
		}
	}
	return b.NewArray(), typ, nil
}

package queries

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// fileFormat is how an input file is read, chosen by its extension.
type fileFormat int

const (
	formatCSV fileFormat = iota + 1
	formatParquet
	formatJSON
)

func (f fileFormat) String() string {
	switch f {
	case formatCSV:
		return "CSV"
	case formatParquet:
		return "Parquet"
	case formatJSON:
		return "JSON"
	}
	return "unknown"
}

// inputFile is an input file after inspection, before DuckDB reads it.
type inputFile struct {
	kind   Kind
	seq    int    // its place among the files of its kind in one load, from 0
	path   string // as given, or found in the folder or by the pattern given
	format fileFormat
	gz     bool // gzip-compressed (name ends in .gz)
	ndjson bool // JSON with one record per line, not an array
	// oddQuotes is true when a CSV file holds an odd number of double
	// quotes: a quoted field may be left open (see openQuote).
	oddQuotes bool
	// semicolon is true when a ';' occurs in the first MiB (at least) of a text
	// file: without one, the file cannot be ;-separated (its header line,
	// near the top, would hold one).
	semicolon bool
	// padded is true when a CSV file may hold a field value with a space
	// at its start or end (see paddingScan); only then are its text
	// columns trimmed.
	padded bool
	size   int64 // bytes on disk
	// dialect is, for a CSV file, the dialect DuckDB's sniffer found, when
	// the load has sniffed it (see prepareStage); its readers then take it
	// as given (csvDialect.readOptions).
	dialect csvDialect
	// digest is the SHA-256 of the file's bytes, computed meanwhile
	// (see fileDigest); the load waits for it when it records the file.
	digest *fileDigest
}

// formatOf picks the reader from the file name: .csv/.tsv/.txt, .parquet,
// .json/.ndjson/.jsonl, each text format optionally ending in .gz.
func formatOf(path string) (fileFormat, bool, error) {
	name := strings.ToLower(filepath.Base(path))
	gz := strings.HasSuffix(name, ".gz")
	name = strings.TrimSuffix(name, ".gz")
	ext := filepath.Ext(name)
	switch ext {
	case ".csv", ".tsv", ".txt":
		return formatCSV, gz, nil
	case ".json", ".ndjson", ".jsonl":
		return formatJSON, gz, nil
	case ".parquet":
		if gz {
			return 0, false, errors.New("a Parquet file is compressed inside; do not gzip it (name it .parquet)")
		}
		return formatParquet, false, nil
	case ".xlsx", ".xls":
		return 0, false, errors.New("an Excel workbook cannot be loaded; export the sheet as CSV")
	}
	return 0, false, fmt.Errorf("unknown file type %q: name it .csv, .tsv, .txt, .parquet, .json, .ndjson or .jsonl (text formats may end in .gz)", ext)
}

// inspectFile checks that the file at path is what its name says before
// DuckDB reads it, and starts computing its SHA-256 (see fileDigest) once
// the file opens: the returned file carries the digest, also with an
// error, and ctx's end stops it. Text files are checked to be
// UTF-8 here, in one streaming pass, because DuckDB's CSV reader can fail
// with an internal error on invalid UTF-8 past its sniffing sample.
func inspectFile(ctx context.Context, kind Kind, path string) (inputFile, error) {
	f := inputFile{kind: kind, path: path}
	format, gz, err := formatOf(path)
	if err != nil {
		return f, &InputError{File: path, Problem: err.Error()}
	}
	f.format, f.gz = format, gz
	fh, err := os.Open(path)
	if err != nil {
		return f, fmt.Errorf("load %s %s: %w", kind, path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return f, fmt.Errorf("load %s %s: %w", kind, path, err)
	}
	if st.IsDir() {
		return f, &InputError{File: path, Problem: "is a directory, not a file"}
	}
	f.size = st.Size()
	if f.size == 0 {
		return f, &InputError{File: path, Problem: "file is empty"}
	}
	f.digest = startDigest(ctx, kind, path)
	raw := io.Reader(fh)
	head := make([]byte, 4)
	n, _ := io.ReadFull(raw, head)
	head = head[:n]
	if err := checkMagic(f, head); err != nil {
		return f, err
	}
	content := io.MultiReader(bytes.NewReader(head), raw)
	if f.format != formatParquet {
		if f.gz {
			zr, err := gzip.NewReader(content)
			if err != nil {
				return f, &InputError{File: path, Problem: "not a valid gzip file: " + err.Error()}
			}
			content = gzipEnd{r: zr, path: path}
		}
		if err := checkText(ctx, &f, content); err != nil {
			return f, err
		}
	}
	return f, nil
}

// gzipEnd reads a gzip stream and turns its reader's complaints about the
// stream's end into InputErrors. Go's gzip reader checks every member's
// trailer (CRC-32 and length) as it reaches it; DuckDB's does not, and reads
// a file cut at a flush point as if it were complete. The check costs
// nothing extra: checkText decompresses the whole file anyway.
type gzipEnd struct {
	r    io.Reader
	path string
}

// Read reads decompressed bytes, its errors turned as above.
func (g gzipEnd) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = &InputError{File: g.path, Problem: "gzip file is cut short: it ends before its trailer (copy or download it again)"}
	case errors.Is(err, gzip.ErrChecksum):
		err = &InputError{File: g.path, Problem: "gzip file is damaged: its checksum or length does not match its content (copy or download it again)"}
	}
	return n, err
}

// checkMagic recognises files whose first bytes contradict their name.
func checkMagic(f inputFile, head []byte) error {
	is := func(magic string) bool { return bytes.HasPrefix(head, []byte(magic)) }
	want := f.format.String()
	switch {
	case f.format == formatParquet && !is("PAR1"):
		return &InputError{File: f.path, Problem: "not a Parquet file (it does not start with PAR1)"}
	case f.format == formatParquet:
		return nil
	case is("PAR1"):
		return &InputError{File: f.path, Problem: fmt.Sprintf("is a Parquet file, not %s; name it .parquet", want)}
	case f.gz && !is("\x1f\x8b"):
		return &InputError{File: f.path, Problem: "is not gzip-compressed although its name ends in .gz"}
	case !f.gz && is("\x1f\x8b"):
		return &InputError{File: f.path, Problem: fmt.Sprintf("is gzip-compressed, not plain %s; name it %s.gz", want, filepath.Base(f.path))}
	case is("PK\x03\x04"):
		return &InputError{File: f.path, Problem: fmt.Sprintf("is a ZIP archive (an Excel workbook?), not %s; export the sheet as CSV", want)}
	case is("\xff\xfe") || is("\xfe\xff"):
		return &InputError{File: f.path, Line: 1, Problem: "is UTF-16 encoded; save it as UTF-8"}
	}
	return nil
}

// checkText reads a text file's content to the end: it must hold something
// besides white space and be valid UTF-8, and a JSON array must end with
// its closing bracket. For JSON it records whether the file is an array or
// one record per line; for CSV whether it holds an odd number of quotes.
func checkText(ctx context.Context, f *inputFile, r io.Reader) error {
	buf := make([]byte, 1<<20)
	var carry []byte // an incomplete UTF-8 sequence at the end of a chunk
	lines := 0       // line breaks before the current chunk
	seen := false    // a byte other than white space or a BOM was seen
	quotes := 0      // double quotes in a CSV file
	padding := newPaddingScan()
	var end byte // the last byte other than white space
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf[len(carry):])
		copy(buf, carry)
		chunk := buf[:len(carry)+n]
		last := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !last {
			var ie *InputError
			if errors.As(err, &ie) {
				return ie
			}
			if f.gz {
				return &InputError{File: f.path, Problem: "not a valid gzip file: " + err.Error()}
			}
			return fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
		}
		body := chunk
		carry = carry[:0]
		if !last {
			// hold back a rune that may continue in the next chunk
			cut := len(body)
			for i := len(body) - 1; i >= 0 && i >= len(body)-utf8.UTFMax; i-- {
				if utf8.RuneStart(body[i]) {
					if !utf8.FullRune(body[i:]) {
						cut = i
					}
					break
				}
			}
			carry = append(carry, body[cut:]...)
			body = body[:cut]
		}
		if !utf8.Valid(body) {
			i := invalidAt(body)
			return &InputError{File: f.path, Line: lines + bytes.Count(body[:i], []byte{'\n'}) + 1,
				Problem: "not valid UTF-8 (save the file as UTF-8)"}
		}
		if lines == 0 {
			f.semicolon = f.semicolon || bytes.IndexByte(body, ';') >= 0
		}
		if !seen {
			rest := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\ufeff")), " \t\r\n")
			if len(rest) > 0 {
				seen = true
				f.ndjson = rest[0] != '['
				if f.format == formatJSON && rest[0] != '[' && rest[0] != '{' {
					return &InputError{File: f.path, Problem: "not JSON (it does not start with [ or {)"}
				}
			}
		}
		lines += bytes.Count(body, []byte{'\n'})
		if f.format == formatCSV {
			quotes += bytes.Count(body, []byte{'"'})
			padding.add(body)
		}
		if t := bytes.TrimRight(body, " \t\r\n"); len(t) > 0 {
			end = t[len(t)-1]
		}
		if last {
			break
		}
	}
	if !seen {
		return &InputError{File: f.path, Problem: "file is empty"}
	}
	if f.format == formatJSON && !f.ndjson && end != ']' {
		// DuckDB reads an array cut after a comma as complete.
		return &InputError{File: f.path, Problem: "JSON array is not closed: the file does not end with ] (is it cut short?)"}
	}
	f.oddQuotes = quotes%2 == 1
	f.padded = f.format == formatCSV && padding.end()
	return nil
}

// invalidAt is the offset of the first byte of b that is not valid UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

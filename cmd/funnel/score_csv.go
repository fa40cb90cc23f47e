package main

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/funnel-dev/funnel/calibrate"
)

// scoresHeader is the first line of a scores file.
const scoresHeader = "lead_id,score,probability,mql,status,age_days,top_reasons\n"

// appendScoreRow appends the scores file's line of s to dst, as
// encoding/csv writes it: lead_id, score, probability (6 significant
// digits, empty when NaN), mql, status ("open" or "with_sales"), age_days
// (2 decimals, empty when NaN) and the top reasons. Formatting into one
// buffer, where encoding/csv took a string per field, spares a 100M score
// about 25M allocations.
func appendScoreRow(dst []byte, s calibrate.LeadScore) []byte {
	dst = appendCSVField(dst, s.LeadID)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(s.Score), 10)
	dst = append(dst, ',')
	if !math.IsNaN(s.Probability) {
		dst = strconv.AppendFloat(dst, s.Probability, 'g', 6, 64)
	}
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, s.MQL)
	if s.Handed {
		dst = append(dst, ",with_sales,"...)
	} else {
		dst = append(dst, ",open,"...)
	}
	if !math.IsNaN(s.AgeDays) {
		dst = strconv.AppendFloat(dst, s.AgeDays, 'f', 2, 64)
	}
	dst = append(dst, ',')
	start := len(dst)
	dst = s.AppendTopReasons(dst, topReasons)
	if top := dst[start:]; csvNeedsQuotes(top) {
		dst = appendCSVField(dst[:start], string(top))
	}
	return append(dst, '\n')
}

// appendCSVField appends field to dst as encoding/csv's Writer writes it
// with its defaults (comma, no CRLF): in double quotes, with quotes
// doubled, when csvNeedsQuotes says so.
func appendCSVField(dst []byte, field string) []byte {
	if !csvNeedsQuotes(field) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(field, '"')
		if i < 0 {
			break
		}
		dst = append(dst, field[:i+1]...)
		dst = append(dst, '"')
		field = field[i+1:]
	}
	dst = append(dst, field...)
	return append(dst, '"')
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field: empty
// needs none; `\.` does, as does one with a comma, a quote, a carriage
// return or a newline, or one starting with a space.
func csvNeedsQuotes[T ~string | ~[]byte](field T) bool {
	if len(field) == 0 {
		return false
	}
	if string(field) == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		switch field[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	var first [utf8.UTFMax]byte
	r, _ := utf8.DecodeRune(first[:copy(first[:], string(field[:min(len(field), utf8.UTFMax)]))])
	return unicode.IsSpace(r)
}

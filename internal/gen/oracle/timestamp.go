package oracle

import (
	"fmt"
	"time"
)

// parseTime reads a timestamp of the input contract, independently of the
// generator's formatting: YYYY-MM-DD, optionally followed by a space or T
// and HH:MM:SS, an optional fraction of a second, and an optional zone (Z,
// +HH:MM, −HH:MM or +HHMM). A time without a zone is UTC; the result is UTC.
func parseTime(s string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("%q is not a timestamp (YYYY-MM-DD[ HH:MM:SS])", s)
	}
	p := 0
	num := func(n int) (int, bool) {
		if p+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[p : p+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = 10*v + int(c-'0')
		}
		p += n
		return v, true
	}
	lit := func(c byte) bool {
		if p < len(s) && s[p] == c {
			p++
			return true
		}
		return false
	}
	y, ok1 := num(4)
	ok2 := lit('-')
	mo, ok3 := num(2)
	ok4 := lit('-')
	d, ok5 := num(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return bad()
	}
	var hh, mm, ss, nanos int
	loc := time.UTC
	if p < len(s) {
		if !lit(' ') && !lit('T') {
			return bad()
		}
		var ok [5]bool
		hh, ok[0] = num(2)
		ok[1] = lit(':')
		mm, ok[2] = num(2)
		ok[3] = lit(':')
		ss, ok[4] = num(2)
		if ok != [5]bool{true, true, true, true, true} {
			return bad()
		}
		if lit('.') {
			digits := 0
			for p < len(s) && s[p] >= '0' && s[p] <= '9' {
				if digits < 9 {
					nanos = 10*nanos + int(s[p]-'0')
					digits++
				}
				p++
			}
			if digits == 0 {
				return bad()
			}
			for ; digits < 9; digits++ {
				nanos *= 10
			}
		}
		switch {
		case p == len(s):
		case lit('Z'):
		case s[p] == '+' || s[p] == '-':
			sign := 1
			if s[p] == '-' {
				sign = -1
			}
			p++
			oh, ok := num(2)
			if !ok {
				return bad()
			}
			lit(':')
			om, ok := num(2)
			if !ok || oh > 23 || om > 59 {
				return bad()
			}
			loc = time.FixedZone("", sign*(oh*3600+om*60))
		default:
			return bad()
		}
	}
	if p != len(s) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || hh > 23 || mm > 59 || ss > 59 {
		return bad()
	}
	return time.Date(y, time.Month(mo), d, hh, mm, ss, nanos, loc).UTC(), nil
}

// daysIn is the number of days of month mo (1–12) of year y (Gregorian).
func daysIn(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

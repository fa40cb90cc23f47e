package reports

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// maxPageBytes is the size budget of one page (issue 5).
const maxPageBytes = 2 << 20

// TestPageSize writes both pages for 50 channels and 40 actions and checks
// each stays under 2 MB. The echarts build alone is about 1.0 MB.
func TestPageSize(t *testing.T) {
	pages := map[string]func(*bytes.Buffer) error{
		"funnel 50 channels, 40 actions": func(b *bytes.Buffer) error {
			return WriteFunnel(b, bigFunnelFixture(50, 40), fixedOptions)
		},
		"calibration 40 actions, 50 channels": func(b *bytes.Buffer) error {
			return WriteCalibration(b, bigCalibrationFixture(40, 50), fixedOptions)
		},
	}
	for name, write := range pages {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %d bytes (%d without echarts)", name, b.Len(), b.Len()-len(echartsJS))
		if b.Len() >= maxPageBytes {
			t.Errorf("%s: %d bytes, want under %d", name, b.Len(), maxPageBytes)
		}
	}
}

func BenchmarkWriteFunnel(b *testing.B) {
	for _, n := range []int{5, 50} {
		r := bigFunnelFixture(n, n*4/5)
		b.Run(fmt.Sprintf("channels=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := WriteFunnel(io.Discard, r, fixedOptions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriteCalibration(b *testing.B) {
	for _, n := range []int{10, 90} {
		r := bigCalibrationFixture(n*4/9, n*5/9)
		b.Run(fmt.Sprintf("features=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := WriteCalibration(io.Discard, r, fixedOptions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/funnel-dev/funnel/internal/pagecheck"
)

// chromiumPath finds the Chromium the browser tests drive. Without it the
// tests skip on a developer machine and fail in CI (env CI set), where
// .ci/run installs the Debian package.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found and CI is set: the browser test must run in CI (apt-get install chromium)")
	}
	t.Skip("chromium not found (/usr/bin/chromium); set CI=1 to make this a failure")
	return ""
}

// browserResult is what a page did in the browser.
type browserResult struct {
	// Charts has one entry per chart div, in page order.
	Charts []chartPixels
	// Requests are the URLs the page requested, the page itself included.
	Requests []string
	// Dialogs are alert/confirm/prompt messages the page opened.
	Dialogs []string
	// Exceptions are uncaught JavaScript exceptions.
	Exceptions []string
	// Images counts <img> elements in the document after every tooltip was shown.
	Images int
	// Text is document.body.innerText.
	Text string
	// Extra is the result of the caller's extra script, run last.
	Extra string
}

// chartPixels describes one chart's drawing: whether it has an <svg>, its
// size, and how much of it is covered by coloured marks (saturated fill or
// stroke: series, not the white background or the grey/black text and
// axes), as the summed area of their bounding boxes in CSS pixels.
type chartPixels struct {
	ID       string  `json:"id"`
	SVG      bool    `json:"svg"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	Shapes   int     `json:"shapes"`
	Coloured float64 `json:"coloured"`
	Tooltips int     `json:"tooltips"`
}

// drawn reports whether coloured marks cover at least 0.1% of the chart:
// an empty chart (axes and text only) covers none.
func (c chartPixels) drawn() bool {
	return c.Coloured*1000 >= float64(c.Width*c.Height)
}

// inspectJS measures every chart's SVG (legend and title hidden) and then
// shows the tooltip of every data item (up to 200 a series) so that any
// HTML a tooltip could inject would land in the document.
const inspectJS = `(() => {
  const out = [];
  const saturated = (c) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c || "");
    if (!m || (m[4] !== undefined && parseFloat(m[4]) === 0)) { return false; }
    const v = [m[1], m[2], m[3]].map(parseFloat);
    return Math.max(...v) - Math.min(...v) > 60;
  };
  document.querySelectorAll("div.chart").forEach((div) => {
    const inst = echarts.getInstanceByDom(div);
    const r = { id: div.id, svg: false, width: 0, height: 0, shapes: 0, coloured: 0, tooltips: 0 };
    if (inst) {
      // Hide legend and title, whose coloured icons would count even with
      // no data drawn, and repaint now.
      inst.setOption({ legend: { show: false }, title: { show: false } });
      inst.getZr().flush();
    }
    const svg = div.querySelector("svg");
    if (svg && inst) {
      r.svg = true;
      const box = svg.getBoundingClientRect();
      r.width = Math.round(box.width); r.height = Math.round(box.height);
      svg.querySelectorAll("path, rect, circle, ellipse, polygon, polyline").forEach((el) => {
        r.shapes++;
        const cs = getComputedStyle(el);
        if (parseFloat(cs.opacity) === 0) { return; }
        const fill = cs.fill !== "none" && parseFloat(cs.fillOpacity) > 0 && saturated(cs.fill);
        const stroke = cs.stroke !== "none" && parseFloat(cs.strokeOpacity) > 0 && saturated(cs.stroke);
        if (fill || stroke) {
          const b = el.getBoundingClientRect();
          r.coloured += Math.max(b.width, 1) * Math.max(b.height, 1);
        }
      });
      (inst.getOption().series || []).forEach((s, si) => {
        const n = Math.min((s.data || []).length, 200);
        for (let di = 0; di < n; di++) {
          inst.dispatchAction({ type: "showTip", seriesIndex: si, dataIndex: di });
          r.tooltips++;
        }
      });
    }
    out.push(r);
  });
  return out;
})()`

// openInChromium loads the page at path in headless Chromium with every
// host name mapped to nothing, records requests, dialogs and exceptions,
// waits until every chart has an <svg>, and inspects the drawings. extra,
// when not empty, is a script run last whose string result is returned as
// Extra.
func openInChromium(t *testing.T, path, extra string) browserResult {
	t.Helper()
	exe := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	bctx, bcancel := pagecheck.Browser(ctx, exe, 1400, t.TempDir())
	defer bcancel()

	var mu sync.Mutex
	var res browserResult
	dialogs := make(chan struct{}, 16)
	if err := chromedp.Do(bctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			res.Requests = append(res.Requests, e.Request.URL)
		case *cdppage.EventJavascriptDialogOpening:
			res.Dialogs = append(res.Dialogs, e.Message)
			select {
			case dialogs <- struct{}{}:
			default:
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			res.Exceptions = append(res.Exceptions, msg)
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// A dialog blocks the page until answered: dismiss each one.
	go func() {
		for {
			select {
			case <-bctx.Done():
				return
			case <-dialogs:
				_, _ = chromedp.Call(bctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
			}
		}
	}()

	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate("file://"+path),
		chromedp.WaitReady("body"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("div.chart").length > 0 &&
			Array.from(document.querySelectorAll("div.chart")).every((d) => d.querySelector("svg"))`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Sleep(300*time.Millisecond), // one more frame for the drawing
	)
	if err != nil {
		t.Fatalf("load %s in chromium: %v", path, err)
	}
	charts, err := chromedp.Run(bctx, chromedp.Evaluate[[]chartPixels](inspectJS))
	if err != nil {
		t.Fatalf("inspect %s: %v", path, err)
	}
	time.Sleep(200 * time.Millisecond)
	images, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("img").length`))
	if err != nil {
		t.Fatalf("count images in %s: %v", path, err)
	}
	text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatalf("read text of %s: %v", path, err)
	}
	var out string
	if extra != "" {
		if out, err = chromedp.Run(bctx, chromedp.Evaluate[string](extra)); err != nil {
			t.Fatalf("run extra script on %s: %v", path, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	res.Charts, res.Images, res.Text, res.Extra = charts, images, text, out
	return res
}

// checkPage asserts what every page must do in a browser: each expected
// chart has an <svg> with coloured marks over 0.1% of it, no request but the page itself,
// no dialog, no exception, no <img>, and the hostile name shown as text.
func checkPage(t *testing.T, path string, wantCharts []string, extra string) browserResult {
	t.Helper()
	res := openInChromium(t, path, extra)
	got := map[string]chartPixels{}
	for _, c := range res.Charts {
		got[c.ID] = c
	}
	if len(res.Charts) != len(wantCharts) {
		ids := make([]string, len(res.Charts))
		for i, c := range res.Charts {
			ids[i] = c.ID
		}
		t.Errorf("page has %d charts %v, want %d %v", len(res.Charts), ids, len(wantCharts), wantCharts)
	}
	for _, id := range wantCharts {
		c, ok := got[id]
		switch {
		case !ok:
			t.Errorf("chart %s: no div", id)
		case !c.SVG || c.Width == 0 || c.Height == 0:
			t.Errorf("chart %s: no svg (%+v)", id, c)
		case !c.drawn(): // nothing but text and axes
			t.Errorf("chart %s: coloured marks cover %.0f of %d×%d px: the data was not drawn", id, c.Coloured, c.Width, c.Height)
		}
	}
	for _, u := range res.Requests {
		if u != "file://"+path {
			t.Errorf("page requested %q; it must make no request", u)
		}
	}
	if len(res.Dialogs) > 0 {
		t.Errorf("page opened dialogs %q: a hostile name ran as script", res.Dialogs)
	}
	if len(res.Exceptions) > 0 {
		t.Errorf("page threw %q", res.Exceptions)
	}
	if res.Images != 0 {
		t.Errorf("document has %d <img> elements after showing every tooltip; want 0 (injected markup)", res.Images)
	}
	if !strings.Contains(res.Text, hostile) {
		t.Errorf("page text does not show the hostile name %q as text", hostile)
	}
	if testing.Verbose() {
		b, _ := json.Marshal(res.Charts)
		t.Logf("charts: %s", b)
	}
	return res
}

// writeTemp writes a page with write into a temporary file and returns its path.
func writeTemp(t *testing.T, name string, write func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBrowserCalibrationPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	path := writeTemp(t, "calibration.html", func(b *bytes.Buffer) error {
		return WriteCalibration(b, calibrationFixture(), Options{GeneratedAt: "2026-01-05 09:00 UTC"})
	})
	checkPage(t, path, []string{"chart-coefficients", "chart-calibration", "chart-roc", "chart-gains",
		"chart-threshold-volume", "chart-threshold-precision", "chart-score-probability", "chart-backtest", "chart-decay"}, "")
}

// TestBrowserCheckCatchesFaults shows that the browser checks can fail: a
// page with an empty chart, markup injected unescaped and a remote script
// must be reported on every count.
func TestBrowserCheckCatchesFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	empty, err := render("chart-empty", 300, "empty", emptyBar(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writePage(&buf, page{Title: "faults", Sections: []section{{ID: "s", Title: "s", Charts: []chartView{empty}}}}); err != nil {
		t.Fatal(err)
	}
	injected := hostile + `<script src="http://cdn.example.invalid/x.js"></script></main>`
	html := bytes.Replace(buf.Bytes(), []byte("</main>"), []byte(injected), 1)
	path := filepath.Join(t.TempDir(), "faults.html")
	if err := os.WriteFile(path, html, 0o644); err != nil {
		t.Fatal(err)
	}
	res := openInChromium(t, path, "")
	if len(res.Charts) != 1 || res.Charts[0].drawn() {
		t.Errorf("empty chart not detected: %+v", res.Charts)
	}
	if len(res.Dialogs) == 0 {
		t.Error("injected onerror=alert(1) opened no dialog that the check saw")
	}
	if res.Images == 0 {
		t.Error("injected <img> not counted")
	}
	remote := false
	for _, u := range res.Requests {
		remote = remote || strings.HasPrefix(u, "http://cdn.example.invalid/")
	}
	if !remote {
		t.Errorf("request to the remote script not seen; requests %q", res.Requests)
	}
}

func TestBrowserFunnelPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: slow")
	}
	path := writeTemp(t, "funnel.html", func(b *bytes.Buffer) error {
		return WriteFunnel(b, funnelFixture(), Options{GeneratedAt: "2026-01-05 09:00 UTC"})
	})
	res := checkPage(t, path, []string{"chart-funnel", "chart-channels", "chart-channel-funnels", "chart-attribute", "chart-actions",
		"chart-cohorts", "chart-period", "chart-time-in-stage", "chart-speed-to-lead", "chart-recycling"}, sortJS)
	// The channel table starts by leads, most first: paid_search 5,000,
	// webinar 3,000, hostile 2,500, referral 1,500. A click on "Leads"
	// sorts ascending (referral first), a second click descending.
	if want := "referral|paid_search"; res.Extra != want {
		t.Errorf("first channel after sorting by leads up, then down = %q, want %q", res.Extra, want)
	}
}

// sortJS clicks the "Leads" heading of the channel table twice and reports
// the first channel after each click.
const sortJS = `(() => {
  const th = Array.from(document.querySelectorAll("#channels th")).find((h) => h.textContent === "Leads");
  const first = () => document.querySelector("#channels tbody tr").cells[0].textContent;
  th.click(); const up = first();
  th.click(); const down = first();
  return up + "|" + down;
})()`

package pagecheck

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser starts headless Chromium (the executable exe) with a window
// width pixels wide, its profile in userDir, every host name mapped to
// nothing and background networking off, and returns a chromedp context
// driving one tab of it; cancel stops the browser.
func Browser(ctx context.Context, exe string, width int, userDir string) (context.Context, context.CancelFunc) {
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(userDir), chromedp.WindowSize(width, 1000),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	bctx, bcancel := chromedp.NewContext(actx)
	return bctx, func() { bcancel(); acancel() }
}

// Texts loads the HTML file at path in headless Chromium (the executable
// exe) with a window width pixels wide, every host name mapped to nothing,
// waits until every chart div holds an <svg>, and returns the text boxes
// of every chart, in page order. The page is not touched before measuring:
// no tooltip is shown and nothing is hidden.
func Texts(ctx context.Context, exe, path string, width int, userDir string) ([]Chart, error) {
	bctx, cancel := Browser(ctx, exe, width, userDir)
	defer cancel()
	err := chromedp.Do(bctx,
		chromedp.Navigate("file://"+path),
		chromedp.WaitReady("body"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("div.chart").length > 0 &&
			Array.from(document.querySelectorAll("div.chart")).every((d) => d.querySelector("svg"))`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		return nil, fmt.Errorf("load %s in chromium: %w", path, err)
	}
	out, err := chromedp.Run(bctx, chromedp.Evaluate[string](textsJS))
	if err != nil {
		return nil, fmt.Errorf("measure %s in chromium: %w", path, err)
	}
	return decodeCharts(out)
}

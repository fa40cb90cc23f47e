package reports

import (
	_ "embed"
	"html/template"
)

// echartsJS is dist/echarts.min.js of the npm package echarts@5.4.3, the
// version go-echarts v2.6.7 targets. assets/SHA256SUMS records its hash and
// assets/fetch-echarts.sh re-fetches and checks it. It is inlined into every
// page so that a page opens from file:// with no network.
//
//go:embed assets/echarts.min.js
var echartsJS string

// echartsScript returns the embedded echarts build for the page template.
// The build contains no "</script" or "<!--" (checked by a test), so it can
// sit inside a <script> element verbatim.
func echartsScript() template.JS {
	return template.JS(echartsJS) // #nosec: fixed, hash-checked asset
}

// Package pagecheck measures a rendered dashboard in headless Chromium for
// the tests of reports and cmd/funnel: it loads an HTML file, waits for
// every chart to be drawn, and returns the text boxes of each chart (SVG
// <text> elements and HTML headings inside the chart's div) with every pair
// that overlaps. It is imported only by tests; nothing in the funnel
// binary depends on it.
package pagecheck

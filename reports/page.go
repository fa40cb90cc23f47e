package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
)

// page is the view model of one dashboard. Every string is escaped by
// html/template when written; chart options are JSON with <, > and &
// escaped (see chartView).
type page struct {
	Title       string
	Subtitle    string
	GeneratedAt string
	// Summary is a few plain sentences at the top, generated from the
	// numbers of the page, for a reader who reads nothing else.
	Summary []string
	// Warnings are shown in a box at the top.
	Warnings []string
	Cards    []card
	// CardGroups are headline cards under a heading each, after Cards, so
	// that figures of different kinds (a calendar month, a cohort) are
	// never read as one row.
	CardGroups  []cardGroup
	Sections    []section
	Definitions []definition
}

// card is one headline figure.
type card struct {
	Label  string
	Value  string
	Detail string
	// Changes are comparisons such as "vs last month".
	Changes []delta
}

// cardGroup is a row of cards under one heading.
type cardGroup struct {
	Title string
	Cards []card
}

// delta is one comparison on a card; Class is "up", "down" or "flat" and
// only colours the text (the sign is in Text).
type delta struct {
	Label string
	Text  string
	Class string
}

// section is one block of the page: a heading, a plain-words introduction,
// charts, the tables with their numbers, and notes.
type section struct {
	ID     string
	Title  string
	Intro  string
	Charts []chartView
	Tables []table
	Notes  []string
	// Stacked puts the tables below the charts instead of beside them.
	Stacked bool
}

// definition is one term explained in plain words.
type definition struct {
	Term string
	Text string
}

// pageData is what the template executes on.
type pageData struct {
	page
	ECharts template.JS
}

// writePage renders p as one self-contained HTML document into w. A
// section whose tables have more than five columns gets its tables below
// the charts rather than beside them, where they would be too narrow.
func writePage(w io.Writer, p page) error {
	for i := range p.Sections {
		for _, t := range p.Sections[i].Tables {
			if len(t.Head) > 5 {
				p.Sections[i].Stacked = true
			}
		}
	}
	tpl, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("parse page template: %w", err)
	}
	// Render into memory first so that a template error never leaves half a
	// page in w.
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, pageData{page: p, ECharts: echartsScript()}); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write page: %w", err)
	}
	return nil
}

const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="funnel">
<title>{{.Title}}</title>
<style>
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--accent:#2563eb;--up:#047857;--down:#b91c1c}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);font-size:15px;line-height:1.45}
header{background:#fff;border-bottom:1px solid var(--line);padding:20px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;color:var(--muted)}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;font-size:14px;display:flex;flex-wrap:wrap;gap:4px 16px}
nav a{color:var(--accent);text-decoration:none;white-space:nowrap}
main{padding:16px 32px 48px;max-width:1600px;margin:0 auto}
.summary{background:#fff;border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:8px;padding:12px 16px;margin:16px 0;font-size:16px;max-width:70em}
.summary p{margin:0 0 6px}.summary p:last-child{margin:0}
.cardgroup h2{font-size:15px;margin:16px 0 0;color:#374151}
.warnings{background:#fff7ed;border:1px solid #fdba74;border-radius:8px;padding:12px 16px;margin:16px 0}
.warnings h2{font-size:16px;margin:0 0 6px}
.warnings ul{margin:0;padding-left:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .label{color:var(--muted);font-size:13px}
.card .value{font-size:26px;font-weight:600;margin:2px 0}
.card .detail{color:var(--muted);font-size:13px}
.card .delta{font-size:13px;margin-top:2px}
.up{color:var(--up)}.down{color:var(--down)}.flat{color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
section h2{margin:0 0 4px;font-size:19px}
section .intro{margin:0 0 12px;color:#374151;max-width:70em}
.body{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;align-items:start}
.body.stacked{grid-template-columns:minmax(0,1fr)}
@media (max-width:1100px){.body{grid-template-columns:minmax(0,1fr)}}
.chart{width:100%;margin-bottom:12px}
.tbl{max-height:460px;overflow:auto;border:1px solid var(--line);border-radius:6px;margin-bottom:12px}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
.caption{font-weight:600;font-size:13px;margin:0 0 4px;color:#374151}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f1f5f9;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
td.num,th.num{text-align:right;white-space:nowrap}
td{overflow-wrap:break-word;min-width:4em}
td:first-child{min-width:12em}
tr.immature td{color:var(--muted);font-style:italic;background:#fafafa}
tr.chosen td{background:#eff6ff;font-weight:600}
tr.reference td{color:var(--muted)}
.notes{color:#374151;font-size:14px;margin:4px 0 0;padding-left:20px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0}
dt{font-weight:600}dd{margin:0}
footer{color:var(--muted);font-size:12px;padding:0 32px 24px;max-width:1600px;margin:0 auto}
@media (max-width:900px){th,td.num,th.num{white-space:normal}table{font-size:12px}main{padding:12px 16px 32px}}
@media print{th,td.num,th.num{white-space:normal}table{font-size:11px}body{background:#fff}nav{display:none}.tbl{max-height:none;overflow:visible}section{break-inside:avoid-page}th{position:static}}
</style>
<script>{{.ECharts}}</script>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{if .Subtitle}}<p>{{.Subtitle}}</p>{{end}}
{{if .GeneratedAt}}<p>Generated {{.GeneratedAt}}</p>{{end}}
</header>
<nav>{{range .Sections}}<a href="#{{.ID}}">{{.Title}}</a>{{end}}{{if .Definitions}}<a href="#definitions">Definitions</a>{{end}}</nav>
<main>
{{if .Summary}}<div class="summary" role="doc-abstract">{{range .Summary}}<p>{{.}}</p>{{end}}</div>{{end}}
{{if .Warnings}}<div class="warnings" role="note"><h2>Read before using these figures</h2><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{if .Cards}}<div class="cards">{{range .Cards}}
{{template "card" .}}{{end}}
</div>{{end}}
{{range .CardGroups}}<div class="cardgroup"><h2>{{.Title}}</h2><div class="cards">{{range .Cards}}
{{template "card" .}}{{end}}
</div></div>{{end}}
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Intro}}<p class="intro">{{.Intro}}</p>{{end}}
<div class="body{{if .Stacked}} stacked{{end}}">
<div>{{range .Charts}}
<div class="chart" id="{{.ID}}" style="height:{{.Height}}px" role="img" aria-label="{{.Alt}}"></div>
<script type="application/json" data-chart="{{.ID}}" data-renderer="{{.Renderer}}">{{.Option}}</script>{{end}}
{{if .Notes}}<ul class="notes">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
</div>
<div>{{range .Tables}}
<p class="caption">{{.Caption}}</p>
<div class="tbl"><table class="sortable" aria-label="{{.Caption}}">
<thead><tr>{{$num := .Numeric}}{{range $i, $h := .Head}}<th{{if index $num $i}} class="num"{{end}} title="Click to sort">{{$h}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr{{if .Class}} class="{{.Class}}"{{end}}>{{range $i, $c := .Cells}}<td{{if index $num $i}} class="num"{{end}}{{if $c.Sort}} data-v="{{$c.Sort}}"{{end}}>{{$c.Text}}</td>{{end}}</tr>{{end}}
</tbody></table></div>{{end}}
</div>
</div>
</section>
{{end}}
{{if .Definitions}}<section id="definitions"><h2>Definitions</h2><dl>{{range .Definitions}}<dt>{{.Term}}</dt><dd>{{.Text}}</dd>{{end}}</dl></section>{{end}}
</main>
<footer>Self-contained page: charts drawn with Apache ECharts 5.4.3 (Apache License 2.0), included in this file; it makes no network requests.</footer>
<script>
"use strict";
(function () {
  var charts = [];
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (s) {
    var el = document.getElementById(s.getAttribute("data-chart"));
    var c = echarts.init(el, null, { renderer: s.getAttribute("data-renderer") || "svg" });
    c.setOption(JSON.parse(s.textContent));
    charts.push(c);
  });
  function resize() { charts.forEach(function (c) { c.resize(); }); }
  // A long table opens scrolled to its highlighted row (the chosen threshold).
  document.querySelectorAll(".tbl").forEach(function (box) {
    var r = box.querySelector("tr.chosen");
    if (r) { box.scrollTop = Math.max(0, r.offsetTop - box.clientHeight / 2); }
  });
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  document.querySelectorAll("table.sortable th").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var num = th.classList.contains("num");
      var key = function (r) {
        var c = r.cells[col];
        if (!c) { return num ? -Infinity : ""; }
        if (num) { var v = parseFloat(c.getAttribute("data-v")); return isNaN(v) ? -Infinity : v; }
        return c.textContent;
      };
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var d = num ? (x < y ? -1 : x > y ? 1 : 0) : String(x).localeCompare(String(y));
        return asc ? d : -d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
</script>
</body>
</html>
{{define "card"}}<div class="card"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div>{{if .Detail}}<div class="detail">{{.Detail}}</div>{{end}}{{range .Changes}}<div class="delta"><span class="{{.Class}}">{{.Text}}</span> {{.Label}}</div>{{end}}</div>{{end}}`

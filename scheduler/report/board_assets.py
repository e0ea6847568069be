'''The rota board's stylesheet and script (inlined into board.html by scheduler.report.board).

The script is plain ES2017 with no library: it reads the JSON in ``#board-data`` and builds every
section with DOM calls (text always through ``textContent``, never parsed as HTML). It logs
nothing to the console; a failure is shown in ``#board-errors`` and re-thrown. When it has drawn
everything it sets ``data-ready="1"`` on ``<body>`` (the browser test waits for that).
'''

from __future__ import annotations

BOARD_CSS = r"""
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d8dde3; --bg: #f5f7f9; --card: #fff;
  --accent: #1f5fa8; --bad: #b3261e; --ok: #2e7d32; --avail: #e3f1df; --travel: #4a4f57; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { background: #17324d; color: #fff; padding: 10px 18px; }
header h1 { margin: 0; font-size: 20px; }
#subtitle { color: #c9d6e3; font-size: 13px; }
#invalid { background: var(--bad); color: #fff; padding: 10px 18px; font-weight: 600; }
#invalid .big { font-size: 22px; letter-spacing: 1px; }
#invalid details { font-weight: normal; margin-top: 4px; }
#invalid li { font-family: ui-monospace, monospace; font-size: 12px; font-weight: normal; }
#invalid ul { margin: 4px 0; }
nav { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line);
  padding: 6px 18px; display: flex; gap: 14px; flex-wrap: wrap; }
nav a { color: var(--accent); text-decoration: none; font-weight: 600; }
nav a .count { background: var(--bad); color: #fff; border-radius: 9px; padding: 0 6px;
  margin-left: 4px; font-size: 12px; }
nav a .count.zero { background: #9aa3ad; }
main { padding: 12px 18px 40px; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 14px; margin: 0 0 16px; }
section.card > h2 { font-size: 17px; margin: 0 0 8px; }
.muted { color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-bottom: 8px; }
.days button { border: 1px solid var(--line); background: #fff; padding: 4px 9px; border-radius: 5px;
  cursor: pointer; font: inherit; }
.days button.on { background: var(--accent); color: #fff; border-color: var(--accent); }
.days button .n { font-size: 11px; opacity: .75; margin-left: 3px; }
input[type=search], select { font: inherit; padding: 3px 6px; }
#kpi-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; background: #fbfcfd; }
.kpi .label { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 20px; font-weight: 650; }
.kpi .sub { color: var(--muted); font-size: 12px; }
.kpi.bad .value { color: var(--bad); }
.kpi.good .value { color: var(--ok); }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left;
  vertical-align: top; }
table.grid th { background: #eef1f4; position: sticky; top: 0; z-index: 1; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.prio-critical { color: var(--bad); font-weight: 650; }
.scroll { overflow: auto; max-height: 560px; }
#gantt-box { overflow-x: auto; }
svg text { font-family: system-ui, sans-serif; }
svg.gantt .hour { stroke: #e6e9ed; }
svg.gantt .hour-label { font-size: 11px; fill: var(--muted); }
svg.gantt .lane-bg { fill: #fff; }
svg.gantt .lane-bg.alt { fill: #f8f9fb; }
svg.gantt .lane-label { font-size: 12px; fill: var(--ink); }
svg.gantt .lane-sub { font-size: 10px; fill: var(--muted); }
svg.gantt .avail { fill: var(--avail); }
svg.gantt .travel { fill: var(--travel); }
svg.gantt .block { stroke: #37414d; stroke-width: .7; cursor: pointer; }
svg.gantt .block.double { stroke: #b3261e; stroke-width: 2; }
svg.gantt .block.outside { stroke: #b3261e; stroke-dasharray: 3 2; stroke-width: 2.5; }
svg.gantt .block.sel { stroke: #000; stroke-width: 2.5; }
svg.gantt .dim { opacity: .18; }
svg.gantt .blabel { font-size: 10.5px; fill: #111; pointer-events: none; }
svg.gantt .link { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 4 3; pointer-events: none; }
svg.gantt .unassigned-block { fill: url(#hatch); stroke: var(--bad); stroke-width: 1; cursor: pointer; }
svg.gantt .unassigned-label { font-size: 12px; fill: var(--bad); font-weight: 650; }
#detail { min-height: 22px; margin-top: 6px; padding: 6px 8px; background: #f3f6fa; border-radius: 5px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; margin-top: 4px; }
.legend i { display: inline-block; width: 12px; height: 12px; border: 1px solid #555; margin-right: 4px;
  vertical-align: -2px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
.change-kind { font-size: 12px; color: var(--muted); }
#map-wrap { display: grid; grid-template-columns: minmax(0, 3fr) minmax(220px, 1fr); gap: 12px; }
svg.map { background: #fbfcf8; border: 1px solid var(--line); border-radius: 6px; }
svg.map .cust { fill: #aab2bb; }
svg.map .cust.on { fill: #1f5fa8; }
svg.map .home { fill: #17324d; }
svg.map .leg { fill: none; stroke-width: 2.2; }
svg.map .stop-no { font-size: 11px; font-weight: 700; fill: #fff; text-anchor: middle; }
svg.map .scale { stroke: #333; stroke-width: 2; }
svg.map .scale-label { font-size: 11px; fill: #333; }
ol.stops { margin: 0; padding-left: 22px; font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.chart h3 { font-size: 14px; margin: 0 0 4px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .axis { stroke: #9aa3ad; }
svg.chart .tick { font-size: 10.5px; fill: var(--muted); }
svg.chart .contact { fill: #2b8a8a; }
svg.chart .travelbar { fill: #e08b2f; }
svg.chart .wait { fill: #c3c8ce; }
svg.chart .availbar { fill: none; stroke: #7aa06f; stroke-dasharray: 3 2; }
svg.chart .guarantee { stroke: #b3261e; stroke-width: 2; }
svg.chart .capacity { fill: #cfe6c8; }
svg.chart .demand { fill: #1f5fa8; }
svg.chart .planned { fill: none; stroke: #e08b2f; stroke-width: 2; }
svg.chart .planned-dot { fill: #e08b2f; }
svg.chart .bar { fill: #5b7fb0; }
svg.chart .bar-label { font-size: 11px; fill: var(--ink); text-anchor: middle; }
#board-errors { background: #fde7e7; color: var(--bad); padding: 10px 18px; margin: 0; }
@media print {
  nav, .controls, #detail, #board-errors { display: none !important; }
  body { background: #fff; }
  section.card { break-inside: avoid; border: none; }
  .scroll { max-height: none; overflow: visible; }
}
"""
"""The board's stylesheet."""

BOARD_JS = r"""
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var D = JSON.parse(document.getElementById("board-data").textContent);
  var workerById = {}, customerById = {}, stopsByWorkerDay = {}, crew = {};
  D.workers.forEach(function (w) { workerById[w.id] = w; });
  var customerIndex = {};
  D.customers.forEach(function (c, i) { customerById[c.id] = c; customerIndex[c.id] = i; });
  D.stops.forEach(function (st) {
    var key = st.w + "|" + st.day;
    (stopsByWorkerDay[key] = stopsByWorkerDay[key] || []).push(st);
    (crew[st.v] = crew[st.v] || []).push(st);
  });
  var TYPE_COLOURS = { morning: "#f3c969", lunch: "#8fd18a", tea: "#eaa3cb", bed: "#9db5f0",
    medication: "#f0897d", social: "#c7a9ef", shower: "#7fd0d8", shopping: "#d9c18f",
    cleaning: "#b9c99f", sit: "#e6d3a3", respite: "#aac7e0" };
  var state = { day: firstBusyDay(), colourBy: "customer", onlyWorking: false, find: "",
    selected: null, mapWorker: null, mapDay: null, demandDay: "week" };
  var RANGE = timeRange();
  var broken = {};
  D.meta.violations.forEach(function (v) {
    if (v.visit) (broken[v.visit] = broken[v.visit] || []).push(v);
  });
  function brokenRules(st) {
    return (broken[st.v] || []).filter(function (v) { return !v.worker || v.worker === st.w; });
  }

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    setAll(node, attrs, text);
    if (parent) parent.appendChild(node);
    return node;
  }
  function sv(tag, attrs, parent, text) {
    var node = document.createElementNS(SVGNS, tag);
    setAll(node, attrs, text);
    if (parent) parent.appendChild(node);
    return node;
  }
  function setAll(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(m) { return pad(Math.floor(m / 60)) + ":" + pad(m % 60); }
  function num(x, digits) {
    if (x === null || x === undefined || x === "") return "\u2013";
    if (typeof x !== "number") return String(x);
    return x.toLocaleString("en-GB", { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function wname(id) { var w = workerById[id]; return w && w.name ? w.name : id; }
  function cname(id) { var c = customerById[id]; return c && c.name ? c.name : id; }
  function hue(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
    return h % 360;
  }
  function colourOf(visitId, customerId) {
    if (state.colourBy === "type") {
      var t = (D.visits[visitId] || {}).type || "";
      return TYPE_COLOURS[t] || "hsl(" + hue(t || "?") + ",40%,78%)";
    }
    var i = customerIndex[customerId];
    var h = i === undefined ? hue(customerId) : Math.round(i * 137.508) % 360;
    return "hsl(" + h + "," + (i % 2 ? 55 : 70) + "%," + (i % 3 === 1 ? 66 : 76) + "%)";
  }
  function section(id, title, parent) {
    var s = el("section", { id: id, "class": "card" }, parent);
    el("h2", {}, s, title);
    return s;
  }
  function fit(text, px) {
    var n = Math.floor((px - 6) / 6.2);
    if (n < 3) return "";
    return text.length <= n ? text : text.slice(0, Math.max(1, n - 1)) + "\u2026";
  }
  function firstBusyDay() {
    for (var d = 0; d < 7; d++) {
      if (D.stops.some(function (s) { return s.day === d; })) return d;
      if (D.unassigned.some(function (u) { return u.day === d; })) return d;
    }
    return 0;
  }
  function timeRange() {
    var lo = Infinity, hi = -Infinity;
    D.workers.forEach(function (w) { w.shifts.forEach(function (s) {
      lo = Math.min(lo, s[1]); hi = Math.max(hi, s[2]); }); });
    D.stops.forEach(function (s) {
      lo = Math.min(lo, s.s - s.tm); hi = Math.max(hi, s.e + (s.hm || 0)); });
    D.unassigned.forEach(function (u) { lo = Math.min(lo, u.s); hi = Math.max(hi, u.s + u.dur); });
    if (!isFinite(lo)) { lo = 360; hi = 1320; }
    return [Math.max(0, Math.floor(lo / 60) * 60), Math.min(1440, Math.ceil(hi / 60) * 60)];
  }
  function works(w, day) {
    return w.shifts.some(function (s) { return s[0] === day; }) ||
      (stopsByWorkerDay[w.id + "|" + day] || []).length > 0;
  }
  function dayButtons(parent, onPick, current) {
    var box = el("span", { "class": "days" }, parent);
    D.meta.days.forEach(function (label, d) {
      var n = D.stops.filter(function (s) { return s.day === d; }).length;
      var b = el("button", { type: "button", "data-day": d, "class": d === current ? "on" : "" },
        box, label);
      el("span", { "class": "n" }, b, "(" + n + ")");
      b.addEventListener("click", function () { onPick(d); });
    });
    return box;
  }

  // ------------------------------------------------------------------ header, banner, nav

  function renderHeader() {
    var m = D.meta, k = D.kpis || {};
    var bits = [];
    if (m.weekStart) bits.push("week starting " + m.weekStart);
    bits.push(D.workers.length + " workers", D.customers.length + " customers",
      (k.visits_total !== undefined ? k.visits_total : Object.keys(D.visits).length) + " visits");
    document.getElementById("subtitle").textContent = bits.join(" \u00b7 ");
    if (!m.valid) {
      var box = document.getElementById("invalid");
      box.hidden = false;
      el("div", { "class": "big" }, box, "INVALID ROTA");
      el("div", {}, box, m.violationCount + " rule violation" + (m.violationCount === 1 ? "" : "s") +
        ": this rota breaks the rules of the caseload and must not be sent out as it is.");
      var first = el("ul", { id: "violations" }, box);
      m.violations.slice(0, 5).forEach(function (v) { el("li", {}, first, v.rule + ": " + v.text); });
      if (m.violationCount > 5) {
        var det = el("details", {}, box);
        el("summary", {}, det, "Show all " + m.violationCount + " violations");
        var ul = el("ul", {}, det);
        m.violations.slice(5).forEach(function (v) { el("li", {}, ul, v.rule + ": " + v.text); });
        if (m.violationCount > m.violations.length)
          el("li", {}, ul, "\u2026 and " + (m.violationCount - m.violations.length) + " more");
      }
    }
    var nav = document.getElementById("nav");
    [["figures", "Figures"], ["rota", "Rota"], ["unassigned", "Unassigned", D.unassigned.length],
     ["changes", "Changes", changedCount()], ["map", "Map"], ["charts", "Charts"],
     ["customers", "Customers"]].forEach(function (item) {
      var a = el("a", { href: "#" + item[0] }, nav, item[1]);
      if (item[2] !== undefined) el("span", { "class": "count" + (item[2] ? "" : " zero") }, a, item[2]);
    });
  }

  // ------------------------------------------------------------------ KPI panel

  var CARDS = [
    ["visits_assigned", "Visits assigned", function (k) { return num(k.visits_assigned) + " / " + num(k.visits_total); }, null],
    ["visits_unassigned", "Unassigned visits", function (k) { return num(k.visits_unassigned); }, function (k) { return k.visits_unassigned > 0 ? "bad" : "good"; }],
    ["care_hours_delivered", "Care hours", function (k) { return num(k.care_hours_delivered); }, null],
    ["travel_hours", "Travel hours", function (k) { return num(k.travel_hours); }, null, function (k) { return k.travel_share === undefined ? "" : num(100 * k.travel_share) + "% of worked time"; }],
    ["travel_km", "Travel km", function (k) { return num(k.travel_km); }, null],
    ["continuity_pct", "Continuity", function (k) { return num(k.continuity_pct) + "%"; }, null, function () { return "visits by each customer's top 3"; }],
    ["mean_distinct_workers_per_customer", "Workers per customer", function (k) { return num(k.mean_distinct_workers_per_customer); }, null, function (k) { return "max " + num(k.max_distinct_workers_per_customer); }],
    ["weekend_familiar_pct", "Weekend familiar", function (k) { return k.weekend_familiar_pct === null || k.weekend_familiar_pct === undefined ? "\u2013" : num(k.weekend_familiar_pct) + "%"; }, null],
    ["punctuality_mean_abs_dev_min", "Punctuality", function (k) { return "\u00b1" + num(k.punctuality_mean_abs_dev_min) + " min"; }, null, function () { return "mean deviation from preferred start"; }],
    ["workers_used", "Workers used", function (k) { return num(k.workers_used) + " / " + D.workers.length; }, null],
    ["utilisation_pct", "Utilisation", function (k) { return num(k.utilisation_pct) + "%"; }, null, function () { return "worked / available hours"; }],
    ["margin", "Margin", function (k) { return num(k.margin, 0) + " " + D.meta.currency; }, null, function (k) { return "fee " + num(k.fee_total, 0) + ", pay " + num(k.pay_total, 0); }],
    ["changes_vs_previous", "Changes vs last week", function (k) { return num(k.changes_vs_previous); }, null],
    ["objective", "Objective", function (k) { return num(k.objective, 0); }, null, function (k) { return k.bound === null || k.bound === undefined ? "" : "bound " + num(k.bound, 0); }]
  ];

  function renderKpis(main) {
    var s = section("figures", "Figures", main);
    s.setAttribute("data-panel", "kpis");
    var k = D.kpis || {};
    var grid = el("div", { id: "kpi-cards" }, s);
    CARDS.forEach(function (c) {
      if (!(c[0] in k)) return;
      var card = el("div", { "class": "kpi" + (c[3] ? " " + c[3](k) : ""), "data-key": c[0] }, grid);
      el("div", { "class": "label" }, card, c[1]);
      el("div", { "class": "value" }, card, c[2](k));
      if (c[4]) el("div", { "class": "sub" }, card, c[4](k));
    });
    var det = el("details", {}, s);
    el("summary", {}, det, "All figures (kpis.json)");
    var t = el("table", { "class": "grid", id: "kpi-table" }, det);
    Object.keys(k).forEach(function (key) {
      var tr = el("tr", {}, t);
      el("td", {}, tr, key);
      el("td", { "class": "num" }, tr, num(k[key], 4));
    });
  }

  // ------------------------------------------------------------------ Gantt

  function renderRotaSection(main) {
    var s = section("rota", "Rota by day", main);
    var controls = el("div", { "class": "controls" }, s);
    el("span", { id: "day-picker" }, controls);
    var colour = el("label", {}, controls, "Colour by ");
    var sel = el("select", { id: "colour-by" }, colour);
    el("option", { value: "customer" }, sel, "customer");
    el("option", { value: "type" }, sel, "visit type");
    sel.addEventListener("change", function () { state.colourBy = sel.value; renderGantt(); });
    var only = el("label", {}, controls);
    var cb = el("input", { type: "checkbox", id: "only-working" }, only);
    only.appendChild(document.createTextNode(" only workers available this day"));
    cb.addEventListener("change", function () { state.onlyWorking = cb.checked; renderGantt(); });
    var find = el("input", { type: "search", id: "find", placeholder: "highlight customer or worker" }, controls);
    find.addEventListener("input", function () { state.find = find.value.trim().toLowerCase(); renderGantt(); });
    el("div", { "class": "legend", id: "gantt-legend" }, s);
    el("div", { id: "gantt-box" }, s);
    el("div", { id: "detail", "class": "muted" }, s, "Click a visit for its details.");
    renderDayPicker();
  }

  function renderDayPicker() {
    var box = document.getElementById("day-picker");
    box.textContent = "";
    dayButtons(box, function (d) { state.day = d; state.selected = null; renderDayPicker(); renderGantt(); }, state.day);
  }

  function stackRows(intervals) {
    var ends = [], rows = [];
    intervals.forEach(function (iv) {
      var r = 0;
      while (r < ends.length && ends[r] > iv[0]) r++;
      ends[r] = iv[1];
      rows.push(r);
    });
    return rows;
  }

  function matches(st) {
    if (!state.find) return true;
    var hay = [st.c, cname(st.c), st.w, wname(st.w), st.v].join(" ").toLowerCase();
    return hay.indexOf(state.find) >= 0;
  }

  function renderGantt() {
    var box = document.getElementById("gantt-box");
    box.textContent = "";
    var day = state.day, LABEL = 190, LANE = 32, TOP = 26;
    var lanes = D.workers.filter(function (w) { return !state.onlyWorking || works(w, day); });
    var un = D.unassigned.filter(function (u) { return u.day === day; });
    var unRows = stackRows(un.map(function (u) { return [u.s, u.s + Math.max(u.dur, 1)]; }));
    var unCount = un.length ? Math.max.apply(null, unRows) + 1 : 0;
    var unHeight = unCount ? unCount * 22 + 10 : 0;
    var width = Math.max(820, box.clientWidth || 1100);
    var plotW = width - LABEL - 26;
    var t0 = RANGE[0], t1 = RANGE[1];
    var x = function (m) { return LABEL + (m - t0) / (t1 - t0) * plotW; };
    var lanesTop = TOP + unHeight;
    var height = lanesTop + lanes.length * LANE + 22;
    var svg = sv("svg", { "class": "gantt", width: width, height: height, id: "gantt",
      "data-day": day, "aria-label": "Rota for " + D.meta.days[day] }, box);
    var defs = sv("defs", {}, svg);
    var pat = sv("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)" }, defs);
    sv("rect", { width: 6, height: 6, fill: "#fdecea" }, pat);
    sv("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#b3261e", "stroke-width": 2 }, pat);
    for (var m = t0; m <= t1; m += 60) {
      sv("line", { "class": "hour", x1: x(m), x2: x(m), y1: TOP - 4, y2: height - 18 }, svg);
      sv("text", { "class": "hour-label", x: x(m), y: TOP - 10, "text-anchor": "middle" }, svg, clock(m));
      sv("text", { "class": "hour-label", x: x(m), y: height - 5, "text-anchor": "middle" }, svg, clock(m));
    }
    if (unCount) drawUnassignedLane(svg, un, unRows, x, TOP);
    var positions = {};
    lanes.forEach(function (w, i) { drawLane(svg, w, day, lanesTop + i * LANE, LANE, LABEL, width, x, i, positions); });
    drawLinks(svg, positions);
    renderLegend(day);
  }

  function drawUnassignedLane(svg, un, rows, x, top) {
    var g = sv("g", { "class": "unassigned-lane" }, svg);
    sv("text", { "class": "unassigned-label", x: 6, y: top + 14 }, g, "Unassigned (" + un.length + ")");
    un.forEach(function (u, i) {
      var y = top + rows[i] * 22 + 2;
      var w = Math.max(4, x(u.s + u.dur) - x(u.s));
      var r = sv("rect", { "class": "unassigned-block", x: x(u.s), y: y, width: w, height: 18, rx: 3,
        "data-visit": u.v }, g);
      sv("title", {}, r, u.v + " " + cname(u.c) + " " + clock(u.s) + " (" + u.priority + "): " + u.reason);
      var label = fit(cname(u.c), w);
      if (label) sv("text", { "class": "blabel", x: x(u.s) + 3, y: y + 13 }, g, label);
      r.addEventListener("click", function () { showUnassigned(u); });
    });
  }

  function drawLane(svg, w, day, y, LANE, LABEL, width, x, index, positions) {
    var g = sv("g", { "class": "lane", "data-worker": w.id }, svg);
    sv("rect", { "class": "lane-bg" + (index % 2 ? " alt" : ""), x: 0, y: y, width: width, height: LANE }, g);
    sv("text", { "class": "lane-label", x: 6, y: y + 14 }, g, fit(w.id + " " + (w.name || ""), LABEL - 4));
    var stops = stopsByWorkerDay[w.id + "|" + day] || [];
    var mins = stops.reduce(function (a, s) { return a + s.e - s.s; }, 0);
    sv("text", { "class": "lane-sub", x: 6, y: y + 27 }, g,
      stops.length ? stops.length + " visits, " + clock(mins).replace(":", "h") : (works(w, day) ? "no visits" : "not available"));
    w.shifts.forEach(function (s) {
      if (s[0] !== day) return;
      sv("rect", { "class": "avail", x: x(s[1]), y: y + 2, width: x(s[2]) - x(s[1]), height: LANE - 4 }, g);
    });
    stops.forEach(function (st) {
      var mid = y + LANE / 2;
      if (st.tm > 0) sv("rect", { "class": "travel", x: x(st.s - st.tm), y: mid - 1.5, width: x(st.s) - x(st.s - st.tm), height: 3 }, g);
      if (st.hm) sv("rect", { "class": "travel", x: x(st.e), y: mid - 1.5, width: x(st.e + st.hm) - x(st.e), height: 3 }, g);
      var bw = Math.max(3, x(st.e) - x(st.s));
      var cls = "block" + (st.partners.length ? " double" : "") +
        (st.ok && !brokenRules(st).length ? "" : " outside") +
        (state.selected && state.selected.c === st.c ? " sel" : "") + (matches(st) ? "" : " dim");
      var r = sv("rect", { "class": cls, x: x(st.s), y: y + 5, width: bw, height: LANE - 10, rx: 3,
        fill: colourOf(st.v, st.c), "data-visit": st.v, "data-customer": st.c }, g);
      sv("title", {}, r, tooltip(st));
      var label = fit(cname(st.c), bw);
      if (label) sv("text", { "class": "blabel", x: x(st.s) + 3, y: y + LANE / 2 + 4 }, g, label);
      r.addEventListener("click", function () { state.selected = st; showStop(st); renderGantt(); });
      (positions[st.v] = positions[st.v] || []).push({ x: x(st.s) + bw / 2, top: y + 5, bottom: y + LANE - 5 });
    });
  }

  function drawLinks(svg, positions) {
    Object.keys(positions).forEach(function (v) {
      var ps = positions[v];
      if (ps.length < 2) return;
      ps.sort(function (a, b) { return a.top - b.top; });
      for (var i = 1; i < ps.length; i++) {
        sv("line", { "class": "link", "data-visit": v, x1: ps[i - 1].x, y1: ps[i - 1].bottom,
          x2: ps[i].x, y2: ps[i].top }, svg);
      }
    });
  }

  function tooltip(st) {
    var v = D.visits[st.v] || {};
    var lines = [st.v + "  " + clock(st.s) + "-" + clock(st.e), cname(st.c) + " (" + st.c + ")",
      (v.type || "") + (v.notes ? ": " + v.notes : ""), "travel before " + st.tm + " min, " + num(st.tk) + " km"];
    if (st.partners.length) lines.push("double-handed with " + st.partners.map(wname).join(", "));
    if (!st.ok) lines.push("outside the worker's availability");
    brokenRules(st).forEach(function (v) { lines.push("BREAKS " + v.rule + ": " + v.text); });
    return lines.join("\n");
  }

  function showStop(st) {
    var box = document.getElementById("detail");
    box.className = "";
    var v = D.visits[st.v] || {}, c = customerById[st.c] || {};
    box.textContent = [st.v, D.meta.days[st.day] + " " + clock(st.s) + "-" + clock(st.e) +
      " (preferred " + clock(v.pref) + ")", cname(st.c) + " (" + st.c + ")" + (c.address ? ", " + c.address : ""),
      "by " + [st.w].concat(st.partners).map(function (w) { return wname(w) + " (" + w + ")"; }).join(" and "),
      (v.type || "visit") + (v.notes ? ": " + v.notes : ""),
      "travel before " + st.tm + " min / " + num(st.tk) + " km"].join("  \u00b7  ");
  }

  function showUnassigned(u) {
    var box = document.getElementById("detail");
    box.className = "";
    box.textContent = u.v + "  \u00b7  " + cname(u.c) + " (" + u.c + ")  \u00b7  preferred " +
      clock(u.s) + "  \u00b7  UNASSIGNED: " + u.reason;
  }

  function renderLegend(day) {
    var box = document.getElementById("gantt-legend");
    box.textContent = "";
    var items = [];
    if (state.colourBy === "type") {
      var types = {};
      D.stops.forEach(function (s) { if (s.day === day) types[(D.visits[s.v] || {}).type || ""] = 1; });
      Object.keys(types).sort().forEach(function (t) { items.push([colourOf(firstVisitOfType(t), ""), t || "(no type)"]); });
    }
    items.push(["#e3f1df", "available"], ["#4a4f57", "travel"]);
    items.forEach(function (it) {
      var span = el("span", {}, box);
      el("i", { style: "background:" + it[0] }, span);
      span.appendChild(document.createTextNode(it[1]));
    });
    var dbl = el("span", {}, box);
    el("i", { style: "background:#fff;border:2px solid #b3261e" }, dbl);
    dbl.appendChild(document.createTextNode("double-handed (dashed line links the pair)"));
  }

  function firstVisitOfType(t) {
    var ids = Object.keys(D.visits);
    for (var i = 0; i < ids.length; i++) if ((D.visits[ids[i]].type || "") === t) return ids[i];
    return "";
  }

  // ------------------------------------------------------------------ tables

  function table(parent, id, headers) {
    var t = el("table", { "class": "grid", id: id }, parent);
    var tr = el("tr", {}, el("thead", {}, t));
    headers.forEach(function (h) { el("th", {}, tr, h); });
    return el("tbody", {}, t);
  }

  function renderUnassigned(main) {
    var s = section("unassigned", "Unassigned visits (" + D.unassigned.length + ")", main);
    if (!D.unassigned.length) { el("p", { "class": "muted", id: "unassigned-none" }, s, "Every visit is assigned."); return; }
    var body = table(el("div", { "class": "scroll" }, s), "unassigned-table",
      ["Day", "Time", "Visit", "Customer", "Priority", "Type", "Why"]);
    D.unassigned.forEach(function (u) {
      var tr = el("tr", { "data-visit": u.v }, body);
      el("td", { "class": "nowrap" }, tr, D.meta.days[u.day]);
      el("td", {}, tr, clock(u.s));
      el("td", { "class": "nowrap" }, tr, u.v);
      el("td", {}, tr, cname(u.c) + " (" + u.c + ")");
      el("td", { "class": "prio-" + u.priority }, tr, u.priority);
      el("td", {}, tr, u.type);
      el("td", {}, tr, u.reason);
    });
  }

  function changedCount() {
    return D.changes.filter(function (c) { return c.change !== "new"; }).length;
  }

  function renderChanges(main) {
    var fresh = D.changes.length - changedCount();
    var s = section("changes", "Changes since last week (" + changedCount() + " changed" +
      (fresh ? ", " + fresh + " new" : "") + ")", main);
    if (!D.meta.hasPrevious) { el("p", { "class": "muted" }, s, "The caseload has no previous rota, so there is nothing to compare."); return; }
    if (!D.changes.length) { el("p", { "class": "muted" }, s, "No visit changed worker or time."); return; }
    var two = el("div", { "class": "two" }, s);
    var left = el("div", {}, two);
    el("h3", {}, left, "By customer: who to phone");
    var body = table(el("div", { "class": "scroll" }, left), "changes-by-customer", ["Customer", "Day", "Visit", "Was", "Now", "Change"]);
    D.changes.forEach(function (c) {
      var tr = el("tr", { "data-visit": c.visit_id }, body);
      el("td", {}, tr, (c.customer_name || c.customer_id) + " (" + c.customer_id + ")");
      el("td", {}, tr, c.day);
      el("td", { "class": "nowrap" }, tr, c.visit_id);
      el("td", {}, tr, side(c.before_workers, c.before_start));
      el("td", {}, tr, side(c.after_workers, c.after_start));
      el("td", { "class": "change-kind" }, tr, c.change);
    });
    var right = el("div", {}, two);
    el("h3", {}, right, "By worker");
    var wb = table(el("div", { "class": "scroll" }, right), "changes-by-worker", ["Worker", "Gained", "Lost", "Moved"]);
    Object.keys(D.changesByWorker).forEach(function (w) {
      var g = D.changesByWorker[w], tr = el("tr", {}, wb);
      el("td", {}, tr, wname(w) + " (" + w + ")");
      el("td", {}, tr, g.gained.join(", "));
      el("td", {}, tr, g.lost.join(", "));
      el("td", {}, tr, g.moved.join(", "));
    });
  }

  function side(workers, start) {
    if (!workers) return "not arranged";
    return workers.split(";").map(wname).join(" and ") + " " + start;
  }

  function renderCustomers(main) {
    var s = section("customers", "Customers: who comes when", main);
    var controls = el("div", { "class": "controls" }, s);
    var find = el("input", { type: "search", id: "customer-filter", placeholder: "filter customers, workers, zones" }, controls);
    var body = table(el("div", { "class": "scroll" }, s), "customer-table",
      ["Customer", "Zone", "Team"].concat(D.meta.dayNames));
    var byCustomer = {};
    Object.keys(D.visits).forEach(function (id) {
      var v = D.visits[id];
      (byCustomer[v.c] = byCustomer[v.c] || []).push(id);
    });
    D.customers.forEach(function (c) {
      var ids = byCustomer[c.id] || [];
      if (!ids.length) return;
      var team = {};
      ids.forEach(function (id) { (crew[id] || []).forEach(function (st) { team[st.w] = 1; }); });
      var tr = el("tr", { "data-customer": c.id }, body);
      el("td", {}, tr, (c.name || c.id) + " (" + c.id + ")");
      el("td", {}, tr, c.zone);
      el("td", { "class": "num", title: Object.keys(team).map(wname).join(", ") }, tr, Object.keys(team).length + " / " + c.cap);
      var hay = [c.id, c.name, c.zone, c.address].concat(Object.keys(team).map(wname), Object.keys(team)).join(" ").toLowerCase();
      tr.setAttribute("data-search", hay);
      for (var d = 0; d < 7; d++) {
        var td = el("td", {}, tr);
        ids.filter(function (id) { return D.visits[id].day === d; })
          .sort(function (a, b) { return D.visits[a].pref - D.visits[b].pref; })
          .forEach(function (id) {
            var rows = crew[id] || [];
            var line = rows.length ? clock(rows[0].s) + " " + rows.map(function (r) { return wname(r.w); }).join(" + ")
              : clock(D.visits[id].pref) + " unassigned";
            el("div", { "class": rows.length ? "" : "prio-critical" }, td, line);
          });
      }
    });
    find.addEventListener("input", function () {
      var q = find.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.children, function (tr) {
        tr.hidden = q && tr.getAttribute("data-search").indexOf(q) < 0;
      });
    });
  }

  // ------------------------------------------------------------------ map

  function renderMapSection(main) {
    var s = section("map", "Map of a worker's day", main);
    var controls = el("div", { "class": "controls" }, s);
    var wsel = el("select", { id: "map-worker" }, el("label", {}, controls, "Worker "));
    D.workers.forEach(function (w) { el("option", { value: w.id }, wsel, w.id + " " + (w.name || "")); });
    var dsel = el("select", { id: "map-day" }, el("label", {}, controls, "Day "));
    D.meta.days.forEach(function (label, d) { el("option", { value: d }, dsel, label); });
    var pick = defaultMapPick();
    state.mapWorker = pick[0]; state.mapDay = pick[1];
    if (pick[0]) wsel.value = pick[0];
    dsel.value = String(pick[1]);
    wsel.addEventListener("change", function () { state.mapWorker = wsel.value; renderMap(); });
    dsel.addEventListener("change", function () { state.mapDay = Number(dsel.value); renderMap(); });
    var wrap = el("div", { id: "map-wrap" }, s);
    el("div", { id: "map-box" }, wrap);
    el("div", { id: "map-list" }, wrap);
  }

  function defaultMapPick() {
    var best = null;
    D.stops.forEach(function (st) { if (!best && st.day === state.day) best = [st.w, st.day]; });
    if (!best && D.stops.length) best = [D.stops[0].w, D.stops[0].day];
    return best || [D.workers.length ? D.workers[0].id : null, state.day];
  }

  function renderMap() {
    var box = document.getElementById("map-box"), list = document.getElementById("map-list");
    box.textContent = ""; list.textContent = "";
    var w = workerById[state.mapWorker];
    if (!w) { el("p", { "class": "muted" }, box, "No workers."); return; }
    var pts = D.customers.map(function (c) { return [c.lat, c.lon]; })
      .concat(D.workers.map(function (x) { return [x.lat, x.lon]; }));
    var width = Math.max(420, box.clientWidth || 800), height = Math.min(560, Math.round(width * 0.62)), P = 26;
    var proj = projection(pts, width, height, P);
    var svg = sv("svg", { "class": "map", width: width, height: height, id: "map-svg" }, box);
    var defs = sv("defs", {}, svg);
    ["#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c"].forEach(function (col, i) {
      var mk = sv("marker", { id: "arrow" + i, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
        markerHeight: 7, orient: "auto-start-reverse" }, defs);
      sv("path", { d: "M0,0 L10,5 L0,10 z", fill: col }, mk);
    });
    var stops = stopsByWorkerDay[w.id + "|" + state.mapDay] || [];
    var visited = {};
    stops.forEach(function (st) { visited[st.c] = 1; });
    D.customers.forEach(function (c) {
      var p = proj(c.lat, c.lon);
      var dot = sv("circle", { "class": "cust" + (visited[c.id] ? " on" : ""), cx: p[0], cy: p[1], r: visited[c.id] ? 4 : 2.6 }, svg);
      sv("title", {}, dot, (c.name || c.id) + " (" + c.id + ")" + (c.address ? ", " + c.address : ""));
    });
    var home = proj(w.lat, w.lon);
    var hm = sv("rect", { "class": "home", x: home[0] - 6, y: home[1] - 6, width: 12, height: 12 }, svg);
    sv("title", {}, hm, "home of " + wname(w.id));
    drawRuns(svg, stops, home, proj);
    drawScale(svg, proj, pts, width, height);
    listStops(list, w, stops);
  }

  function projection(pts, width, height, P) {
    var lats = pts.map(function (p) { return p[0]; }), lons = pts.map(function (p) { return p[1]; });
    var la0 = Math.min.apply(null, lats), la1 = Math.max.apply(null, lats);
    var lo0 = Math.min.apply(null, lons), lo1 = Math.max.apply(null, lons);
    var k = Math.cos((la0 + la1) / 2 * Math.PI / 180);
    var spanX = Math.max((lo1 - lo0) * k, 0.004), spanY = Math.max(la1 - la0, 0.004);
    if (spanX < spanY / 2) { lo0 -= (spanY / 2 - spanX) / 2 / k; spanX = spanY / 2; }
    if (spanY < spanX / 2) { la0 -= (spanX / 2 - spanY) / 2; spanY = spanX / 2; }
    var scale = Math.min((width - 2 * P) / spanX, (height - 2 * P) / spanY);
    var offX = (width - spanX * scale) / 2, offY = (height - spanY * scale) / 2;
    var f = function (lat, lon) { return [offX + (lon - lo0) * k * scale, height - offY - (lat - la0) * scale]; };
    f.pxPerKm = scale / 111.2;
    return f;
  }

  function drawRuns(svg, stops, home, proj) {
    var runs = {};
    stops.forEach(function (st) { (runs[st.run] = runs[st.run] || []).push(st); });
    var colours = ["#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c"], taken = {};
    Object.keys(runs).forEach(function (key, i) {
      var col = colours[i % colours.length], run = runs[key];
      var pts = [home].concat(run.map(function (st) { var c = customerById[st.c]; return proj(c.lat, c.lon); }), [home]);
      for (var j = 1; j < pts.length; j++) {
        var a = trim(pts[j - 1], pts[j], 10), b = trim(pts[j], pts[j - 1], 11);
        if (!a || !b) continue;
        sv("line", { "class": "leg", x1: a[0], y1: a[1], x2: b[0], y2: b[1],
          stroke: col, "marker-end": "url(#arrow" + (i % colours.length) + ")",
          "stroke-dasharray": j === pts.length - 1 ? "5 4" : null }, svg);
      }
      run.forEach(function (st, j) {
        var here = pts[j + 1], key = Math.round(here[0]) + "," + Math.round(here[1]);
        var shift = (taken[key] = (taken[key] || 0) + 1) - 1;
        var p = [here[0] + shift * 16, here[1]];
        var c = sv("circle", { cx: p[0], cy: p[1], r: 9, fill: col, "data-visit": st.v }, svg);
        sv("title", {}, c, st.order + ". " + clock(st.s) + " " + cname(st.c));
        sv("text", { "class": "stop-no", x: p[0], y: p[1] + 4 }, svg, st.order);
      });
    });
  }

  function trim(p, q, by) {
    var dx = q[0] - p[0], dy = q[1] - p[1], len = Math.sqrt(dx * dx + dy * dy);
    if (len <= 2 * by) return null;
    return [p[0] + dx / len * by, p[1] + dy / len * by];
  }

  function drawScale(svg, proj, pts, width, height) {
    var steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
    var km = steps[0];
    steps.forEach(function (s) { if (s * proj.pxPerKm <= width / 4) km = s; });
    var len = km * proj.pxPerKm, x0 = 12, y0 = height - 12;
    sv("line", { "class": "scale", x1: x0, y1: y0, x2: x0 + len, y2: y0 }, svg);
    sv("text", { "class": "scale-label", x: x0, y: y0 - 5 }, svg, km + " km");
  }

  function listStops(list, w, stops) {
    el("h3", {}, list, wname(w.id) + " (" + w.id + ") \u00b7 " + D.meta.days[state.mapDay]);
    if (!stops.length) { el("p", { "class": "muted" }, list, "No visits this day."); return; }
    var ol = el("ol", { "class": "stops" }, list);
    var km = 0, mins = 0;
    stops.forEach(function (st) {
      el("li", {}, ol, clock(st.s) + "-" + clock(st.e) + " " + cname(st.c) + " (" + st.tm + " min, " + num(st.tk) + " km)");
      km += st.tk + (st.hk || 0); mins += st.tm + (st.hm || 0);
    });
    el("p", { "class": "muted" }, list, "Travel " + mins + " min, " + num(km) + " km by " + w.transport + " (home legs included).");
  }

  // ------------------------------------------------------------------ charts

  function axisX(svg, x, y, lo, hi, step, fmt) {
    for (var v = lo; v <= hi + 1e-9; v += step) {
      sv("line", { "class": "axis", x1: x(v), x2: x(v), y1: y, y2: y + 4 }, svg);
      sv("text", { "class": "tick", x: x(v), y: y + 15, "text-anchor": "middle" }, svg, fmt(v));
    }
  }
  function niceStep(max, ticks) {
    var raw = max / ticks, mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  function renderCharts(main) {
    var s = section("charts", "Charts", main);
    var grid = el("div", { "class": "charts" }, s);
    workloadChart(el("div", { "class": "chart", id: "chart-workload" }, grid));
    var demand = el("div", { "class": "chart", id: "chart-demand" }, grid);
    continuityChart(el("div", { "class": "chart", id: "chart-continuity" }, grid));
    demandChart(demand);
  }

  function workloadChart(box) {
    el("h3", {}, box, "Workload per worker this week (hours)");
    var rows = D.plots.workload, ROW = 17, LABEL = 150, W = 560;
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, r.available_min, r.contact_min + r.travel_min + r.wait_min, r.guaranteed_min) ; });
    max = max / 60;
    var step = niceStep(max, 6);
    max = Math.ceil(max / step) * step;
    var H = rows.length * ROW + 34;
    var svg = sv("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, style: "max-width:" + W + "px" }, box);
    var x = function (h) { return LABEL + h / max * (W - LABEL - 14); };
    rows.forEach(function (r, i) {
      var y = 6 + i * ROW;
      sv("text", { "class": "tick", x: LABEL - 6, y: y + 11, "text-anchor": "end" }, svg, fit(r.worker_id + " " + (r.name || ""), LABEL));
      if (r.available_min) sv("rect", { "class": "availbar", x: x(0), y: y + 1, width: x(r.available_min / 60) - x(0), height: ROW - 4 }, svg);
      var at = 0;
      [["contact", r.contact_min], ["travelbar", r.travel_min], ["wait", r.wait_min]].forEach(function (p) {
        if (!p[1]) return;
        var rect = sv("rect", { "class": p[0], x: x(at / 60), y: y + 3, width: x((at + p[1]) / 60) - x(at / 60), height: ROW - 8 }, svg);
        sv("title", {}, rect, r.worker_id + ": " + p[0].replace("bar", "") + " " + num(p[1] / 60) + " h");
        at += p[1];
      });
      if (r.guaranteed_min) sv("line", { "class": "guarantee", x1: x(r.guaranteed_min / 60), x2: x(r.guaranteed_min / 60), y1: y, y2: y + ROW - 2 }, svg);
    });
    var base = 6 + rows.length * ROW + 2;
    sv("line", { "class": "axis", x1: x(0), x2: x(max), y1: base, y2: base }, svg);
    axisX(svg, x, base, 0, max, step, function (v) { return num(v, 0); });
    legend(box, [["#2b8a8a", "with customers"], ["#e08b2f", "travel"], ["#c3c8ce", "waiting between visits"],
      ["#fff", "available (dashed)"], ["#b3261e", "guaranteed hours"]]);
  }

  function legend(box, items) {
    var lg = el("div", { "class": "legend" }, box);
    items.forEach(function (it) {
      var span = el("span", {}, lg);
      el("i", { style: "background:" + it[0] }, span);
      span.appendChild(document.createTextNode(it[1]));
    });
  }

  function demandChart(box) {
    box.textContent = "";
    el("h3", {}, box, "Demand against staffed capacity by hour of day (worker-hours)");
    var controls = el("div", { "class": "controls" }, box);
    var sel = el("select", { id: "demand-day" }, el("label", {}, controls, "Show "));
    el("option", { value: "week" }, sel, "whole week");
    D.meta.days.forEach(function (label, d) { el("option", { value: d }, sel, label); });
    sel.value = String(state.demandDay);
    sel.addEventListener("change", function () { state.demandDay = sel.value === "week" ? "week" : Number(sel.value); demandChart(box); });
    var days = state.demandDay === "week" ? D.plots.demand : [D.plots.demand[state.demandDay]];
    var series = { demand: zeros(), capacity: zeros(), planned: zeros() };
    days.forEach(function (d) { Object.keys(series).forEach(function (k) { d[k].forEach(function (v, h) { series[k][h] += v; }); }); });
    var lo = 24, hi = 0;
    for (var h = 0; h < 24; h++) if (series.demand[h] || series.capacity[h]) { lo = Math.min(lo, h); hi = Math.max(hi, h + 1); }
    if (lo >= hi) { lo = 6; hi = 22; }
    var max = Math.max.apply(null, series.capacity.concat(series.demand, [1]));
    var step = niceStep(max, 5);
    max = Math.ceil(max / step) * step;
    var W = 560, H = 240, L = 40, B = 24, T = 8;
    var svg = sv("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, style: "max-width:" + W + "px" }, box);
    var bw = (W - L - 10) / (hi - lo);
    var y = function (v) { return H - B - v / max * (H - B - T); };
    for (var t = 0; t <= max + 1e-9; t += step) {
      sv("line", { "class": "axis", x1: L - 4, x2: W - 10, y1: y(t), y2: y(t), opacity: t ? 0.25 : 1 }, svg);
      sv("text", { "class": "tick", x: L - 6, y: y(t) + 4, "text-anchor": "end" }, svg, num(t, 0));
    }
    var line = [];
    for (h = lo; h < hi; h++) {
      var x0 = L + (h - lo) * bw;
      var cap = sv("rect", { "class": "capacity", x: x0 + 1, y: y(series.capacity[h]), width: bw - 2, height: y(0) - y(series.capacity[h]) }, svg);
      sv("title", {}, cap, pad(h) + ":00 available " + num(series.capacity[h]) + " h");
      var dem = sv("rect", { "class": "demand", x: x0 + bw * 0.3, y: y(series.demand[h]), width: bw * 0.4, height: y(0) - y(series.demand[h]) }, svg);
      sv("title", {}, dem, pad(h) + ":00 commissioned " + num(series.demand[h]) + " h, planned " + num(series.planned[h]) + " h");
      line.push([x0 + bw / 2, y(series.planned[h])]);
      if ((h - lo) % 2 === 0) sv("text", { "class": "tick", x: x0 + bw / 2, y: H - 8, "text-anchor": "middle" }, svg, pad(h));
    }
    sv("polyline", { "class": "planned", points: line.map(function (p) { return p.join(","); }).join(" ") }, svg);
    line.forEach(function (p) { sv("circle", { "class": "planned-dot", cx: p[0], cy: p[1], r: 2.2 }, svg); });
    legend(box, [["#cfe6c8", "workers available"], ["#1f5fa8", "visits commissioned"], ["#e08b2f", "visits planned"]]);
  }

  function zeros() { var a = []; for (var i = 0; i < 24; i++) a.push(0); return a; }

  function continuityChart(box) {
    el("h3", {}, box, "Continuity: distinct workers per customer this week");
    var rows = D.plots.continuity;
    if (!rows.length) { el("p", { "class": "muted" }, box, "No visits."); return; }
    var W = 420, H = 220, L = 36, B = 34, T = 16;
    var max = Math.max.apply(null, rows.map(function (r) { return r.customers; }).concat([1]));
    var svg = sv("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, style: "max-width:" + W + "px" }, box);
    var bw = Math.min(60, (W - L - 10) / rows.length);
    var y = function (v) { return H - B - v / max * (H - B - T); };
    sv("line", { "class": "axis", x1: L, x2: W - 10, y1: y(0), y2: y(0) }, svg);
    rows.forEach(function (r, i) {
      var x0 = L + i * bw;
      var rect = sv("rect", { "class": "bar", x: x0 + 4, y: y(r.customers), width: bw - 8, height: y(0) - y(r.customers) }, svg);
      sv("title", {}, rect, r.customers + " customers see " + r.workers + " worker" + (r.workers === 1 ? "" : "s"));
      sv("text", { "class": "bar-label", x: x0 + bw / 2, y: y(r.customers) - 3 }, svg, r.customers);
      sv("text", { "class": "tick", x: x0 + bw / 2, y: H - B + 14, "text-anchor": "middle" }, svg, r.workers);
    });
    sv("text", { "class": "tick", x: L + (W - L) / 2, y: H - 4, "text-anchor": "middle" }, svg, "distinct workers (customers per bar)");
  }

  // ------------------------------------------------------------------ main

  function render() {
    renderHeader();
    var main = document.getElementById("board");
    main.textContent = "";
    renderKpis(main);
    renderRotaSection(main);
    renderUnassigned(main);
    renderChanges(main);
    renderMapSection(main);
    renderCharts(main);
    renderCustomers(main);
    renderGantt();
    renderMap();
    var resized = null;
    window.addEventListener("resize", function () {
      clearTimeout(resized);
      resized = setTimeout(function () { renderGantt(); renderMap(); }, 150);
    });
    document.body.setAttribute("data-ready", "1");
  }

  try {
    render();
  } catch (err) {
    var pre = document.getElementById("board-errors");
    pre.hidden = false;
    pre.textContent = "The board could not be drawn: " + (err && err.stack ? err.stack : err);
    throw err;
  }
})();
"""
"""The board's script (see the module docstring)."""

'''The rota board's stylesheet and script (inlined into board.html by scheduler.report.board).

The script is plain ES5 with no library: it reads the JSON in ``#board-data`` and builds every
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
.controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center;
  margin-bottom: 8px; }
.days button { border: 1px solid var(--line); background: #fff; padding: 4px 9px;
  border-radius: 5px; cursor: pointer; font: inherit; }
.days button.on { background: var(--accent); color: #fff; border-color: var(--accent); }
.days button .n { font-size: 11px; opacity: .75; margin-left: 3px; }
input[type=search], select { font: inherit; padding: 3px 6px; }
#kpi-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
  gap: 8px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; background: #fbfcfd; }
.kpi .label { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 20px; font-weight: 650; }
.kpi .sub { color: var(--muted); font-size: 12px; }
.kpi.bad .value { color: var(--bad); }
.kpi.good .value { color: var(--ok); }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 6px;
  text-align: left; vertical-align: top; }
table.grid th { background: #eef1f4; position: sticky; top: 0; z-index: 1; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.muted td { color: var(--muted); }
.prio-critical { color: var(--bad); font-weight: 650; }
.scroll { overflow: auto; max-height: 560px; }
#gantt-box { overflow-x: auto; }
svg text { font-family: system-ui, sans-serif; }
svg.gantt .hour { stroke: #e6e9ed; }
svg.gantt .hour-label { font-size: 11px; fill: var(--muted); }
svg.gantt .lane-bg { fill: #fff; }
svg.gantt .lane-bg.alt { fill: #f8f9fb; }
svg.gantt .lane-label { font-size: 12px; fill: var(--ink); cursor: pointer; }
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
svg.gantt .unassigned-block { fill: url(#hatch); stroke: var(--bad); stroke-width: 1;
  cursor: pointer; }
svg.gantt .unassigned-label { font-size: 12px; fill: var(--bad); font-weight: 650; }
#detail { min-height: 22px; margin-top: 6px; padding: 6px 8px; background: #f3f6fa;
  border-radius: 5px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; margin-top: 4px; }
.legend i { display: inline-block; width: 12px; height: 12px; border: 1px solid #555;
  margin-right: 4px; vertical-align: -2px; }
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
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
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
  var DOT = "  \u00b7  ";
  var D = JSON.parse(document.getElementById("board-data").textContent);
  var workerById = {}, customerById = {}, customerIndex = {}, stopsByWorkerDay = {}, crew = {};
  D.workers.forEach(function (w) { workerById[w.id] = w; });
  D.customers.forEach(function (c, i) { customerById[c.id] = c; customerIndex[c.id] = i; });
  D.stops.forEach(function (st) {
    var key = st.w + "|" + st.day;
    (stopsByWorkerDay[key] = stopsByWorkerDay[key] || []).push(st);
    (crew[st.v] = crew[st.v] || []).push(st);
  });
  var broken = {};
  D.meta.violations.forEach(function (v) {
    if (v.visit) (broken[v.visit] = broken[v.visit] || []).push(v);
  });
  var TYPE_COLOURS = { morning: "#f3c969", lunch: "#8fd18a", tea: "#eaa3cb", bed: "#9db5f0",
    medication: "#f0897d", social: "#c7a9ef", shower: "#7fd0d8", shopping: "#d9c18f",
    cleaning: "#b9c99f", sit: "#e6d3a3", respite: "#aac7e0" };
  var ROUTE_COLOURS = ["#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c"];
  var state = { day: firstBusyDay(), colourBy: "customer", onlyWorking: false, find: "",
    selected: null, mapWorker: null, mapDay: 0, demandDay: "week" };
  var RANGE = timeRange();

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
  function missing(x) { return x === null || x === undefined || x === ""; }

  function num(x, digits) {
    if (missing(x)) return "\u2013";
    if (typeof x !== "number") return String(x);
    var most = digits === undefined ? 1 : digits;
    return x.toLocaleString("en-GB", { maximumFractionDigits: most });
  }

  function wname(id) { var w = workerById[id]; return w && w.name ? w.name : id; }
  function cname(id) { var c = customerById[id]; return c && c.name ? c.name : id; }
  function labelled(name, id) { return name + " (" + id + ")"; }

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
    if (i === undefined) return "hsl(" + hue(customerId) + ",60%,74%)";
    // golden-angle hues: neighbouring customers never look alike
    var h = Math.round(i * 137.508) % 360;
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

  function onDay(list, day) { return list.filter(function (s) { return s.day === day; }); }

  function firstBusyDay() {
    for (var d = 0; d < 7; d++) {
      if (onDay(D.stops, d).length || onDay(D.unassigned, d).length) return d;
    }
    return 0;
  }

  function timeRange() {
    var lo = Infinity, hi = -Infinity;
    D.workers.forEach(function (w) {
      w.shifts.forEach(function (s) { lo = Math.min(lo, s[1]); hi = Math.max(hi, s[2]); });
    });
    D.stops.forEach(function (s) {
      lo = Math.min(lo, s.s - s.tm);
      hi = Math.max(hi, s.e + (s.hm || 0));
    });
    D.unassigned.forEach(function (u) {
      lo = Math.min(lo, u.s);
      hi = Math.max(hi, u.s + u.dur);
    });
    if (!isFinite(lo)) { lo = 360; hi = 1320; }
    return [Math.max(0, Math.floor(lo / 60) * 60), Math.min(1440, Math.ceil(hi / 60) * 60)];
  }

  function works(w, day) {
    return w.shifts.some(function (s) { return s[0] === day; }) ||
      (stopsByWorkerDay[w.id + "|" + day] || []).length > 0;
  }

  function brokenRules(st) {
    return (broken[st.v] || []).filter(function (v) { return !v.worker || v.worker === st.w; });
  }

  function legend(box, items) {
    var lg = el("div", { "class": "legend" }, box);
    items.forEach(function (it) {
      var span = el("span", {}, lg);
      el("i", { style: it[0].indexOf(":") > 0 ? it[0] : "background:" + it[0] }, span);
      span.appendChild(document.createTextNode(it[1]));
    });
    return lg;
  }

  function table(parent, id, headers) {
    var t = el("table", { "class": "grid", id: id }, parent);
    var tr = el("tr", {}, el("thead", {}, t));
    headers.forEach(function (h) { el("th", {}, tr, h); });
    return el("tbody", {}, t);
  }

  function cells(tr, values) {
    values.forEach(function (v) {
      if (Array.isArray(v)) el("td", { "class": v[1] }, tr, v[0]);
      else el("td", {}, tr, v);
    });
  }

  // ------------------------------------------------------------------ header, banner, nav

  function renderHeader() {
    var m = D.meta, k = D.kpis || {};
    var total = missing(k.visits_total) ? Object.keys(D.visits).length : k.visits_total;
    var bits = m.weekStart ? ["week starting " + m.weekStart] : [];
    bits.push(D.workers.length + " workers", D.customers.length + " customers", total + " visits");
    document.getElementById("subtitle").textContent = bits.join(" \u00b7 ");
    if (!m.valid) renderInvalid(m);
    var nav = document.getElementById("nav");
    [["figures", "Figures"], ["rota", "Rota"], ["unassigned", "Unassigned", D.unassigned.length],
      ["changes", "Changes", changedCount()], ["map", "Map"], ["charts", "Charts"],
      ["customers", "Customers"]].forEach(function (item) {
      var a = el("a", { href: "#" + item[0] }, nav, item[1]);
      if (item[2] === undefined) return;
      el("span", { "class": "count" + (item[2] ? "" : " zero") }, a, item[2]);
    });
  }

  function renderInvalid(m) {
    var box = document.getElementById("invalid");
    box.hidden = false;
    el("div", { "class": "big" }, box, "INVALID ROTA");
    el("div", {}, box, m.violationCount + " rule violation" + (m.violationCount === 1 ? "" : "s") +
      ": this rota breaks the rules of the caseload and must not be sent out as it is.");
    var item = function (list) {
      return function (v) { el("li", {}, list, v.rule + ": " + v.text); };
    };
    var first = el("ul", { id: "violations" }, box);
    m.violations.slice(0, 5).forEach(item(first));
    if (m.violationCount <= 5) return;
    var more = el("details", {}, box);
    el("summary", {}, more, "Show all " + m.violationCount + " violations");
    var rest = el("ul", {}, more);
    m.violations.slice(5).forEach(item(rest));
    if (m.violationCount > m.violations.length) {
      el("li", {}, rest, "\u2026 and " + (m.violationCount - m.violations.length) + " more");
    }
  }

  // ------------------------------------------------------------------ KPI panel

  function pct(x) { return missing(x) ? "\u2013" : num(x) + "%"; }

  var CARDS = [
    { key: "visits_assigned", label: "Visits assigned",
      value: function (k) { return num(k.visits_assigned) + " / " + num(k.visits_total); } },
    { key: "visits_unassigned", label: "Unassigned visits",
      value: function (k) { return num(k.visits_unassigned); },
      tone: function (k) { return k.visits_unassigned > 0 ? "bad" : "good"; } },
    { key: "care_hours_delivered", label: "Care hours",
      value: function (k) { return num(k.care_hours_delivered); } },
    { key: "travel_hours", label: "Travel hours",
      value: function (k) { return num(k.travel_hours); },
      sub: function (k) {
        return missing(k.travel_share) ? "" : num(100 * k.travel_share) + "% of worked time";
      } },
    { key: "travel_km", label: "Travel km", value: function (k) { return num(k.travel_km); } },
    { key: "continuity_pct", label: "Continuity",
      value: function (k) { return pct(k.continuity_pct); },
      sub: function () { return "visits by each customer's top 3"; } },
    { key: "mean_distinct_workers_per_customer", label: "Workers per customer",
      value: function (k) { return num(k.mean_distinct_workers_per_customer); },
      sub: function (k) { return "max " + num(k.max_distinct_workers_per_customer); } },
    { key: "weekend_familiar_pct", label: "Weekend familiar",
      value: function (k) { return pct(k.weekend_familiar_pct); } },
    { key: "punctuality_mean_abs_dev_min", label: "Punctuality",
      value: function (k) { return "\u00b1" + num(k.punctuality_mean_abs_dev_min) + " min"; },
      sub: function () { return "mean deviation from preferred start"; } },
    { key: "workers_used", label: "Workers used",
      value: function (k) { return num(k.workers_used) + " / " + D.workers.length; } },
    { key: "utilisation_pct", label: "Utilisation",
      value: function (k) { return pct(k.utilisation_pct); },
      sub: function () { return "worked / available hours"; } },
    { key: "margin", label: "Margin",
      value: function (k) { return num(k.margin, 0) + " " + D.meta.currency; },
      sub: function (k) { return "fee " + num(k.fee_total, 0) + ", pay " + num(k.pay_total, 0); } },
    { key: "changes_vs_previous", label: "Changes vs last week",
      value: function (k) { return num(k.changes_vs_previous); } },
    { key: "objective", label: "Objective",
      value: function (k) { return num(k.objective, 0); },
      sub: function (k) { return missing(k.bound) ? "" : "bound " + num(k.bound, 0); } }
  ];

  function renderKpis(main) {
    var s = section("figures", "Figures", main);
    s.setAttribute("data-panel", "kpis");
    var k = D.kpis || {};
    var grid = el("div", { id: "kpi-cards" }, s);
    CARDS.forEach(function (c) {
      if (!(c.key in k)) return;
      var tone = c.tone ? " " + c.tone(k) : "";
      var card = el("div", { "class": "kpi" + tone, "data-key": c.key }, grid);
      el("div", { "class": "label" }, card, c.label);
      el("div", { "class": "value" }, card, c.value(k));
      if (c.sub) el("div", { "class": "sub" }, card, c.sub(k));
    });
    var all = el("details", {}, s);
    el("summary", {}, all, "All figures (kpis.json)");
    var body = el("tbody", {}, el("table", { "class": "grid", id: "kpi-table" }, all));
    Object.keys(k).forEach(function (key) {
      cells(el("tr", {}, body), [key, [num(k[key], 4), "num"]]);
    });
  }

  // ------------------------------------------------------------------ Gantt

  function renderRotaSection(main) {
    var s = section("rota", "Rota by day", main);
    var controls = el("div", { "class": "controls" }, s);
    el("span", { id: "day-picker" }, controls);
    var sel = el("select", { id: "colour-by" }, el("label", {}, controls, "Colour by "));
    el("option", { value: "customer" }, sel, "customer");
    el("option", { value: "type" }, sel, "visit type");
    sel.addEventListener("change", function () { state.colourBy = sel.value; renderGantt(); });
    var only = el("label", {}, controls);
    var box = el("input", { type: "checkbox", id: "only-working" }, only);
    only.appendChild(document.createTextNode(" only workers available this day"));
    box.addEventListener("change", function () {
      state.onlyWorking = box.checked;
      renderGantt();
    });
    var find = el("input", { type: "search", id: "find",
      placeholder: "highlight customer or worker" }, controls);
    find.addEventListener("input", function () {
      state.find = find.value.trim().toLowerCase();
      renderGantt();
    });
    el("div", { id: "gantt-legend" }, s);
    el("div", { id: "gantt-box" }, s);
    el("div", { id: "detail", "class": "muted" }, s,
      "Click a visit for its details, a worker's name for their map.");
    renderDayPicker();
  }

  function renderDayPicker() {
    var box = document.getElementById("day-picker");
    box.textContent = "";
    var days = el("span", { "class": "days" }, box);
    D.meta.days.forEach(function (label, d) {
      var b = el("button", { type: "button", "data-day": d, "class": d === state.day ? "on" : "" },
        days, label);
      el("span", { "class": "n" }, b, "(" + onDay(D.stops, d).length + ")");
      b.addEventListener("click", function () {
        state.day = d;
        state.selected = null;
        renderDayPicker();
        renderGantt();
      });
    });
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

  function ganttLayout(box, day) {
    var un = onDay(D.unassigned, day);
    var rows = stackRows(un.map(function (u) { return [u.s, u.s + Math.max(u.dur, 1)]; }));
    var unLanes = un.length ? Math.max.apply(null, rows) + 1 : 0;
    var L = { label: 190, lane: 32, top: 26, un: un, unRows: rows };
    L.width = Math.max(820, box.clientWidth || 1100);
    L.lanesTop = L.top + (unLanes ? unLanes * 22 + 10 : 0);
    L.workers = D.workers.filter(function (w) { return !state.onlyWorking || works(w, day); });
    L.height = L.lanesTop + L.workers.length * L.lane + 22;
    var plot = L.width - L.label - 26, t0 = RANGE[0], t1 = RANGE[1];
    L.x = function (m) { return L.label + (m - t0) / (t1 - t0) * plot; };
    return L;
  }

  function renderGantt() {
    var box = document.getElementById("gantt-box");
    box.textContent = "";
    var day = state.day, L = ganttLayout(box, day);
    var svg = sv("svg", { "class": "gantt", width: L.width, height: L.height, id: "gantt",
      "data-day": day, "aria-label": "Rota for " + D.meta.days[day] }, box);
    drawHatch(svg);
    for (var m = RANGE[0]; m <= RANGE[1]; m += 60) {
      var x = L.x(m);
      sv("line", { "class": "hour", x1: x, x2: x, y1: L.top - 4, y2: L.height - 18 }, svg);
      [L.top - 10, L.height - 5].forEach(function (y) {
        sv("text", { "class": "hour-label", x: x, y: y, "text-anchor": "middle" }, svg, clock(m));
      });
    }
    if (L.un.length) drawUnassignedLane(svg, L);
    var positions = {};
    L.workers.forEach(function (w, i) {
      drawLane(svg, L, w, day, i, positions);
    });
    drawLinks(svg, positions);
    renderLegend(day);
  }

  function drawHatch(svg) {
    var pattern = sv("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)" }, sv("defs", {}, svg));
    sv("rect", { width: 6, height: 6, fill: "#fdecea" }, pattern);
    sv("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#b3261e", "stroke-width": 2 }, pattern);
  }

  function drawUnassignedLane(svg, L) {
    var g = sv("g", { "class": "unassigned-lane" }, svg);
    sv("text", { "class": "unassigned-label", x: 6, y: L.top + 14 }, g,
      "Unassigned (" + L.un.length + ")");
    L.un.forEach(function (u, i) {
      var y = L.top + L.unRows[i] * 22 + 2, x = L.x(u.s);
      var w = Math.max(4, L.x(u.s + u.dur) - x);
      var r = sv("rect", { "class": "unassigned-block", x: x, y: y, width: w, height: 18, rx: 3,
        "data-visit": u.v }, g);
      sv("title", {}, r, u.v + " " + cname(u.c) + " " + clock(u.s) + " (" + u.priority + "): " +
        u.reason);
      var label = fit(cname(u.c), w);
      if (label) sv("text", { "class": "blabel", x: x + 3, y: y + 13 }, g, label);
      r.addEventListener("click", function () { showUnassigned(u); });
    });
  }

  function drawLane(svg, L, w, day, index, positions) {
    var y = L.lanesTop + index * L.lane, x = L.x;
    var g = sv("g", { "class": "lane", "data-worker": w.id }, svg);
    sv("rect", { "class": "lane-bg" + (index % 2 ? " alt" : ""), x: 0, y: y, width: L.width,
      height: L.lane }, g);
    var name = sv("text", { "class": "lane-label", x: 6, y: y + 14 }, g,
      fit(w.id + " " + (w.name || ""), L.label - 4));
    name.addEventListener("click", function () { showOnMap(w.id, day); });
    var stops = stopsByWorkerDay[w.id + "|" + day] || [];
    var minutes = stops.reduce(function (a, s) { return a + s.e - s.s; }, 0);
    var summary = stops.length ? stops.length + " visits, " + clock(minutes).replace(":", "h")
      : works(w, day) ? "no visits" : "not available";
    sv("text", { "class": "lane-sub", x: 6, y: y + 27 }, g, summary);
    w.shifts.forEach(function (s) {
      if (s[0] !== day) return;
      sv("rect", { "class": "avail", x: x(s[1]), y: y + 2, width: x(s[2]) - x(s[1]),
        height: L.lane - 4 }, g);
    });
    stops.forEach(function (st) {
      drawTravel(g, x, y + L.lane / 2, st.s - st.tm, st.s);
      if (st.hm) drawTravel(g, x, y + L.lane / 2, st.e, st.e + st.hm);
      var bw = Math.max(3, x(st.e) - x(st.s));
      drawBlock(g, st, x(st.s), y + 5, bw, L.lane - 10);
      (positions[st.v] = positions[st.v] || []).push(
        { x: x(st.s) + bw / 2, top: y + 5, bottom: y + L.lane - 5 });
    });
  }

  function drawTravel(g, x, mid, from, to) {
    if (to <= from) return;
    sv("rect", { "class": "travel", x: x(from), y: mid - 1.5, width: x(to) - x(from),
      height: 3 }, g);
  }

  function drawBlock(g, st, x, y, width, height) {
    var cls = "block" + (st.partners.length ? " double" : "") +
      (st.ok && !brokenRules(st).length ? "" : " outside") +
      (state.selected && state.selected.c === st.c ? " sel" : "") + (matches(st) ? "" : " dim");
    var r = sv("rect", { "class": cls, x: x, y: y, width: width, height: height, rx: 3,
      fill: colourOf(st.v, st.c), "data-visit": st.v, "data-customer": st.c }, g);
    sv("title", {}, r, tooltip(st));
    var label = fit(cname(st.c), width);
    if (label) sv("text", { "class": "blabel", x: x + 3, y: y + height / 2 + 4 }, g, label);
    r.addEventListener("click", function () {
      state.selected = st;
      showStop(st);
      renderGantt();
    });
  }

  function drawLinks(svg, positions) {
    Object.keys(positions).forEach(function (v) {
      var ps = positions[v];
      ps.sort(function (a, b) { return a.top - b.top; });
      for (var i = 1; i < ps.length; i++) {
        sv("line", { "class": "link", "data-visit": v, x1: ps[i - 1].x, y1: ps[i - 1].bottom,
          x2: ps[i].x, y2: ps[i].top }, svg);
      }
    });
  }

  function visitText(v) { return (v.type || "visit") + (v.notes ? ": " + v.notes : ""); }

  function tooltip(st) {
    var v = D.visits[st.v] || {};
    var lines = [st.v + "  " + clock(st.s) + "-" + clock(st.e), labelled(cname(st.c), st.c),
      visitText(v), "travel before " + st.tm + " min, " + num(st.tk) + " km"];
    if (st.partners.length) lines.push("double-handed with " + st.partners.map(wname).join(", "));
    if (!st.ok) lines.push("outside the worker's availability");
    brokenRules(st).forEach(function (b) { lines.push("BREAKS " + b.rule + ": " + b.text); });
    return lines.join("\n");
  }

  function showStop(st) {
    var box = document.getElementById("detail");
    var v = D.visits[st.v] || {}, c = customerById[st.c] || {};
    var who = [st.w].concat(st.partners).map(function (w) { return labelled(wname(w), w); });
    box.className = "";
    box.textContent = [st.v,
      D.meta.days[st.day] + " " + clock(st.s) + "-" + clock(st.e) +
        " (preferred " + clock(v.pref) + ")",
      labelled(cname(st.c), st.c) + (c.address ? ", " + c.address : ""),
      "by " + who.join(" and "), visitText(v),
      "travel before " + st.tm + " min / " + num(st.tk) + " km"].join(DOT);
  }

  function showUnassigned(u) {
    var box = document.getElementById("detail");
    box.className = "";
    box.textContent = [u.v, labelled(cname(u.c), u.c), "preferred " + clock(u.s),
      "UNASSIGNED: " + u.reason].join(DOT);
  }

  function renderLegend(day) {
    var box = document.getElementById("gantt-legend");
    box.textContent = "";
    var items = [];
    if (state.colourBy === "type") {
      var types = {};
      onDay(D.stops, day).forEach(function (s) { types[(D.visits[s.v] || {}).type || ""] = s.v; });
      Object.keys(types).sort().forEach(function (t) {
        items.push([colourOf(types[t], ""), t || "(no type)"]);
      });
    }
    items.push(["#e3f1df", "available"], ["#4a4f57", "travel"],
      ["background:#fff;border:2px solid #b3261e", "double-handed (dashed line links the pair)"],
      ["background:#fdecea;border:1px dashed #b3261e", "unassigned / breaks a rule"]);
    box.appendChild(legend(document.createElement("div"), items));
  }

  // ------------------------------------------------------------------ unassigned, changes

  function renderUnassigned(main) {
    var s = section("unassigned", "Unassigned visits (" + D.unassigned.length + ")", main);
    if (!D.unassigned.length) {
      el("p", { "class": "muted", id: "unassigned-none" }, s, "Every visit is assigned.");
      return;
    }
    var body = table(el("div", { "class": "scroll" }, s), "unassigned-table",
      ["Day", "Time", "Visit", "Customer", "Priority", "Type", "Why"]);
    D.unassigned.forEach(function (u) {
      cells(el("tr", { "data-visit": u.v }, body), [[D.meta.days[u.day], "nowrap"], clock(u.s),
        [u.v, "nowrap"], labelled(cname(u.c), u.c), [u.priority, "prio-" + u.priority], u.type,
        u.reason]);
    });
  }

  function changedCount() {
    return D.changes.filter(function (c) { return c.change !== "new"; }).length;
  }

  function side(workers, start) {
    if (!workers) return "not arranged";
    return workers.split(";").map(wname).join(" and ") + " " + start;
  }

  function renderChanges(main) {
    var fresh = D.changes.length - changedCount();
    var s = section("changes", "Changes since last week (" + changedCount() + " changed" +
      (fresh ? ", " + fresh + " new" : "") + ")", main);
    if (!D.meta.hasPrevious) {
      el("p", { "class": "muted" }, s,
        "The caseload has no previous rota, so there is nothing to compare.");
      return;
    }
    if (!D.changes.length) {
      el("p", { "class": "muted" }, s, "No visit changed worker or time.");
      return;
    }
    var two = el("div", { "class": "two" }, s);
    changesByCustomer(el("div", {}, two));
    changesByWorker(el("div", {}, two));
  }

  function changesByCustomer(box) {
    el("h3", {}, box, "By customer: who to phone");
    var body = table(el("div", { "class": "scroll" }, box), "changes-by-customer",
      ["Customer", "Day", "Visit", "Was", "Now", "Change"]);
    D.changes.forEach(function (c) {
      var tr = el("tr", { "data-visit": c.visit_id,
        "class": c.change === "new" ? "muted" : null }, body);
      var was = c.change === "new" ? "not in last week's rota"
        : side(c.before_workers, c.before_start);
      var now = c.change === "removed" ? "no longer in the care plan"
        : side(c.after_workers, c.after_start);
      cells(tr, [labelled(c.customer_name || c.customer_id, c.customer_id), c.day,
        [c.visit_id, "nowrap"], was, now, [c.change, "change-kind"]]);
    });
  }

  function changesByWorker(box) {
    el("h3", {}, box, "By worker");
    var body = table(el("div", { "class": "scroll" }, box), "changes-by-worker",
      ["Worker", "Gained", "Lost", "Moved"]);
    Object.keys(D.changesByWorker).forEach(function (w) {
      var g = D.changesByWorker[w];
      cells(el("tr", { "data-worker": w }, body), [labelled(wname(w), w), g.gained.join(", "),
        g.lost.join(", "), g.moved.join(", ")]);
    });
  }

  // ------------------------------------------------------------------ customers

  function renderCustomers(main) {
    var s = section("customers", "Customers: who comes when", main);
    var find = el("input", { type: "search", id: "customer-filter",
      placeholder: "filter customers, workers, zones" }, el("div", { "class": "controls" }, s));
    var body = table(el("div", { "class": "scroll" }, s), "customer-table",
      ["Customer", "Zone", "Team"].concat(D.meta.dayNames));
    var byCustomer = {};
    Object.keys(D.visits).forEach(function (id) {
      var c = D.visits[id].c;
      (byCustomer[c] = byCustomer[c] || []).push(id);
    });
    D.customers.forEach(function (c) {
      if (byCustomer[c.id]) customerRow(body, c, byCustomer[c.id]);
    });
    find.addEventListener("input", function () {
      var q = find.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.children, function (tr) {
        tr.hidden = q !== "" && tr.getAttribute("data-search").indexOf(q) < 0;
      });
    });
  }

  function customerRow(body, c, ids) {
    var team = {};
    ids.forEach(function (id) { (crew[id] || []).forEach(function (st) { team[st.w] = 1; }); });
    var members = Object.keys(team);
    var search = [c.id, c.name, c.zone, c.address].concat(members, members.map(wname));
    var tr = el("tr", { "data-customer": c.id, "data-search": search.join(" ").toLowerCase() },
      body);
    cells(tr, [labelled(c.name || c.id, c.id), c.zone]);
    el("td", { "class": "num", title: members.map(wname).join(", ") }, tr,
      members.length + " / " + c.cap);
    for (var d = 0; d < 7; d++) {
      var td = el("td", {}, tr);
      ids.filter(function (id) { return D.visits[id].day === d; })
        .sort(function (a, b) { return D.visits[a].pref - D.visits[b].pref; })
        .forEach(function (id) { visitLine(td, id); });
    }
  }

  function visitLine(td, id) {
    var rows = crew[id] || [];
    if (!rows.length) {
      el("div", { "class": "prio-critical" }, td, clock(D.visits[id].pref) + " unassigned");
      return;
    }
    var names = rows.map(function (r) { return wname(r.w); }).join(" + ");
    el("div", {}, td, clock(rows[0].s) + " " + names);
  }

  // ------------------------------------------------------------------ map

  function renderMapSection(main) {
    var s = section("map", "Map of a worker's day", main);
    var controls = el("div", { "class": "controls" }, s);
    var workers = el("select", { id: "map-worker" }, el("label", {}, controls, "Worker "));
    D.workers.forEach(function (w) {
      el("option", { value: w.id }, workers, w.id + " " + (w.name || ""));
    });
    var days = el("select", { id: "map-day" }, el("label", {}, controls, "Day "));
    D.meta.days.forEach(function (label, d) { el("option", { value: d }, days, label); });
    var pick = defaultMapPick();
    state.mapWorker = pick[0];
    state.mapDay = pick[1];
    workers.addEventListener("change", function () {
      state.mapWorker = workers.value;
      renderMap();
    });
    days.addEventListener("change", function () {
      state.mapDay = Number(days.value);
      renderMap();
    });
    var wrap = el("div", { id: "map-wrap" }, s);
    el("div", { id: "map-box" }, wrap);
    el("div", { id: "map-list" }, wrap);
  }

  function defaultMapPick() {
    var today = onDay(D.stops, state.day);
    if (today.length) return [today[0].w, state.day];
    if (D.stops.length) return [D.stops[0].w, D.stops[0].day];
    return [D.workers.length ? D.workers[0].id : null, state.day];
  }

  function showOnMap(workerId, day) {
    state.mapWorker = workerId;
    state.mapDay = day;
    renderMap();
    document.getElementById("map").scrollIntoView();
  }

  function renderMap() {
    var box = document.getElementById("map-box"), list = document.getElementById("map-list");
    box.textContent = "";
    list.textContent = "";
    var w = workerById[state.mapWorker];
    if (!w) {
      el("p", { "class": "muted" }, box, "No workers.");
      return;
    }
    if (state.mapWorker) document.getElementById("map-worker").value = state.mapWorker;
    document.getElementById("map-day").value = String(state.mapDay);
    var places = D.customers.concat(D.workers);
    var width = Math.max(420, box.clientWidth || 800);
    var height = Math.min(560, Math.round(width * 0.62));
    var proj = projection(places, width, height, 26);
    var svg = sv("svg", { "class": "map", width: width, height: height, id: "map-svg" }, box);
    drawArrows(svg);
    var stops = stopsByWorkerDay[w.id + "|" + state.mapDay] || [];
    drawCustomers(svg, proj, stops);
    var home = proj(w.lat, w.lon);
    var mark = sv("rect", { "class": "home", x: home[0] - 6, y: home[1] - 6, width: 12,
      height: 12 }, svg);
    sv("title", {}, mark, "home of " + wname(w.id));
    drawRuns(svg, stops, home, proj);
    drawScale(svg, proj, height);
    listStops(list, w, stops);
  }

  function drawArrows(svg) {
    var defs = sv("defs", {}, svg);
    ROUTE_COLOURS.forEach(function (colour, i) {
      var marker = sv("marker", { id: "arrow" + i, viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
      sv("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, marker);
    });
  }

  function drawCustomers(svg, proj, stops) {
    var visited = {};
    stops.forEach(function (st) { visited[st.c] = 1; });
    D.customers.forEach(function (c) {
      var p = proj(c.lat, c.lon), on = visited[c.id];
      var dot = sv("circle", { "class": "cust" + (on ? " on" : ""), cx: p[0], cy: p[1],
        r: on ? 4 : 2.6 }, svg);
      sv("title", {}, dot, labelled(c.name || c.id, c.id) + (c.address ? ", " + c.address : ""));
    });
  }

  function projection(places, width, height, margin) {
    var lats = places.map(function (p) { return p.lat; });
    var lons = places.map(function (p) { return p.lon; });
    var la0 = Math.min.apply(null, lats), la1 = Math.max.apply(null, lats);
    var lo0 = Math.min.apply(null, lons), lo1 = Math.max.apply(null, lons);
    var k = Math.cos((la0 + la1) / 2 * Math.PI / 180);
    var spanX = Math.max((lo1 - lo0) * k, 0.004), spanY = Math.max(la1 - la0, 0.004);
    if (spanX < spanY / 2) { lo0 -= (spanY / 2 - spanX) / 2 / k; spanX = spanY / 2; }
    if (spanY < spanX / 2) { la0 -= (spanX / 2 - spanY) / 2; spanY = spanX / 2; }
    var scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
    var offX = (width - spanX * scale) / 2, offY = (height - spanY * scale) / 2;
    var f = function (lat, lon) {
      return [offX + (lon - lo0) * k * scale, height - offY - (lat - la0) * scale];
    };
    f.pxPerKm = scale / 111.2;  // one degree of latitude is about 111.2 km
    return f;
  }

  function drawRuns(svg, stops, home, proj) {
    var runs = {}, taken = {};
    stops.forEach(function (st) { (runs[st.run] = runs[st.run] || []).push(st); });
    Object.keys(runs).forEach(function (key, i) {
      var colour = ROUTE_COLOURS[i % ROUTE_COLOURS.length], run = runs[key];
      var points = run.map(function (st) {
        var c = customerById[st.c];
        return proj(c.lat, c.lon);
      });
      points = [home].concat(points, [home]);
      for (var j = 1; j < points.length; j++) {
        var a = trim(points[j - 1], points[j], 10), b = trim(points[j], points[j - 1], 11);
        if (!a || !b) continue;
        sv("line", { "class": "leg", x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: colour,
          "marker-end": "url(#arrow" + (i % ROUTE_COLOURS.length) + ")",
          "stroke-dasharray": j === points.length - 1 ? "5 4" : null }, svg);
      }
      run.forEach(function (st, j) {
        var here = points[j + 1], spot = Math.round(here[0]) + "," + Math.round(here[1]);
        var again = (taken[spot] = (taken[spot] || 0) + 1) - 1;  // same house: side by side
        var x = here[0] + again * 16, y = here[1];
        var c = sv("circle", { cx: x, cy: y, r: 9, fill: colour, "data-visit": st.v }, svg);
        sv("title", {}, c, st.order + ". " + clock(st.s) + " " + cname(st.c));
        sv("text", { "class": "stop-no", x: x, y: y + 4 }, svg, st.order);
      });
    });
  }

  function trim(p, q, by) {
    var dx = q[0] - p[0], dy = q[1] - p[1], len = Math.sqrt(dx * dx + dy * dy);
    if (len <= 2 * by) return null;
    return [p[0] + dx / len * by, p[1] + dy / len * by];
  }

  function drawScale(svg, proj, height) {
    var km = 0.1, x0 = 12, y0 = height - 12, width = Number(svg.getAttribute("width"));
    [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100].forEach(function (s) {
      if (s * proj.pxPerKm <= width / 4) km = s;
    });
    sv("line", { "class": "scale", x1: x0, y1: y0, x2: x0 + km * proj.pxPerKm, y2: y0 }, svg);
    sv("text", { "class": "scale-label", x: x0, y: y0 - 5 }, svg, km + " km");
  }

  function listStops(list, w, stops) {
    el("h3", {}, list, labelled(wname(w.id), w.id) + " \u00b7 " + D.meta.days[state.mapDay]);
    if (!stops.length) {
      el("p", { "class": "muted" }, list, "No visits this day.");
      return;
    }
    var ol = el("ol", { "class": "stops" }, list);
    var km = 0, minutes = 0;
    stops.forEach(function (st) {
      el("li", {}, ol, clock(st.s) + "-" + clock(st.e) + " " + cname(st.c) +
        " (" + st.tm + " min, " + num(st.tk) + " km)");
      km += st.tk + (st.hk || 0);
      minutes += st.tm + (st.hm || 0);
    });
    el("p", { "class": "muted" }, list, "Travel " + minutes + " min, " + num(km) + " km by " +
      w.transport + " (home legs included).");
  }

  // ------------------------------------------------------------------ charts

  function niceStep(max, ticks) {
    var raw = max / ticks, mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  function chartSvg(box, width, height) {
    return sv("svg", { "class": "chart", viewBox: "0 0 " + width + " " + height,
      style: "max-width:" + width + "px" }, box);
  }

  function renderCharts(main) {
    var grid = el("div", { "class": "charts" }, section("charts", "Charts", main));
    workloadChart(el("div", { "class": "chart", id: "chart-workload" }, grid));
    demandChart(el("div", { "class": "chart", id: "chart-demand" }, grid));
    continuityChart(el("div", { "class": "chart", id: "chart-continuity" }, grid));
  }

  function workloadChart(box) {
    el("h3", {}, box, "Workload per worker this week (hours)");
    var rows = D.plots.workload, ROW = 17, LABEL = 150, W = 560, max = 60;
    rows.forEach(function (r) {
      max = Math.max(max, r.available_min, r.contact_min + r.travel_min + r.wait_min,
        r.guaranteed_min);
    });
    var step = niceStep(max / 60, 6);
    max = Math.ceil(max / 60 / step) * step;
    var svg = chartSvg(box, W, rows.length * ROW + 34);
    var x = function (minutes) { return LABEL + minutes / 60 / max * (W - LABEL - 14); };
    rows.forEach(function (r, i) { workloadRow(svg, r, 6 + i * ROW, ROW, x, LABEL); });
    var base = 6 + rows.length * ROW + 2;
    sv("line", { "class": "axis", x1: x(0), x2: x(max * 60), y1: base, y2: base }, svg);
    for (var h = 0; h <= max + 1e-9; h += step) {
      sv("line", { "class": "axis", x1: x(h * 60), x2: x(h * 60), y1: base, y2: base + 4 }, svg);
      sv("text", { "class": "tick", x: x(h * 60), y: base + 15, "text-anchor": "middle" }, svg,
        num(h, 0));
    }
    legend(box, [["#2b8a8a", "with customers"], ["#e08b2f", "travel"],
      ["#c3c8ce", "waiting between visits"], ["background:#fff;border:1px dashed #7aa06f",
        "available"], ["#b3261e", "guaranteed hours"]]);
  }

  function workloadRow(svg, r, y, ROW, x, LABEL) {
    sv("text", { "class": "tick", x: LABEL - 6, y: y + 11, "text-anchor": "end" }, svg,
      fit(r.worker_id + " " + (r.name || ""), LABEL));
    if (r.available_min) {
      sv("rect", { "class": "availbar", x: x(0), y: y + 1, width: x(r.available_min) - x(0),
        height: ROW - 4 }, svg);
    }
    var at = 0;
    [["contact", r.contact_min, "with customers"], ["travelbar", r.travel_min, "travel"],
      ["wait", r.wait_min, "waiting"]].forEach(function (part) {
      if (!part[1]) return;
      var rect = sv("rect", { "class": part[0], x: x(at), y: y + 3,
        width: x(at + part[1]) - x(at), height: ROW - 8 }, svg);
      sv("title", {}, rect, r.worker_id + ": " + part[2] + " " + num(part[1] / 60) + " h");
      at += part[1];
    });
    if (r.guaranteed_min) {
      var g = x(r.guaranteed_min);
      sv("line", { "class": "guarantee", x1: g, x2: g, y1: y, y2: y + ROW - 2 }, svg);
    }
  }

  function zeros() { var a = []; for (var i = 0; i < 24; i++) a.push(0); return a; }

  function demandSeries() {
    var days = state.demandDay === "week" ? D.plots.demand : [D.plots.demand[state.demandDay]];
    var series = { demand: zeros(), capacity: zeros(), planned: zeros() };
    days.forEach(function (d) {
      Object.keys(series).forEach(function (k) {
        d[k].forEach(function (v, h) { series[k][h] += v; });
      });
    });
    return series;
  }

  function demandChart(box) {
    box.textContent = "";
    el("h3", {}, box, "Demand against staffed capacity by hour of day (worker-hours)");
    var sel = el("select", { id: "demand-day" },
      el("label", {}, el("div", { "class": "controls" }, box), "Show "));
    el("option", { value: "week" }, sel, "whole week");
    D.meta.days.forEach(function (label, d) { el("option", { value: d }, sel, label); });
    sel.value = String(state.demandDay);
    sel.addEventListener("change", function () {
      state.demandDay = sel.value === "week" ? "week" : Number(sel.value);
      demandChart(box);
    });
    var series = demandSeries(), lo = 24, hi = 0;
    for (var h = 0; h < 24; h++) {
      if (series.demand[h] || series.capacity[h]) { lo = Math.min(lo, h); hi = h + 1; }
    }
    if (lo >= hi) { lo = 6; hi = 22; }
    var max = Math.max.apply(null, series.capacity.concat(series.demand, [1]));
    var step = niceStep(max, 5);
    max = Math.ceil(max / step) * step;
    var W = 560, H = 240, L = 40, B = 24, T = 8, bw = (W - L - 10) / (hi - lo);
    var svg = chartSvg(box, W, H);
    var y = function (v) { return H - B - v / max * (H - B - T); };
    for (var t = 0; t <= max + 1e-9; t += step) {
      sv("line", { "class": "axis", x1: L - 4, x2: W - 10, y1: y(t), y2: y(t),
        opacity: t ? 0.25 : 1 }, svg);
      sv("text", { "class": "tick", x: L - 6, y: y(t) + 4, "text-anchor": "end" }, svg, num(t, 0));
    }
    var line = [];
    for (h = lo; h < hi; h++) {
      var x0 = L + (h - lo) * bw;
      hourBars(svg, series, h, x0, bw, y);
      line.push([x0 + bw / 2, y(series.planned[h])]);
      if ((h - lo) % 2 === 0) {
        sv("text", { "class": "tick", x: x0 + bw / 2, y: H - 8, "text-anchor": "middle" }, svg,
          pad(h));
      }
    }
    sv("polyline", { "class": "planned",
      points: line.map(function (p) { return p.join(","); }).join(" ") }, svg);
    line.forEach(function (p) {
      sv("circle", { "class": "planned-dot", cx: p[0], cy: p[1], r: 2.2 }, svg);
    });
    legend(box, [["#cfe6c8", "workers available"], ["#1f5fa8", "visits commissioned"],
      ["#e08b2f", "visits planned"]]);
  }

  function hourBars(svg, series, h, x0, bw, y) {
    var cap = series.capacity[h], dem = series.demand[h];
    var a = sv("rect", { "class": "capacity", x: x0 + 1, y: y(cap), width: bw - 2,
      height: y(0) - y(cap) }, svg);
    sv("title", {}, a, pad(h) + ":00 available " + num(cap) + " h");
    var b = sv("rect", { "class": "demand", x: x0 + bw * 0.3, y: y(dem), width: bw * 0.4,
      height: y(0) - y(dem) }, svg);
    sv("title", {}, b, pad(h) + ":00 commissioned " + num(dem) + " h, planned " +
      num(series.planned[h]) + " h");
  }

  function continuityChart(box) {
    el("h3", {}, box, "Continuity: distinct workers per customer this week");
    var rows = D.plots.continuity;
    if (!rows.length) {
      el("p", { "class": "muted" }, box, "No visits.");
      return;
    }
    var W = 420, H = 220, L = 36, B = 34, T = 16;
    var max = Math.max.apply(null, rows.map(function (r) { return r.customers; }).concat([1]));
    var svg = chartSvg(box, W, H);
    var bw = Math.min(60, (W - L - 10) / rows.length);
    var y = function (v) { return H - B - v / max * (H - B - T); };
    sv("line", { "class": "axis", x1: L, x2: W - 10, y1: y(0), y2: y(0) }, svg);
    rows.forEach(function (r, i) {
      var x0 = L + i * bw, mid = x0 + bw / 2;
      var rect = sv("rect", { "class": "bar", x: x0 + 4, y: y(r.customers), width: bw - 8,
        height: y(0) - y(r.customers) }, svg);
      sv("title", {}, rect, r.customers + " customers see " + r.workers + " worker" +
        (r.workers === 1 ? "" : "s"));
      sv("text", { "class": "bar-label", x: mid, y: y(r.customers) - 3 }, svg, r.customers);
      sv("text", { "class": "tick", x: mid, y: H - B + 14, "text-anchor": "middle" }, svg,
        r.workers);
    });
    sv("text", { "class": "tick", x: L + (W - L) / 2, y: H - 4, "text-anchor": "middle" }, svg,
      "distinct workers in the week (bar: how many customers)");
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

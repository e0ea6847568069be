"""comparison.html: the scenario table and charts side by side, drawn as inline SVG.

Self-contained (no script, no network): horizontal charts with one row per scenario, so long
scenario names stay readable. Travel hours, cost and margin, continuity, the distribution of
care workers' effective hourly pay (a box from the quartiles, whiskers to min and max, and every
worker as a dot), and unassigned visits. Pure: takes scheduler.compare Outcomes, returns text.
"""

from __future__ import annotations

import math
import statistics
from html import escape
from typing import TYPE_CHECKING

from scheduler.report.common import html_page

if TYPE_CHECKING:
    from scheduler.compare import Outcome

WIDTH = 480
"""Width of every chart, px."""

LABEL_W = 150
"""Width of the scenario-name column, px."""

ROW_H = 26
"""Height of one scenario's row, px."""

RIGHT_PAD = 44
"""Room right of the value axis for bar labels, px."""

BAR_H = 11
"""Height of one bar of a grouped chart (and of one step of a two-row chart), px."""

PALETTE = ("#3b6ea5", "#e07b39", "#4f9a6b", "#b8475a", "#7a5fa8", "#8a8a8a")
"""Series colours (colour-blind tolerant order)."""

CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .2em} .settings{color:#555;margin:0 0 1em}
table{border-collapse:collapse;margin:0 0 1.5em;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left} thead th{background:#f2f2f2;vertical-align:bottom}
td.bad{background:#fde2e2;font-weight:600}
.charts{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1.2em}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.6em}
figcaption{font-weight:600;margin-bottom:.3em} svg{display:block;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#333} .axis{stroke:#999} .grid{stroke:#eee}
.note{color:#555;font-size:.9em}
"""


def comparison_html(outcomes: list[Outcome], *, title: str, settings: str,
                    currency: str = "GBP", pay_rate: float | None = None) -> str:
    """The whole comparison page; ``pay_rate`` (the base's pay per hour) is drawn as a
    reference line on the effective pay chart."""
    from scheduler.compare import MARKDOWN_ROWS, table_cells

    names = [o.name for o in outcomes]
    ok = [o for o in outcomes if not o.row.get("error")]
    head = "".join(f"<th>{escape(o.name)}</th>" for o in outcomes)
    body = []
    for label, key, decimals in MARKDOWN_ROWS:
        cells = []
        for o in outcomes:
            text = table_cells(o, key, decimals)
            bad = (key == "valid" and text != "yes") or (key == "status" and text == "error")
            cells.append(f"<td{' class=bad' if bad else ''}>{escape(text)}</td>")
        body.append(f"<tr><td>{escape(label.format(cur=currency))}</td>{''.join(cells)}</tr>")
    links = " · ".join(
        f'<a href="{escape(o.slug)}/board.html">{escape(o.name)}</a>' for o in ok)
    described = "".join(f"<li><b>{escape(o.name)}</b>: {escape(o.description)}</li>"
                        for o in outcomes if o.description)
    value = _value
    charts = [
        ("Travel hours (home legs included)", bar_chart(names, [value(o, "travel_hours")
                                                                for o in outcomes], "h")),
        (f"Cost and margin ({currency})", grouped_bar_chart(
            names, {"pay": [value(o, "pay_total") for o in outcomes],
                    "mileage": [value(o, "mileage_total") for o in outcomes],
                    "fee": [value(o, "fee_total") for o in outcomes],
                    "margin": [value(o, "margin") for o in outcomes]})),
        ("Continuity: share of visits by each customer's top 3 workers (%)",
         bar_chart(names, [value(o, "continuity_pct") for o in outcomes], "%", lo=0, hi=100)),
        ("Distinct workers per customer (mean)",
         bar_chart(names, [value(o, "mean_distinct_workers_per_customer") for o in outcomes], "")),
        (f"Effective hourly pay per care worker ({currency}/h: pay / (contact + travel h))",
         distribution_chart(names, [sorted(o.effective_pay.values()) for o in outcomes],
                            reference=None if pay_rate is None else
                            (f"pay rate {_fmt(pay_rate, 2)}", pay_rate))),
        ("Unassigned visits", bar_chart(names, [value(o, "visits_unassigned")
                                                for o in outcomes], "", decimals=0)),
    ]
    figures = "".join(f"<figure><figcaption>{escape(t)}</figcaption>{svg}</figure>"
                      for t, svg in charts)
    page = (
        f"<h1>{escape(title)}</h1><p class=settings>{escape(settings)}</p>"
        + (f"<ul class=note>{described}</ul>" if described else "")
        + f"<table><thead><tr><th>figure</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        f"<div class=charts>{figures}</div>"
        f"<p class=note>Rota boards: {links}</p>"
    )
    return html_page(f"Scenarios: {title}", CSS, page)


def _value(outcome: Outcome, key: str) -> float | None:
    """A numeric figure of an outcome's row, None when missing (a failed scenario)."""
    v = outcome.row.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


# ----------------------------------------------------------------------------- svg pieces


def nice_ticks(lo: float, hi: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [lo, hi] (about ``count`` of them), 0 included if inside;
    with ``integer`` the step is a whole number."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, math.ceil(step))
    first = math.floor(lo / step) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(value: float, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{decimals}f}"


class _Frame:
    """A horizontal chart: scenario rows down the left, a value axis along the bottom."""

    def __init__(self, names: list[str], lo: float, hi: float, rows_per_name: int = 1,
                 legend: list[str] | None = None, notes: list[str] | None = None,
                 integer: bool = False, reference: bool = False):
        self.names = names
        self.notes = notes or []
        self.ticks = nice_ticks(lo, hi, integer=integer)
        step = self.ticks[1] - self.ticks[0] if len(self.ticks) > 1 else 1
        self.tick_decimals = next(
            d for d in range(7) if abs(round(step, d) - step) < 1e-9 or d == 6)
        self.lo, self.hi = self.ticks[0], self.ticks[-1]
        self.top = 8 + (22 if legend or reference else 0)
        self.legend = legend or []
        self.row_h = ROW_H if rows_per_name == 1 else 8 + BAR_H * rows_per_name
        self.height = self.top + len(names) * self.row_h + 28
        self.left, self.right = LABEL_W, WIDTH - RIGHT_PAD

    def x(self, value: float) -> float:
        return self.left + (value - self.lo) / (self.hi - self.lo) * (self.right - self.left)

    def row_top(self, i: int) -> float:
        return self.top + i * self.row_h

    def open(self) -> list[str]:
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {self.height}" '
                 f'width="{WIDTH}" height="{self.height}" role="img">']
        bottom = self.top + len(self.names) * self.row_h
        for t in self.ticks:
            x = self.x(t)
            parts.append(f'<line class=grid x1="{x:.1f}" y1="{self.top}" x2="{x:.1f}" '
                         f'y2="{bottom}"/>')
            parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                         f'{_fmt(t, self.tick_decimals)}</text>')
        zero = self.x(0) if self.lo <= 0 <= self.hi else self.left
        parts.append(f'<line class=axis x1="{zero:.1f}" y1="{self.top}" x2="{zero:.1f}" '
                     f'y2="{bottom}"/>')
        for i, name in enumerate(self.names):
            shown = name if len(name) <= 22 else name[:21] + "…"
            y = self.row_top(i) + self.row_h / 2 + 4
            if i < len(self.notes):
                y -= 6
                parts.append(f'<text x="{LABEL_W - 8}" y="{y + 13:.1f}" text-anchor="end" '
                             f'style="font-size:10px;fill:#666">{escape(self.notes[i])}</text>')
            parts.append(f'<text x="{LABEL_W - 8}" y="{y:.1f}" text-anchor="end">'
                         f'<title>{escape(name)}</title>{escape(shown)}</text>')
        x = self.left
        for k, series in enumerate(self.legend):
            colour = PALETTE[k % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                         f'<text x="{x + 16}" y="16">{escape(series)}</text>')
            x += 24 + 7 * len(series) + 12
        return parts


def bar_chart(names: list[str], values: list[float | None], unit: str, *,
              lo: float | None = None, hi: float | None = None,
              decimals: int | None = None) -> str:
    """One bar per scenario with its value written at the end (a missing value reads ``-``)."""
    known = [v for v in values if v is not None]
    low = min([0.0, *known]) if lo is None else lo
    high = max([0.0, *known]) if hi is None else hi
    frame = _Frame(names, low, high if high > low else low + 1, integer=decimals == 0)
    parts = frame.open()
    for i, value in enumerate(values):
        y = frame.row_top(i) + 5
        if value is None:
            parts.append(f'<text x="{frame.left + 4}" y="{y + 12}">-</text>')
            continue
        x0, x1 = sorted((frame.x(0 if frame.lo <= 0 else frame.lo), frame.x(value)))
        label = _fmt(value, decimals) + (f" {unit}" if unit and unit != "%" else unit)
        parts.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
                     f'height="{ROW_H - 10}" fill="{PALETTE[0]}"><title>{escape(names[i])}: '
                     f'{escape(label)}</title></rect>')
        inside = x1 > frame.right - 70
        tx = x1 - 4 if inside else x1 + 4
        style = ' text-anchor="end" style="fill:#fff"' if inside else ""
        parts.append(f'<text x="{tx:.1f}" y="{y + 12}"{style}>{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(names: list[str], series: dict[str, list[float | None]]) -> str:
    """Several bars per scenario (one per series, legend on top); negatives grow leftwards."""
    known = [v for values in series.values() for v in values if v is not None]
    frame = _Frame(names, min([0.0, *known]), max([0.0, *known]), rows_per_name=len(series),
                   legend=list(series))
    parts = frame.open()
    bar_h = BAR_H
    for k, (label, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        for i, value in enumerate(values):
            if value is None:
                continue
            y = frame.row_top(i) + 4 + k * bar_h
            x0, x1 = sorted((frame.x(0), frame.x(value)))
            parts.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 1):.1f}" '
                         f'height="{bar_h - 1:.1f}" fill="{colour}"><title>{escape(names[i])} '
                         f'{escape(label)}: {_fmt(value, 0)}</title></rect>')
            tx = x1 + 3 if value >= 0 else x0 - 3
            anchor = "start" if value >= 0 else "end"
            parts.append(f'<text x="{tx:.1f}" y="{y + bar_h - 2:.1f}" text-anchor="{anchor}" '
                         f'style="font-size:10px">{_fmt(value, 0)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def distribution_chart(names: list[str], samples: list[list[float]], *,
                       reference: tuple[str, float] | None = None) -> str:
    """Per scenario: a box (quartiles, median line), Tukey whiskers (the furthest values within
    1.5 x the interquartile range) and every value as a dot.

    The axis ends just past the highest whisker (or ``reference``), so a few extreme values do
    not squash the boxes: dots beyond it sit on the right edge as triangles, counted in a note.
    ``reference`` (label, value) draws a dashed vertical line (the contract pay rate). Dots are
    spread vertically by a fixed pattern (no randomness), so the chart is the same on every run.
    """
    stats = [_box(values) for values in samples]
    lows = [v for values in samples for v in values]
    highs = [box[4] for box in stats if box]
    if reference is not None:
        lows.append(reference[1])
        highs.append(reference[1])
    low, high = (min(lows), max(highs)) if highs else (0.0, 1.0)
    pad = (high - low) * 0.08 or 1.0
    notes = [f"median {_fmt(box[2], 2)}" if box else "" for box in stats]
    frame = _Frame(names, low - pad, high + pad, rows_per_name=3, notes=notes,
                   reference=reference is not None)
    parts = frame.open()
    if reference is not None:
        x = frame.x(reference[1])
        bottom = frame.top + len(names) * frame.row_h
        parts.append(f'<line x1="{x:.1f}" y1="{frame.top - 4}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="{PALETTE[3]}" stroke-dasharray="4 3"><title>'
                     f'{escape(reference[0])}</title></line>')
    for i, (values, box) in enumerate(zip(samples, stats)):
        top = frame.row_top(i)
        mid = top + frame.row_h / 2
        if not box:
            parts.append(f'<text x="{frame.left + 4}" y="{mid + 4:.1f}">no worker used</text>')
            continue
        xs = [frame.x(v) for v in box]
        parts.append(f'<line x1="{xs[0]:.1f}" y1="{mid:.1f}" x2="{xs[4]:.1f}" y2="{mid:.1f}" '
                     f'stroke="#555"/>')
        for x in (xs[0], xs[4]):
            parts.append(f'<line x1="{x:.1f}" y1="{mid - 7:.1f}" x2="{x:.1f}" y2="{mid + 7:.1f}"'
                         ' stroke="#555"/>')
        parts.append(f'<rect x="{xs[1]:.1f}" y="{top + 6:.1f}" width="{max(xs[3] - xs[1], 1):.1f}"'
                     f' height="{frame.row_h - 12:.1f}" fill="{PALETTE[0]}" fill-opacity="0.25" '
                     f'stroke="{PALETTE[0]}"><title>{escape(names[i])}: min {_fmt(values[0], 2)},'
                     f' quartiles {_fmt(box[1], 2)} / {_fmt(box[2], 2)} / {_fmt(box[3], 2)}, max '
                     f'{_fmt(values[-1], 2)} ({len(values)} workers)</title></rect>')
        parts.append(f'<line x1="{xs[2]:.1f}" y1="{top + 6:.1f}" x2="{xs[2]:.1f}" '
                     f'y2="{top + frame.row_h - 6:.1f}" stroke="{PALETTE[0]}" stroke-width="2"/>')
        beyond = []
        for j, v in enumerate(values):
            dy = ((j * 7) % 11 - 5) * (frame.row_h - 16) / 11
            if v > frame.hi:
                beyond.append(v)
                x, y = frame.right, mid + dy
                parts.append(f'<path d="M{x - 5:.1f} {y - 3:.1f}L{x:.1f} {y:.1f}L{x - 5:.1f} '
                             f'{y + 3:.1f}Z" fill="{PALETTE[1]}"><title>{_fmt(v, 2)}</title>'
                             '</path>')
                continue
            parts.append(f'<circle cx="{frame.x(v):.1f}" cy="{mid + dy:.1f}" r="2.2" '
                         f'fill="{PALETTE[1]}" fill-opacity="0.8"/>')
        if beyond:
            parts.append(f'<text x="{frame.right + 3}" y="{mid + 4:.1f}" style="font-size:10px">'
                         f'+{len(beyond)}<title>{", ".join(_fmt(v, 2) for v in beyond)}</title>'
                         '</text>')
    if reference is not None:
        parts.append(f'<text x="{frame.x(reference[1]) + 3:.1f}" y="{frame.top - 6}" '
                     f'style="font-size:10px;fill:{PALETTE[3]}">{escape(reference[0])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _box(values: list[float]) -> tuple[float, float, float, float, float] | None:
    """(low whisker, Q1, median, Q3, high whisker) of sorted values; None when empty."""
    if not values:
        return None
    q1, median, q3 = _quartiles(values)
    reach = 1.5 * (q3 - q1)
    low = min(v for v in values if v >= q1 - reach)
    high = max(v for v in values if v <= q3 + reach)
    return low, q1, median, q3, high


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    """(Q1, median, Q3) of sorted values (inclusive method; one value is its own quartiles)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3

"""The rota board in a real browser: headless Chromium (/usr/bin/chromium, as CI installs it)
loads board.html from disk with no network, and the test reads the page it drew.

The week is data/samples/tiny plus a night visit nobody is available for (so the unassigned
list has a row) and a previous rota in which Alice, not Cara, visited Bill (so the change list
has a row). It is solved by the engine with a deterministic budget, then reported. Chromium runs
three times: ``--dump-dom`` (the DOM after the script ran, console messages on stderr),
``--screenshot`` (tests/artifacts/board.png, for a person to look at), and ``--dump-dom`` of a
copy of the page with a script that clicks, types and picks through every control.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from models import Caseload
from models.result import SolveParams
from scheduler.io import read_caseload
from scheduler.kpi import compute_kpis
from scheduler.report import write_reports
from scheduler.solve import solve

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
    "--hide-scrollbars", "--window-size=1400,1600",
)
"""Headless, no network (also no DNS), console messages on stderr."""

BROWSER_TIMEOUT_S = 90


def chromium() -> str:
    """The Chromium binary; the test fails (never skips) without one: CI installs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        pytest.fail("Chromium is not installed: the board test needs a headless browser "
                    "(apt-get install -y chromium)")
    return found


def board_week() -> Caseload:
    data = read_caseload(ROOT / "data" / "samples" / "tiny").model_dump()
    data["visits"] = [*data["visits"], {
        "visit_id": "V9", "customer_id": "C4", "days": "Mon", "start": "22:30",
        "duration_min": 20, "type": "night", "notes": "night check"}]
    data["previous_rota"] = [{
        "visit_id": "V2-Mon", "customer_id": "C2", "worker_id": "W1", "day": "Mon",
        "start": "08:00", "end": "08:45"}]
    return Caseload.model_validate(data)


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> dict:
    """Solve the week, write the reports, load board.html in Chromium: DOM, stderr, PNG."""
    browser = chromium()
    caseload = board_week()
    params = SolveParams(time_limit_s=5, seed=1, workers=1, deterministic=True)
    result = solve(caseload, params)
    folder = tmp_path_factory.mktemp("rota")
    kpis = compute_kpis(caseload, result.rota, objective=result.objective, bound=result.bound)
    write_reports(caseload, result.rota, kpis, folder)
    url = (folder / "board.html").as_uri()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "board.png"
    screenshot.unlink(missing_ok=True)
    dom = run_browser(browser, tmp_path_factory.mktemp("profile"), "--dump-dom", url)
    shot = run_browser(browser, tmp_path_factory.mktemp("profile"),
                       f"--screenshot={screenshot}", url)
    played = folder / "board_played.html"
    page = (folder / "board.html").read_text(encoding="utf-8")
    played.write_text(page.replace("</body>", f"<script>{PLAY}</script></body>"),
                      encoding="utf-8")
    used = run_browser(browser, tmp_path_factory.mktemp("profile"), "--dump-dom",
                       played.as_uri())
    return {"caseload": caseload, "rota": result.rota, "dom": dom.stdout,
            "stderr": dom.stderr + shot.stderr, "screenshot": screenshot,
            "played": used.stdout, "played_stderr": used.stderr}


PLAY = """
(function () {
  function fire(node, type) { node.dispatchEvent(new Event(type, { bubbles: true })); }
  function click(selector) {
    document.querySelector(selector).dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }
  function pick(id, value, type) {
    var node = document.getElementById(id);
    node.value = value;
    fire(node, type || "change");
  }
  click("#gantt rect.block");
  pick("colour-by", "type");
  pick("find", "cath", "input");
  click("#day-picker button[data-day='1']");
  click("#day-picker button[data-day='0']");
  click("#gantt .lane-label");
  pick("map-day", "1");
  pick("map-worker", "W2");
  pick("map-day", "0");
  pick("demand-day", "0");
  pick("customer-filter", "ada", "input");
  document.getElementById("only-working").click();
  click("#gantt .unassigned-block");
  document.body.setAttribute("data-played", "1");
})();
"""
"""Uses every control of the board once, the way a coordinator would."""


def run_browser(browser: str, profile: Path, action: str, url: str):
    return subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", action, url],
        capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=True)


class Elements(HTMLParser):
    """Every start tag of a page as (tag, attributes), in document order."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str | None = None, **attrs: str) -> list[dict[str, str | None]]:
        """Attributes of the tags matching the tag name and every attribute given (``class_``
        for ``class``; ``data_x`` for ``data-x``)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [a for t, a in self.tags
                if (tag is None or t == tag) and all(a.get(k) == v for k, v in wanted.items())]


def test_the_board_draws_without_errors(board):
    page = Elements(board["dom"])
    assert page.find("body", data_ready="1"), "the board script did not finish drawing"
    console = [line for line in board["stderr"].splitlines() if ":CONSOLE" in line]
    assert console == [], "console messages:\n" + "\n".join(console)
    errors = page.find("pre", id="board-errors")
    assert errors and "hidden" in errors[0]


def test_the_gantt_has_one_lane_per_worker(board):
    page = Elements(board["dom"])
    lanes = [a["data-worker"] for a in page.find("g", class_="lane")]
    assert lanes == [w.worker_id for w in board["caseload"].workers]
    blocks = page.find("rect", data_visit="V3-Mon")
    assert len(blocks) == 2  # the double-handed visit, once in each of its workers' lanes
    assert page.find("line", class_="link", data_visit="V3-Mon")  # ... linked


def test_the_board_lists_the_unassigned_visit_with_its_reason(board):
    unassigned = {u.visit_id: u.reason for u in board["rota"].unassigned}
    assert list(unassigned) == ["V9-Mon"]
    page = Elements(board["dom"])
    assert page.find("tr", data_visit="V9-Mon")
    assert html.escape(unassigned["V9-Mon"], quote=False) in board["dom"]


def test_the_board_shows_the_kpi_panel_and_the_change(board):
    page = Elements(board["dom"])
    keys = [a["data-key"] for a in page.find("div") if a.get("data-key")]
    assert {"visits_assigned", "visits_unassigned", "travel_hours", "continuity_pct"} <= set(keys)
    assert ">8 / 9<" in board["dom"]  # visits assigned / total
    assert page.find("table", id="changes-by-customer")
    assert page.find("tr", data_visit="V2-Mon")  # Bill's morning visit: Alice -> Cara


def test_the_screenshot_is_saved(board):
    png = board["screenshot"].read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_every_control_works(board):
    page = Elements(board["played"])
    assert page.find("body", data_played="1"), "the interaction script stopped early"
    console = [line for line in board["played_stderr"].splitlines() if ":CONSOLE" in line]
    assert console == [], "console messages:\n" + "\n".join(console)
    assert "UNASSIGNED: " in board["played"]  # the details of the unassigned visit
    shown = [a["data-customer"] for a in page.find("tr") if a.get("data-customer")
             and "hidden" not in a]
    assert shown == ["C1"]  # the customer filter kept Ada only
    ben = [a for a in page.find("circle") if a.get("data-visit")]
    assert len(ben) == 4  # Ben's Monday on the map: four numbered stops

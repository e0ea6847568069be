"""iCalendar (RFC 5545) files: one per worker, one event per visit, for a phone's calendar.

Times are local clock times of the caseload's week (``week_start`` + day), written with
``TZID=Europe/London`` and a VTIMEZONE for it (GMT/BST), so a phone set to another zone still
shows the right instant; ``floating=True`` writes floating local times instead (no zone: the
clock time is shown as is wherever the phone is). A caseload without ``week_start`` has no
dates, so no calendar can be written (``CalendarError``).

Each event's UID is ``<visit id>.<worker id>.<week start>@homecare-rota``: the same visit of the
same worker in the same week keeps its UID when the rota is re-planned, so re-importing updates
the event (DTSTAMP, the time the file was made, tells the newer version). Lines are folded at 75
octets (never inside a UTF-8 character) and end with CRLF; text values escape backslash, ``;``,
``,`` and newlines.
"""

from __future__ import annotations

import datetime as dt
import re

from models import Caseload, Rota
from scheduler.report.common import (
    VisitLine,
    customer_name,
    customer_place,
    day_date,
    visit_lines,
    worker_name,
)
from scheduler.runs import Run

PRODID = "-//homecare-rota//rota calendars 1.0//EN"
TZID = "Europe/London"
MAX_OCTETS = 75
"""Longest content line, in octets, before folding (RFC 5545 section 3.1)."""

LONDON_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)
"""UK civil time: BST from 01:00 UTC on the last Sunday of March to the last Sunday of October."""

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


class CalendarError(ValueError):
    """A calendar cannot be written (the caseload has no week_start)."""


def escape_text(value: str) -> str:
    """A TEXT property value escaped as RFC 5545 section 3.3.11 requires."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded into CRLF-separated pieces of at most 75 octets.

    Continuation pieces start with one space (counted in their 75 octets); a UTF-8 character
    is never split.
    """
    pieces, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n".join(pieces)


def calendar_file_name(worker_id: str) -> str:
    """``<worker_id>.ics``, characters other than letters, digits, ``.``, ``_``, ``-`` as ``_``."""
    return _UNSAFE_FILE_CHARS.sub("_", worker_id) + ".ics"


def worker_calendars(
    caseload: Caseload,
    rota: Rota,
    *,
    stamp: dt.datetime,
    floating: bool = False,
    runs: tuple[Run, ...] | None = None,
) -> dict[str, str]:
    """Worker id -> the text of their .ics file, for every worker with at least one visit.

    Parameters
    ----------
    caseload, rota
        The plan and its rota.
    stamp
        When the calendar is issued (DTSTAMP); an aware datetime, converted to UTC.
    floating
        Write floating local times instead of ``TZID=Europe/London``. Default False.
    runs
        ``build_runs(caseload, rota)`` when the caller has it.

    Raises
    ------
    CalendarError
        When the caseload has no ``week_start``.
    """
    if caseload.week_start is None:
        raise CalendarError("the caseload has no week_start, so visits have no dates")
    by_worker: dict[str, list[VisitLine]] = {}
    for line in visit_lines(caseload, rota, runs):
        by_worker.setdefault(line.worker_id, []).append(line)
    return {
        worker_id: calendar_text(caseload, worker_id, lines, stamp=stamp, floating=floating)
        for worker_id, lines in by_worker.items()
    }


def calendar_text(
    caseload: Caseload,
    worker_id: str,
    lines: list[VisitLine],
    *,
    stamp: dt.datetime,
    floating: bool = False,
) -> str:
    """One worker's VCALENDAR (CRLF line ends, folded), one VEVENT per visit line."""
    name = f"Rota {worker_name(caseload, worker_id)} ({worker_id}), week of {caseload.week_start}"
    content = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}",
    ]
    if not floating:
        content += [*LONDON_VTIMEZONE, f"X-WR-TIMEZONE:{TZID}"]
    utc = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for line in lines:
        content += event_lines(caseload, line, dtstamp=utc, floating=floating)
    content.append("END:VCALENDAR")
    return "".join(fold(item) + "\r\n" for item in content)


def event_lines(
    caseload: Caseload, line: VisitLine, *, dtstamp: str, floating: bool
) -> list[str]:
    """The unfolded content lines of one visit's VEVENT."""
    instance = caseload.instance_by_id[line.visit_id]
    customer = caseload.customer_by_id[line.customer_id]
    week = caseload.week_start.strftime("%Y%m%d")
    zone = "" if floating else f";TZID={TZID}"
    summary = customer_name(caseload, line.customer_id)
    if instance.type:
        summary += f" - {instance.type}"
    if line.partners:
        summary += " (double-handed)"
    return [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{line.visit_id}.{line.worker_id}.{week}@homecare-rota')}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART{zone}:{local_time(caseload, line.day, line.start)}",
        f"DTEND{zone}:{local_time(caseload, line.day, line.end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(customer_place(caseload, line.customer_id))}",
        f"GEO:{customer.lat:.6f};{customer.lon:.6f}",
        f"DESCRIPTION:{escape_text(chr(10).join(description(caseload, line)))}",
        *([f"CATEGORIES:{escape_text(instance.type)}"] if instance.type else []),
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def local_time(caseload: Caseload, day: int, minute: int) -> str:
    """``YYYYMMDDTHHMMSS`` of a day index and minutes after midnight (24:00 = next 00:00)."""
    moment = dt.datetime.combine(day_date(caseload, day), dt.time()) + dt.timedelta(
        minutes=minute)
    return moment.strftime("%Y%m%dT%H%M%S")


def description(caseload: Caseload, line: VisitLine) -> list[str]:
    """The event's description, one fact per line."""
    instance = caseload.instance_by_id[line.visit_id]
    template = caseload.template_by_id[instance.template_id]
    facts = [f"Customer: {customer_name(caseload, line.customer_id)} ({line.customer_id})",
             f"Visit {line.visit_id}, {line.duration_min} min"]
    if template.notes:
        facts.append(f"Tasks: {template.notes}")
    facts.append(f"Travel before: {line.travel_min} min, {line.travel_km:.1f} km")
    if line.partners:
        names = " and ".join(f"{worker_name(caseload, w)} ({w})" for w in line.partners)
        facts.append(f"Double-handed with {names}")
    if instance.skills:
        facts.append("Needs " + ", ".join(instance.skills))
    if line.home_min is not None:
        facts.append(f"Then home: {line.home_min} min, {line.home_km:.1f} km")
    return facts

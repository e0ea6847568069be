"""Shared model base and the field types of FORMAT.md: identifiers, clock times, days, labels.

Every input model is frozen and forbids unknown fields. Times of day are held as integer minutes
after midnight and written as ``HH:MM``; days are held as integers 0 (Mon) to 6 (Sun) and written
as their names, so a JSON dump reads like the CSV tables.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
)
from pydantic_core import PydanticCustomError

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Day names in week order; a day's index is its position here."""

MINUTES_PER_DAY = 1440
"""Minutes in one day; week minute = day index x 1440 + minute of the day."""

WEEKEND = frozenset({5, 6})
"""Day indexes of Saturday and Sunday."""

_DAY_INDEX = {name.lower(): i for i, name in enumerate(DAYS)}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")


class Frozen(BaseModel):
    """Base of every model: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _error(rule: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(rule, message, context or None)


# ----------------------------------------------------------------------------- clock times


def parse_clock(value: Any, *, allow_midnight_end: bool = True) -> int:
    """``H:MM``/``HH:MM`` (or an int of minutes) -> minutes after midnight, 0..1440.

    ``24:00`` is accepted only when ``allow_midnight_end``.
    """
    if isinstance(value, bool):
        raise _error("bad_time", "not a HH:MM time: '{value}'", value=str(value))
    if isinstance(value, int):
        minutes = value
    else:
        text = str(value).strip()
        match = _CLOCK.match(text)
        if not match:
            raise _error("bad_time", "not a HH:MM time: '{value}'", value=text)
        hours, mins = int(match.group(1)), int(match.group(2))
        if mins > 59 or hours > 24 or (hours == 24 and mins):
            raise _error("bad_time", "not a time of day: '{value}'", value=text)
        minutes = hours * 60 + mins
    limit = MINUTES_PER_DAY if allow_midnight_end else MINUTES_PER_DAY - 1
    if not 0 <= minutes <= limit:
        shown = format_clock(minutes) if 0 <= minutes <= MINUTES_PER_DAY else str(minutes)
        raise _error("bad_time", "{value} is not a start time of day (00:00-23:59)", value=shown)
    return minutes


def format_clock(minutes: int) -> str:
    """Minutes after midnight (0..1440) -> ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_week_time(week_minute: int) -> str:
    """Minutes from Monday 00:00 -> ``Tue 07:30``."""
    day, minute = divmod(week_minute, MINUTES_PER_DAY)
    return f"{DAYS[min(day, 6)]} {format_clock(minute)}"


StartTime = Annotated[
    int,
    BeforeValidator(lambda v: parse_clock(v, allow_midnight_end=False)),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
]
"""A start time of day: minutes after midnight (0..1439), written ``HH:MM``."""

EndTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
]
"""An end time of day: minutes after midnight (1..1440), written ``HH:MM`` (``24:00`` allowed)."""


# ----------------------------------------------------------------------------- days


def parse_day(value: Any) -> int:
    """A day name (any case) or index -> day index 0..6."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    index = _DAY_INDEX.get(str(value).strip().lower())
    if index is None:
        raise _error("bad_day", "not a day (Mon..Sun): '{value}'", value=str(value))
    return index


def parse_days(value: Any) -> tuple[int, ...]:
    """``Mon;Wed``, ``Mon-Fri``, ``Sat-Mon`` (wraps), ``daily`` or a list -> sorted day indexes."""
    tokens = value if isinstance(value, (list, tuple)) else str(value).split(";")
    days: set[int] = set()
    for token in tokens:
        if isinstance(token, int):
            days.add(parse_day(token))
            continue
        text = str(token).strip()
        if not text:
            continue
        if text.lower() == "daily":
            days.update(range(7))
        elif "-" in text:
            first, _, last = (part.strip() for part in text.partition("-"))
            i, j = parse_day(first), parse_day(last)
            days.update((i + k) % 7 for k in range((j - i) % 7 + 1))
        else:
            days.add(parse_day(text))
    if not days:
        raise _error("bad_day", "no day given")
    return tuple(sorted(days))


def format_days(days: tuple[int, ...]) -> str:
    """Day indexes -> ``daily``, ``Mon-Fri`` or ``Mon;Wed``."""
    if len(days) == 7:
        return "daily"
    if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{DAYS[days[0]]}-{DAYS[days[-1]]}"
    return ";".join(DAYS[d] for d in days)


Day = Annotated[
    int,
    BeforeValidator(parse_day),
    PlainSerializer(lambda d: DAYS[d], return_type=str, when_used="json"),
]
"""One day: index 0 (Mon) to 6 (Sun), written as its name."""

DayList = Annotated[
    tuple[int, ...],
    BeforeValidator(parse_days),
    PlainSerializer(format_days, return_type=str, when_used="json"),
]
"""Several days: sorted day indexes, read from ``Mon;Wed``, ``Mon-Fri`` or ``daily``."""


# ----------------------------------------------------------------------------- ids and labels


def _check_identifier(value: str) -> str:
    if not value:
        raise _error("empty_id", "empty identifier")
    if ";" in value:
        raise _error("bad_id", "identifier '{value}' contains ';'", value=value)
    return value


Identifier = Annotated[
    str,
    BeforeValidator(lambda v: str(v).strip() if v is not None else ""),
    AfterValidator(_check_identifier),
]
"""A non-empty id without ``;``, unique within its table."""


def parse_labels(value: Any) -> tuple[str, ...]:
    """``medication;Hoist`` or a list -> sorted, lower-cased, de-duplicated labels."""
    items = value if isinstance(value, (list, tuple, set, frozenset)) else str(value).split(";")
    return tuple(sorted({str(item).strip().lower() for item in items if str(item).strip()}))


def parse_names(value: Any) -> tuple[str, ...]:
    """``Z1;Z2`` or a list -> sorted, de-duplicated names (case kept: zone ids are ids)."""
    items = value if isinstance(value, (list, tuple, set, frozenset)) else str(value).split(";")
    return tuple(sorted({str(item).strip() for item in items if str(item).strip()}))


Labels = Annotated[
    tuple[str, ...],
    BeforeValidator(parse_labels),
    PlainSerializer(";".join, return_type=str, when_used="json"),
]
"""A ``;``-list of case-insensitive labels (skills), held lower-case and sorted."""

Names = Annotated[
    tuple[str, ...],
    BeforeValidator(parse_names),
    PlainSerializer(";".join, return_type=str, when_used="json"),
]
"""A ``;``-list of ids (zones), case kept, sorted."""


def lower_text(value: Any) -> str:
    """Strip and lower-case a free label (gender, transport, priority)."""
    return str(value).strip().lower() if value is not None else ""

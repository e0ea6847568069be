"""Synthetic caseloads: a week of home care in a town, in the countryside, or both.

``generate(size, geography, seed)`` builds a Caseload that loads back through
``scheduler.io.read_caseload`` without errors. The pipeline runs one way:

1. places: settlements (a town's neighbourhoods, villages, scattered farms) and customer homes;
2. care plans: per customer a weekly-hours band, then morning/lunch/tea/bed calls, medication
   prompts and weekly extras (shower, social, shopping, cleaning) that fit that band;
3. double-handed calls: the transfers of the most dependent customers, to a target share;
4. workforce: workers recruited (per zone, when there are zones) until every part of every day
   has enough available worker time for its visits plus a travel allowance, at a target
   utilisation;
5. repair: every visit instance made reachable by enough eligible workers, travel from and to
   home included (shifts stretched a little, rarely a local worker recruited, skills granted);
6. last week's rota and preferences, drawn from each customer's nearby team.

Every random choice comes from one ``random.Random(seed)`` passed down explicitly, so a seed
always gives the same caseload. docs/synthetic-caseloads.md lists every assumption.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from models import (
    Assignment,
    AvailabilityRow,
    Caseload,
    Customer,
    Preference,
    VisitTemplate,
    Worker,
)
from models.base import MINUTES_PER_DAY
from scheduler.inspect import (
    HomeLegs,
    eligible_workers,
    fits_shift,
    reachable_workers,
    shifts_by_worker_day,
)
from scheduler.travel import TravelMatrix, build_travel

WEEK_START = dt.date(2026, 11, 23)
"""The Monday every generated week starts on (fixed, never today's date)."""

SIZES: dict[str, int] = {"S": 25, "M": 100, "L": 250, "XL": 1000}
"""Customers per size preset; workers follow from the demand (see ``recruit``)."""

GEOGRAPHIES = ("urban", "rural", "mixed")

XL_ZONES = (4, 6)
"""An XL caseload has between this many zones, each with its own provider (R67)."""

HOURS_BANDS: tuple[tuple[float, float], ...] = ((1, 4), (4, 10), (10, 20), (20, 35))
"""Weekly care hours per customer (time with the customer, a double-handed hour once): [lo, hi)."""

HOURS_MIX = (0.68, 0.24, 0.065, 0.015)
"""Share of customers in each band: right-skewed, mean about 4.3 h (research 4.1, 4.2)."""

TARGET_UTILISATION = 0.80
"""Visit worker-time plus travel allowance, as a share of available worker time, at any hour."""

BLOCK_HOURS = 2
"""The target utilisation applies to every two consecutive clock hours of every day (a visit
can move inside its window, so a peak is about an hour and a half wide)."""

HOUR_UTILISATION = 0.85
"""The cap on any single clock hour: demand plus travel allowance / available worker time."""

TRAVEL_ALLOWANCE = {"urban": 0.20, "mixed": 0.30, "rural": 0.50}
"""Travel minutes per contact minute assumed when sizing the workforce (research 4.5)."""

CAR_SHARE = {"urban": 0.60, "mixed": 0.75, "rural": 0.88}
"""Share of workers who drive (research 4.5: 50-70 % urban, 80-90 % rural)."""

MIN_VISIT_MIN = {"urban": 15, "mixed": 15, "rural": 30}
"""Shortest visit: rural agencies set a 30-minute minimum to offset unpaid travel (R14)."""

DOUBLE_HANDED_SHARE = 0.125
"""Target share of visit instances needing two workers."""

PROVIDERS = (
    "abbey-care", "willow-homecare", "meadowbank", "oakfield-care", "kestrel-care",
    "harbour-care",
)


@dataclass(frozen=True)
class Params:
    """What to generate.

    Parameters
    ----------
    name
        Caseload display name (the week is appended).
    customers
        Number of customers.
    geography
        ``urban``, ``rural`` or ``mixed``.
    zones
        Number of zones, each with its own provider; 0 = one provider, no zones.
    hours_mix
        Share of customers in each of ``HOURS_BANDS``.
    double_handed_share
        Target share of visit instances with two workers.
    target_utilisation
        Peak-hour demand (with travel allowance) / available worker time. Default 0.80.
    town
        Name of the town (addresses, zone prefix).
    origin
        (lat, lon) of the town centre, degrees.
    """

    name: str
    customers: int
    geography: str
    zones: int = 0
    hours_mix: tuple[float, float, float, float] = HOURS_MIX
    double_handed_share: float = DOUBLE_HANDED_SHARE
    target_utilisation: float = TARGET_UTILISATION
    town: str = "Eastbridge"
    origin: tuple[float, float] = (52.30, -1.50)


PRESETS: dict[str, Params] = {
    "riverside": Params("Riverside", 60, "urban", town="Riverside", origin=(52.24, -0.89)),
    "shire": Params("Shire", 75, "rural", zones=3, town="Marbury", origin=(52.58, -2.66)),
}
"""The bundled sample caseloads (data/samples/<name>/)."""


# ----------------------------------------------------------------------------- public api


def generate(size: str, geography: str, seed: int) -> Caseload:
    """A synthetic caseload of a size preset.

    Parameters
    ----------
    size
        ``S`` (25 customers), ``M`` (100), ``L`` (250) or ``XL`` (1,000, in 4-6 zones with a
        provider each).
    geography
        ``urban`` (a town a few km across), ``rural`` (villages over 30-40 km) or ``mixed``
        (a town with villages and a rural fringe).
    seed
        Seed of every random choice; the same seed gives the same caseload.

    Returns
    -------
    Caseload
        Validated; week starting ``WEEK_START``.
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r} (known: {', '.join(SIZES)})")
    rng = random.Random(seed)
    zones = rng.randint(*XL_ZONES) if size == "XL" else 0
    name = f"Synthetic {size} {geography} (seed {seed})"
    return build(Params(name, SIZES[size], geography, zones=zones), rng)


def generate_preset(name: str, seed: int) -> Caseload:
    """A named sample caseload (``riverside``, ``shire``); see ``PRESETS``."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
    return generate_custom(PRESETS[name], seed)


def generate_custom(params: Params, seed: int) -> Caseload:
    """A caseload from explicit parameters; the same (params, seed) gives the same caseload."""
    return build(params, random.Random(seed))


def build(params: Params, rng: random.Random) -> Caseload:
    """Run the whole pipeline with one random stream."""
    if params.geography not in GEOGRAPHIES:
        raise ValueError(f"unknown geography {params.geography!r} (known: {GEOGRAPHIES})")
    geography = make_geography(params, rng)
    homes = [place_home(geography, rng) for _ in range(params.customers)]
    zones = zone_names(params)
    customer_zone = [nearest_zone(h, geography, zones) for h in homes]
    plans = [
        draft_plan(band, not home.town, params, rng)
        for band, home in zip(hours_bands(params, rng), homes)
    ]
    mark_double_handed(plans, params.double_handed_share, rng)
    set_medication_gaps(plans)
    recruits = recruit_all(plans, homes, customer_zone, params, geography, rng)
    draft = assemble(params, geography, homes, customer_zone, plans, recruits, rng)
    draft = repair_eligibility(draft, rng)
    travel = build_travel(draft)
    legs = HomeLegs.of(draft, travel)
    rota = previous_rota(draft, travel, legs, rng)
    preferences = choose_preferences(draft, rota, legs, rng)
    return finish(draft, rota, preferences)


# ----------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Settlement:
    """A cluster of homes: a town neighbourhood or a village (distances in km from the origin)."""

    name: str
    x_km: float
    y_km: float
    radius_km: float
    weight: float
    town: bool


@dataclass(frozen=True)
class Geography:
    """Where people live: settlements, scattered homes in a square of half-width ``extent_km``."""

    origin: tuple[float, float]
    settlements: tuple[Settlement, ...]
    extent_km: float
    scatter: float
    """Share of homes scattered outside any settlement (farms, hamlets)."""
    zone_angle: float
    """Zones are equal slices of the compass round the origin, the first starting here (rad)."""


@dataclass(frozen=True)
class Home:
    """One address: km east and north of the origin, the settlement it belongs to."""

    x_km: float
    y_km: float
    place: str
    town: bool
    address: str


VILLAGE_HEADS = (
    "Ash", "Bar", "Brook", "Cold", "Elm", "Fen", "Hol", "King", "Long", "Mill", "Nether",
    "Oak", "Red", "Stan", "Thorn", "Wick", "Wold", "Hart", "Mar", "Cher",
)
VILLAGE_TAILS = (
    "by", "ford", "ham", "ley", "ton", "well", "combe", "thorpe", "stead", "bury", "field",
    "hurst",
)
STREETS = (
    "Mill Lane", "Church Street", "Station Road", "The Green", "Manor Close", "Orchard Way",
    "Victoria Road", "Park Avenue", "Chapel Row", "Meadow View", "High Street", "School Lane",
    "Willow Court", "Kings Road", "Bridge Street", "Elm Grove", "Nelson Terrace", "Quarry Hill",
)
HOUSE_NAMES = (
    "Rose Cottage", "Old Forge", "Hill Farm", "Brook House", "The Laurels", "Keeper's Cottage",
    "Manor Farm", "Ivy Cottage", "Lower Barn", "Woodside",
)


def make_geography(params: Params, rng: random.Random) -> Geography:
    """Settlements of the chosen kind, scaled up gently for large caseloads."""
    scale = min(2.0, max(1.0, math.sqrt(params.customers / 250)))
    if params.geography == "urban":
        parts, extent, scatter = town_parts(params.town, 2.5 * scale, 1.0, rng), 3 * scale, 0.0
    elif params.geography == "rural":
        parts = villages(round(12 * scale**2), 17 * scale, 0.0, 0.65, rng)
        parts += market_towns(min(4, round(scale**2)), 12 * scale, 0.2, params.town, rng)
        extent, scatter = 17 * scale, 0.15
    else:
        parts = town_parts(params.town, 3 * scale, 0.6, rng)
        parts += villages(round(7 * scale**2), 15 * scale, 5 * scale, 0.3, rng)
        extent, scatter = 16 * scale, 0.1
    return Geography(params.origin, tuple(parts), extent, scatter, rng.uniform(0, 2 * math.pi))


def town_parts(name: str, radius_km: float, weight: float, rng: random.Random) -> list:
    """A town of ``radius_km``: a core and five neighbourhoods round it."""
    parts = [Settlement(name, 0.0, 0.0, 0.4 * radius_km, 0.3 * weight, True)]
    turn = rng.uniform(0, 2 * math.pi)
    for i in range(5):
        angle, distance = turn + 2 * math.pi * i / 5, radius_km * rng.uniform(0.5, 0.7)
        x, y = distance * math.cos(angle), distance * math.sin(angle)
        parts.append(Settlement(name, x, y, 0.3 * radius_km, 0.14 * weight, True))
    return parts


def village_names(count: int, rng: random.Random) -> list[str]:
    """Distinct invented English village names."""
    names = [head + tail for head in VILLAGE_HEADS for tail in VILLAGE_TAILS]
    return rng.sample(names, count)


def villages(
    count: int, extent_km: float, min_distance_km: float, weight: float, rng: random.Random
) -> list[Settlement]:
    """``count`` villages in the square of half-width ``extent_km``, at least 3 km apart and
    ``min_distance_km`` from the origin, sharing ``weight`` of the homes."""
    spots: list[tuple[float, float]] = []
    while len(spots) < count:
        x, y = rng.uniform(-extent_km, extent_km), rng.uniform(-extent_km, extent_km)
        if math.hypot(x, y) < min_distance_km:
            continue
        if all(math.hypot(x - a, y - b) >= 3.0 for a, b in spots) or rng.random() < 0.02:
            spots.append((x, y))
    sizes = [rng.uniform(0.5, 1.5) for _ in spots]
    names = village_names(count, rng)
    return [
        Settlement(name, x, y, rng.uniform(0.3, 0.7), weight * s / sum(sizes), False)
        for name, (x, y), s in zip(names, spots, sizes)
    ]


def market_towns(
    count: int, spread_km: float, weight: float, name: str, rng: random.Random
) -> list[Settlement]:
    """Small towns near the middle of a rural area (non-drivers live here)."""
    out = [Settlement(name, 0.0, 0.0, 1.2, weight / count, True)]
    for suffix in ("North", "South", "East", "West")[: count - 1]:
        x, y = rng.uniform(-spread_km, spread_km), rng.uniform(-spread_km, spread_km)
        out.append(Settlement(f"{name} {suffix}", x, y, 1.2, weight / count, True))
    return out


def place_home(geography: Geography, rng: random.Random) -> Home:
    """A random home: in a settlement (weighted), or scattered over the area."""
    if rng.random() < geography.scatter:
        e = geography.extent_km
        x, y = rng.uniform(-e, e), rng.uniform(-e, e)
        near = min(geography.settlements, key=lambda s: math.hypot(s.x_km - x, s.y_km - y))
        address = f"{rng.choice(HOUSE_NAMES)}, near {near.name}"
        return Home(round(x, 3), round(y, 3), near.name, False, address)
    weights = [s.weight for s in geography.settlements]
    where = rng.choices(geography.settlements, weights)[0]
    r, angle = where.radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    x, y = where.x_km + r * math.cos(angle), where.y_km + r * math.sin(angle)
    address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {where.name}"
    return Home(round(x, 3), round(y, 3), where.name, where.town, address)


def lat_lon(x_km: float, y_km: float, origin: tuple[float, float]) -> tuple[float, float]:
    """km east/north of ``origin`` -> (lat, lon) degrees, rounded to about 1 m."""
    lat0, lon0 = origin
    lat = lat0 + y_km / 111.2
    lon = lon0 + x_km / (111.2 * math.cos(math.radians(lat0)))
    return round(lat, 5), round(lon, 5)


def zone_names(params: Params) -> tuple[str, ...]:
    """Postcode-like zone ids (``MA1``, ``MA2``...), or none."""
    prefix = params.town[:2].upper()
    return tuple(f"{prefix}{i + 1}" for i in range(params.zones))


def nearest_zone(home: Home, geography: Geography, zones: Sequence[str]) -> str:
    """The zone (a slice of the compass round the origin) holding the home; '' without zones."""
    if not zones:
        return ""
    angle = math.atan2(home.y_km, home.x_km) - geography.zone_angle
    return zones[int((angle % (2 * math.pi)) / (2 * math.pi) * len(zones))]


# ----------------------------------------------------------------------------- care plans


def hm(text: str) -> int:
    """``HH:MM`` -> minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


SLOTS = ("morning", "lunch", "tea", "bed")
"""The four daily call slots; a customer has at most one call in each."""

SLOT_STARTS: dict[str, tuple[tuple[str, int], ...]] = {
    "morning": (("07:15", 3), ("07:30", 3), ("07:45", 3), ("08:00", 3), ("08:15", 3),
                ("08:30", 3), ("08:45", 3), ("09:00", 3), ("09:15", 3), ("09:30", 2),
                ("09:45", 2), ("10:00", 1)),
    "lunch": (("11:45", 2), ("12:00", 3), ("12:15", 3), ("12:30", 3), ("12:45", 3),
              ("13:00", 3), ("13:15", 2), ("13:30", 2)),
    "tea": (("16:30", 2), ("16:45", 2), ("17:00", 3), ("17:15", 2), ("17:30", 2),
            ("17:45", 1)),
    "bed": (("19:00", 2), ("19:15", 2), ("19:30", 3), ("19:45", 3), ("20:00", 3), ("20:15", 3),
            ("20:30", 3), ("20:45", 2), ("21:00", 2)),
}
"""Preferred starts (weights) per slot: a bed call at 21:00 ends by 21:45 at the latest."""

MEDICATION_STARTS: dict[str, tuple[tuple[str, int], ...]] = {
    "morning": (("08:30", 1), ("09:00", 2), ("09:30", 2), ("10:00", 2), ("10:30", 1)),
    "lunch": (("12:00", 1), ("12:30", 2), ("13:00", 2), ("13:30", 1)),
    "tea": (("16:30", 1), ("17:00", 2), ("17:30", 2), ("18:00", 2)),
    "bed": (("19:00", 1), ("19:30", 1), ("20:00", 1), ("20:30", 1), ("21:00", 1)),
}
"""Preferred starts of a medication prompt in each slot, off the peaks of the other calls."""

DURATIONS: dict[str, tuple[tuple[int, int], ...]] = {
    "morning": ((45, 65), (60, 35)),
    "lunch": ((15, 50), (30, 50)),
    "tea": ((15, 60), (30, 40)),
    "bed": ((30, 1),),
    "medication": ((15, 80), (30, 20)),
    "shower": ((30, 3), (45, 4), (60, 3)),
    "social": ((60, 3), (90, 4), (120, 3)),
    "shopping": ((60, 1), (90, 2)),
    "cleaning": ((60, 1),),
    "sitting": ((60, 2), (90, 1), (120, 1)),
}
"""Visit lengths in minutes (weights); all multiples of 15."""


@dataclass(frozen=True)
class Kind:
    """Defaults of one visit type: hard window (None = policy), tolerance, priority, notes."""

    window: int | None
    tolerance: int | None
    priority: str
    notes: str


KINDS: dict[str, Kind] = {
    "morning": Kind(None, None, "normal", "get up: wash, dress, breakfast"),
    "lunch": Kind(None, 10, "normal", "lunch and a drink"),
    "tea": Kind(None, 10, "normal", "tea and a check"),
    "bed": Kind(None, None, "normal", "ready for bed"),
    "medication": Kind(None, 0, "critical", "medication prompt"),
    "shower": Kind(60, 30, "normal", "shower or bath"),
    "social": Kind(60, 60, "flexible", "companionship"),
    "shopping": Kind(60, 60, "flexible", "escorted shopping"),
    "cleaning": Kind(60, 60, "flexible", "household cleaning"),
    "sitting": Kind(30, 30, "normal", "sitting service"),
}

RECIPES: tuple[tuple[tuple[tuple[str, ...], int], ...], ...] = (
    (((), 2), (("medication",), 2), (("lunch",), 2), (("tea",), 1), (("bed",), 1)),
    ((("morning",), 5), (("morning", "bed"), 2), (("morning", "lunch"), 2), (("lunch", "tea"), 2),
     (("medication", "medication"), 1), (("lunch", "bed"), 1), (("lunch", "tea", "bed"), 1),
     (("morning", "medication"), 1)),
    ((("morning", "lunch", "bed"), 5), (("morning", "lunch", "tea", "bed"), 4),
     (("morning", "medication", "bed"), 2), (("morning", "medication", "medication", "bed"), 1)),
    ((("morning", "lunch", "tea", "bed"), 1),),
)
"""Daily calls per hours band (weights); ``medication`` takes a free slot."""

EXTRAS: tuple[tuple[tuple[str, float], ...], ...] = (
    (("shower", 0.35), ("social", 0.2), ("shopping", 0.1), ("cleaning", 0.15)),
    (("shower", 0.3), ("social", 0.08), ("shopping", 0.05), ("cleaning", 0.08)),
    (("shower", 0.55), ("social", 0.15), ("sitting", 0.05)),
    (("shower", 0.7), ("sitting", 0.8), ("social", 0.3)),
)
"""Chance of each weekly or daytime extra, per hours band."""

REMOTE_HOURS = (hm("07:45"), hm("20:30"))
"""Preferred starts of daily calls in villages and scattered homes: workers leave home at
07:00 at the earliest and are back by 22:00, so far-out calls start later and end earlier."""

FAMILY_WEEKENDS = 0.35
"""Share of customers whose family helps at weekends: their morning, lunch, tea and bed calls
are on weekdays only. An assumption (not in the seeds) that puts weekend demand at about two
thirds of a weekday's, in line with weekend worker availability (research 4.4)."""

DAYTIME = (hm("09:30"), hm("17:30"))
"""Extras (shower, social, shopping, cleaning, sitting) are placed in the customer's free time
inside these hours."""

DEFAULT_WINDOW = 15
"""The policy's default hard window each side of a preferred start (minutes)."""


@dataclass
class Call:
    """One recurring visit of a customer's plan (becomes one visits.csv row)."""

    kind: str
    days: tuple[int, ...]
    start: int
    duration: int
    window: int | None
    tolerance: int | None
    workers: int = 1
    skills: frozenset[str] = frozenset()
    min_gap: int = 0

    @property
    def minutes_per_week(self) -> int:
        return self.duration * len(self.days)

    def busy(self) -> tuple[int, int]:
        """Earliest start to latest end, minutes after midnight."""
        window = DEFAULT_WINDOW if self.window is None else self.window
        return self.start - window, self.start + window + self.duration


@dataclass
class Plan:
    """A customer's care plan: the hours band and the calls."""

    band: int
    calls: list[Call]
    punctual: bool = False
    dementia: bool = False
    peg: bool = False
    hoist: bool = False

    @property
    def hours(self) -> float:
        """Hours with the customer per week (a double-handed hour counted once)."""
        return sum(c.minutes_per_week for c in self.calls) / 60

    @property
    def instances(self) -> int:
        return sum(len(c.days) for c in self.calls)


def weighted(options: Sequence[tuple], rng: random.Random):
    """The first element of one (value, weight, ...) option, drawn by weight."""
    return rng.choices([o[0] for o in options], [o[1] for o in options])[0]


def hours_bands(params: Params, rng: random.Random) -> list[int]:
    """Each customer's band of ``HOURS_BANDS``: counts in the proportions of
    ``params.hours_mix`` (largest remainder first), in random order."""
    exact = [share * params.customers for share in params.hours_mix]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: params.customers - sum(counts)]:
        counts[i] += 1
    bands = [band for band, count in enumerate(counts) for _ in range(count)]
    rng.shuffle(bands)
    return bands


def draft_plan(
    band: int, remote: bool, params: Params, rng: random.Random, attempts: int = 60
) -> Plan:
    """A care plan whose weekly hours fall in the given band of ``HOURS_BANDS``; ``remote``
    (a village or a farm) keeps the daily calls inside ``REMOTE_HOURS``.

    Calls are drafted at random for the band until their hours fall inside it; after
    ``attempts`` tries the closest draft is kept.
    """
    family = rng.random() < FAMILY_WEEKENDS
    low, high = HOURS_BANDS[band]
    best, best_miss = None, math.inf
    for _ in range(attempts):
        calls = draft_calls(band, family, remote, params, rng)
        hours = sum(c.minutes_per_week for c in calls) / 60
        miss = max(0.0, low - hours, hours - high + 0.01)
        if miss < best_miss:
            best, best_miss = calls, miss
        if miss == 0:
            break
    plan = Plan(band, best)
    return dress_plan(plan, rng)


def draft_calls(
    band: int, family: bool, remote: bool, params: Params, rng: random.Random
) -> list[Call]:
    """Daily calls from the band's recipes, then extras in the free daytime; with ``family``
    at weekends, the slot calls are on weekdays only (medication prompts stay daily)."""
    kinds = sorted(weighted(RECIPES[band], rng), key=lambda k: k == "medication")
    free = list(SLOTS)
    calls = []
    for kind in kinds:
        slot = kind if kind in SLOTS else rng.choice(free)
        free.remove(slot)
        calls.append(daily_call(kind, slot, family, remote, params, rng))
    for kind, chance in EXTRAS[band]:
        if rng.random() < chance:
            extra = place_extra(kind, calls, params, rng)
            if extra is not None:
                calls.append(extra)
    if not calls:
        calls.append(place_extra("shower", calls, params, rng))
    return calls


def visit_length(kind: str, params: Params, rng: random.Random) -> int:
    """Minutes, at least the geography's minimum visit length."""
    return max(weighted(DURATIONS[kind], rng), MIN_VISIT_MIN[params.geography])


def daily_call(
    kind: str, slot: str, family: bool, remote: bool, params: Params, rng: random.Random
) -> Call:
    """A call in one of the four daily slots (a medication prompt may take any slot)."""
    starts = (MEDICATION_STARTS if kind == "medication" else SLOT_STARTS)[slot]
    if remote:
        low, high = REMOTE_HOURS
        starts = tuple(o for o in starts if low <= hm(o[0]) <= high)
    start = hm(weighted(starts, rng))
    window = KINDS[kind].window
    if kind in ("lunch", "tea") and rng.random() < 0.25:
        window = 30  # a one-hour window, as some purchasers allow (R21)
    days = call_days(kind, family, rng)
    return Call(kind, days, start, visit_length(kind, params, rng), window, KINDS[kind].tolerance)


def call_days(kind: str, family: bool, rng: random.Random) -> tuple[int, ...]:
    """Daily, except weekday-only calls where family helps at weekends, some lunches on
    weekdays only and some day-centre days without lunch or tea (R7)."""
    if family and kind in SLOTS:
        return tuple(range(5))
    if kind in ("lunch", "tea") and rng.random() < 0.1:
        centre_days = set(rng.sample(range(5), rng.randint(1, 2)))
        return tuple(d for d in range(7) if d not in centre_days)
    if kind == "lunch" and rng.random() < 0.1:
        return tuple(range(5))
    return tuple(range(7))


def extra_days(kind: str, rng: random.Random) -> tuple[int, ...]:
    """Weekday(s) of an extra: a shower once or twice a week, sitting daily or on weekdays."""
    if kind == "sitting":
        return tuple(range(7)) if rng.random() < 0.5 else tuple(range(5))
    if kind == "shower" and rng.random() < 0.3:
        first = rng.randint(0, 1)
        return (first, first + 3)
    return (rng.randint(0, 4),)


def place_extra(kind: str, calls: list[Call], params: Params, rng: random.Random) -> Call | None:
    """An extra in a daytime gap of the customer's calls (showers and cleaning mostly in the
    first one), with the widest window that fits (up to the kind's default); None if no gap
    is long enough."""
    duration = visit_length(kind, params, rng)
    days = extra_days(kind, rng)
    busy = [c.busy() for c in calls if set(c.days) & set(days)]
    gaps = [(a, b) for a, b in free_gaps(busy, *DAYTIME) if b - a >= duration + 30]
    if not gaps:
        return None
    morning_habit = kind in ("shower", "cleaning") and rng.random() < 0.7
    first, last = gaps[0] if morning_habit else rng.choice(gaps)
    window = min(KINDS[kind].window or DEFAULT_WINDOW, (last - first - duration) // 30 * 15)
    spare = last - first - duration - 2 * window
    start = first + window + 15 * rng.randint(0, spare // 15)
    return Call(kind, days, start, duration, window, KINDS[kind].tolerance)


def free_gaps(busy: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    """The parts of [low, high] outside every busy interval."""
    gaps, cursor = [], low
    for start, end in sorted(busy):
        if start > cursor:
            gaps.append((cursor, min(start, high)))
        cursor = max(cursor, end)
    if cursor < high:
        gaps.append((cursor, high))
    return [(a, b) for a, b in gaps if b > a]


def dress_plan(plan: Plan, rng: random.Random) -> Plan:
    """Customer traits: a punctual morning call, dementia, PEG feeding, medication with
    breakfast."""
    plan.punctual = rng.random() < 0.10  # about 10 % need a hard punctual time (research 4.7)
    plan.dementia = rng.random() < 0.10
    plan.peg = rng.random() < 0.02 and any(c.kind in SLOTS for c in plan.calls)
    mornings = [c for c in plan.calls if c.kind == "morning"]
    if plan.punctual and mornings:  # a guaranteed punctual rise (R23)
        mornings[0].window, mornings[0].tolerance = 0, 0
    for call in plan.calls:
        call.skills = call_skills(call, plan, rng)
    return plan


def call_skills(call: Call, plan: Plan, rng: random.Random) -> frozenset[str]:
    """Skills a call needs: medication prompts, dementia care, PEG feeding."""
    skills = set()
    if call.kind == "medication" or (call.kind == "morning" and rng.random() < 0.25):
        skills.add("medication")
    if plan.dementia and call.kind not in ("shopping", "cleaning"):
        skills.add("dementia")
    if plan.peg and call.kind in ("morning", "bed", "medication"):
        skills.add("peg")
    return frozenset(skills)


def mark_double_handed(plans: list[Plan], share: float, rng: random.Random) -> None:
    """Make the transfers of the most dependent customers double-handed, up to ``share`` of
    all visit instances; usually hoist transfers (R80 and the double-handed gap, section 5).

    Whole customers (morning and bed calls) are taken first, highest hours band first, then
    single showers to land close to the target.
    """
    target = round(share * sum(p.instances for p in plans))
    order = sorted(range(len(plans)), key=lambda i: (-plans[i].band, rng.random()))
    units = [(i, [c for c in plans[i].calls if c.kind in ("morning", "bed")]) for i in order]
    units += [(i, [c]) for i in order for c in plans[i].calls if c.kind == "shower"]
    marked = 0
    for i, calls in units:
        count = sum(len(c.days) for c in calls if c.workers == 1)
        if not count or marked + count > target:
            continue
        plan = plans[i]
        if not any(c.workers == 2 for c in plan.calls):
            plan.hoist = rng.random() < 0.85
        for call in calls:
            call.workers = 2
            if plan.hoist:
                call.skills = call.skills | {"hoist"}
        marked += count
        if marked == target:
            break


def set_medication_gaps(plans: list[Plan]) -> None:
    """Spacing after a medication prompt (``min_gap_after_min``): the room to the customer's
    next visit at its earliest, rounded down to 30 min, at most 4 h; none below 1 h."""
    for plan in plans:
        timeline = sorted(
            ((day * MINUTES_PER_DAY + c.busy()[0], day * MINUTES_PER_DAY + c.busy()[1], c)
             for c in plan.calls for day in c.days),
            key=lambda entry: entry[:2],
        )
        room: dict[int, int] = {}
        for (_, end, call), (next_start, _, _) in itertools.pairwise(timeline):
            if call.kind == "medication":
                room[id(call)] = min(room.get(id(call), 10**6), next_start - end)
        for call in plan.calls:
            gap = min(240, room.get(id(call), 240) // 30 * 30)
            call.min_gap = gap if call.kind == "medication" and gap >= 60 else 0


# ----------------------------------------------------------------------------- workforce


PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "split": (("07:00", "13:00"), ("16:30", "22:00")),
    "split_late": (("07:30", "14:00"), ("17:00", "22:00")),
    "split_short": (("07:00", "11:00"), ("17:00", "22:00")),
    "long_day": (("07:00", "15:30"),),
    "early": (("07:00", "14:30"),),
    "morning": (("07:00", "12:00"),),
    "daytime": (("09:30", "15:30"),),
    "day": (("08:00", "16:30"),),
    "afternoon": (("12:00", "18:00"),),
    "evening": (("16:00", "22:00"),),
    "late": (("12:00", "22:00"),),
}
"""Shifts of a working day. Every day lies in 07:00-22:00 (span <= 900 min, the policy's
``max_shift_span_min``) and 22:00 to 07:00 is 540 min (``min_rest_between_days_min``)."""


@dataclass(frozen=True)
class Archetype:
    """A kind of worker: contract, working days, shift patterns and hours."""

    contract: str
    weight: float
    day_count: tuple[int, int]
    weekend_chance: float
    patterns: tuple[tuple[str, int], ...]
    guarantee_chance: float
    guaranteed_hours: tuple[float, float]
    max_hours_week: float
    weekend_only: bool = False


ARCHETYPES = (
    Archetype("full-time", 0.35, (5, 5), 0.6,
              (("split", 5), ("long_day", 2), ("split_late", 2), ("day", 2), ("late", 2)),
              0.7, (30.0, 37.5), 48),
    Archetype("part-time", 0.35, (3, 5), 0.45,
              (("morning", 3), ("early", 3), ("split_short", 3), ("evening", 1), ("daytime", 2),
               ("afternoon", 1)),
              0.5, (10.0, 20.0), 30),
    Archetype("zero-hours", 0.22, (3, 5), 0.5,
              (("split", 3), ("early", 2), ("morning", 1), ("evening", 1), ("late", 1),
               ("afternoon", 1)),
              0.0, (0.0, 0.0), 40),
    Archetype("zero-hours", 0.08, (2, 2), 1.0, (("split", 1),), 0.0, (0.0, 0.0), 24,
              weekend_only=True),
)
"""Workforce mix (R43, R45, R47): many part-timers and split shifts, some weekend-only."""

SKILL_SHARES = {"medication": 0.65, "hoist": 0.55, "dementia": 0.35, "peg": 0.08}
"""Share of workers holding each skill before the eligibility repair."""

WORKER_GENDERS = (("female", 84), ("male", 15), ("other", 1))


@dataclass
class Recruit:
    """A worker being drafted: contract, days, shifts (minutes), home and group."""

    contract: str
    days: tuple[int, ...]
    shifts: tuple[tuple[int, int], ...]
    guaranteed_hours: float
    max_hours_week: float
    zone: str = ""
    transport: str = "car"
    gender: str = "female"
    skills: frozenset[str] = frozenset()
    home: Home | None = None

    def grid(self) -> list[list[float]]:
        """Available minutes per (day, clock hour)."""
        grid = empty_grid()
        for day in self.days:
            for start, end in self.shifts:
                add_interval(grid[day], start, end, 1)
        return grid

    @property
    def available_hours(self) -> float:
        return len(self.days) * sum(e - s for s, e in self.shifts) / 60


def empty_grid() -> list[list[float]]:
    """7 days x 24 clock hours of zeros."""
    return [[0.0] * 24 for _ in range(7)]


def add_interval(row: list[float], start: int, end: int, weight: float) -> None:
    """Add ``weight`` x the minutes of [start, end) falling in each clock hour of ``row``."""
    for hour in range(start // 60, (end - 1) // 60 + 1):
        overlap = min(end, hour * 60 + 60) - max(start, hour * 60)
        if overlap > 0:
            row[hour] += weight * overlap


def demand_grid(plans: Sequence[Plan]) -> list[list[float]]:
    """Visit worker-minutes per (day, clock hour), each visit spread evenly over three starts:
    the earliest, the preferred and the latest of its hard window."""
    grid = empty_grid()
    for plan in plans:
        for call in plan.calls:
            earliest, latest_end = call.busy()
            starts = (earliest, call.start, latest_end - call.duration)
            for day in call.days:
                for start in starts:
                    add_interval(grid[day], start, start + call.duration, call.workers / 3)
    return grid


def recruit_all(
    plans: list[Plan], homes: list[Home], zones: list[str], params: Params,
    geography: Geography, rng: random.Random,
) -> list[Recruit]:
    """Workers for every zone (or the whole caseload when there are no zones)."""
    recruits = []
    for zone in sorted(set(zones)):
        members = [i for i, z in enumerate(zones) if z == zone]
        group = recruit([plans[i] for i in members], params, rng)
        for worker in group:
            worker.zone = zone
            dress_worker(worker, [homes[i] for i in members], params, rng)
        recruits += group
    return recruits


def recruit(plans: Sequence[Plan], params: Params, rng: random.Random) -> list[Recruit]:
    """Add workers until the visits fit with room to spare. With the travel allowance added
    to the visits' worker-time (spread over their windows), it must be at most
    ``params.target_utilisation`` of the available worker time in every two consecutive
    hours of every day, at most all of it in every single hour, and at most the target share
    of the workers' weekly caps over the week.

    Each worker is of an archetype drawn from the mix; see ``draft_useful_worker``.

    Raises
    ------
    ValueError
        If some demand lies in hours no shift pattern covers.
    """
    with_travel = 1 + TRAVEL_ALLOWANCE[params.geography]
    demand = demand_grid(plans)
    need = profile(demand, with_travel / HOUR_UTILISATION, with_travel / params.target_utilisation)
    weekly_need = with_travel / params.target_utilisation * sum(map(sum, demand)) / 60
    capacity, workers = profile(empty_grid()), []
    for _ in range(10 * len(plans) + 50):
        short = {(d, h) for d, row in enumerate(need) for h, v in enumerate(row)
                 if v > capacity[d][h]}
        weekly = sum(min(w.available_hours, w.max_hours_week) for w in workers)
        if not short and weekly >= weekly_need and len(workers) >= 3:
            return workers
        worker = draft_useful_worker(short, need, capacity, rng)
        workers.append(worker)
        for d, row in enumerate(profile(worker.grid())):
            for i, minutes in enumerate(row):
                capacity[d][i] += minutes
    raise ValueError("visits outside the hours of every shift pattern; no workforce fits")


def profile(grid: list[list[float]], hour_factor: float = 1, block_factor: float = 1) -> list:
    """Per day: the 24 clock hours x ``hour_factor``, then the sums over every ``BLOCK_HOURS``
    consecutive hours x ``block_factor`` (entry 24 + h is the block starting at hour h)."""
    return [
        [v * hour_factor for v in row]
        + [sum(row[h:h + BLOCK_HOURS]) * block_factor for h in range(24 - BLOCK_HOURS + 1)]
        for row in grid
    ]


def profile_hour(index: int) -> int:
    """A clock hour inside profile entry ``index``."""
    return index if index < 24 else index - 24 + BLOCK_HOURS // 2


def draft_useful_worker(short, need, capacity, rng: random.Random, draws: int = 6) -> Recruit:
    """A worker of an archetype drawn from the mix (so contracts keep its proportions): of
    ``draws`` drafts, the one who fills most of the hours still short. If no draft of four
    archetypes in turn helps, a worker is made for the hour short of most capacity."""
    for _ in range(4):
        kind = rng.choices(ARCHETYPES, [a.weight for a in ARCHETYPES])[0]
        best, best_gain = None, 0.0
        for _ in range(draws):
            worker = draft_worker(rng, kind)
            if not short:
                return worker
            gain = shortfall_filled(worker, short, need, capacity)
            if gain > best_gain:
                best, best_gain = worker, gain
        if best is not None:
            return best
    day, hour = max(short, key=lambda cell: need[cell[0]][cell[1]] - capacity[cell[0]][cell[1]])
    hour = profile_hour(hour)
    patterns = [p for p, _ in ARCHETYPES[2].patterns if covers(PATTERNS[p], hour)]
    worker = draft_worker(rng, ARCHETYPES[2])
    worker.shifts = clock_shifts(PATTERNS[rng.choice(patterns or list(PATTERNS))])
    worker.days = tuple(sorted(set(worker.days) | {day}))
    return worker


def shortfall_filled(worker: Recruit, short, need, capacity) -> float:
    """Minutes of the (day, hour) shortfalls the worker's availability would fill."""
    grid = profile(worker.grid())
    return sum(min(grid[d][h], need[d][h] - capacity[d][h]) for d, h in short if grid[d][h])


def covers(pattern: tuple[tuple[str, str], ...], hour: int) -> bool:
    """Whether a shift pattern is available for part of the clock hour."""
    return any(hm(s) < (hour + 1) * 60 and hm(e) > hour * 60 for s, e in pattern)


def clock_shifts(pattern: tuple[tuple[str, str], ...]) -> tuple[tuple[int, int], ...]:
    return tuple((hm(s), hm(e)) for s, e in pattern)


def draft_worker(rng: random.Random, archetype: Archetype | None = None) -> Recruit:
    """Contract, working days, shifts and hours of one worker."""
    kind = archetype or rng.choices(ARCHETYPES, [a.weight for a in ARCHETYPES])[0]
    days = working_days(kind, rng)
    shifts = clock_shifts(PATTERNS[weighted(kind.patterns, rng)])
    available = len(days) * sum(e - s for s, e in shifts) / 60
    guaranteed = 0.0
    if rng.random() < kind.guarantee_chance:
        wanted = rng.uniform(*kind.guaranteed_hours)
        guaranteed = math.floor(min(wanted, 0.6 * available) * 2) / 2  # banded hours (R43)
    return Recruit(kind.contract, days, shifts, guaranteed, kind.max_hours_week)


def working_days(kind: Archetype, rng: random.Random) -> tuple[int, ...]:
    """Working days: weekend-only, or a number of days that includes the weekend by chance."""
    if kind.weekend_only:
        return (5, 6)
    count = rng.randint(*kind.day_count)
    if count >= 3 and rng.random() < kind.weekend_chance:
        return tuple(sorted([*rng.sample(range(5), count - 2), 5, 6]))
    return tuple(sorted(rng.sample(range(5), min(count, 5))))


def dress_worker(worker: Recruit, homes: list[Home], params: Params, rng: random.Random) -> None:
    """Transport, gender, skills and a home near the customers (non-drivers in town)."""
    if rng.random() >= CAR_SHARE[params.geography]:
        worker.transport = rng.choices(("walk", "bike", "public"), (3, 3, 4))[0]
    worker.gender = weighted(WORKER_GENDERS, rng)
    worker.skills = frozenset(s for s, share in SKILL_SHARES.items() if rng.random() < share)
    worker.home = worker_home(worker.transport, homes, params, rng)


def worker_home(transport: str, homes: list[Home], params: Params, rng: random.Random) -> Home:
    """Drivers live near a random customer; others near the centre of the town."""
    if transport == "car":
        base, jitter = rng.choice(homes), (2.0 if params.geography == "rural" else 1.0)
    else:
        town = sorted((h for h in homes if h.town), key=lambda h: math.hypot(h.x_km, h.y_km))
        central = town[: max(1, len(town) // 2)] or homes
        base, jitter = rng.choice(central), 0.3
    x = base.x_km + rng.uniform(-jitter, jitter)
    y = base.y_km + rng.uniform(-jitter, jitter)
    return Home(round(x, 3), round(y, 3), base.place, base.town, "")


# ----------------------------------------------------------------------------- models


CUSTOMER_FIRST = (
    "Edith", "Joan", "Margaret", "Dorothy", "Irene", "Elsie", "Doris", "Vera", "Phyllis",
    "Audrey", "Betty", "Jean", "Kathleen", "Mavis", "Sheila", "Brenda", "Pauline", "Maureen",
    "Eileen", "Gladys", "Hilda", "Ivy", "Winifred", "Sylvia", "Barbara", "Valerie", "Rita",
    "Marjorie", "Arthur", "Harold", "Albert", "Frank", "Walter", "Ernest", "Stanley", "Leonard",
    "Dennis", "Kenneth", "Ronald", "Norman", "Cyril", "Reginald", "Derek", "Bernard",
    "Raymond", "Geoffrey", "Eric", "Gordon",
)
WORKER_FIRST = {
    "female": ("Sarah", "Emma", "Claire", "Lisa", "Joanne", "Michelle", "Kelly", "Nicola",
               "Donna", "Amy", "Rachel", "Gemma", "Natalie", "Laura", "Hannah", "Chloe", "Jade",
               "Priya", "Aisha", "Agnieszka", "Grace", "Joy", "Blessing", "Marta", "Ioana",
               "Fatima", "Zainab", "Tracey", "Sharon", "Dawn", "Karen", "Julie", "Leanne",
               "Kirsty", "Sophie", "Megan", "Bev", "Lorraine"),
    "male": ("Daniel", "James", "Tom", "Ryan", "Mark", "Adam", "Kwame", "Tomasz", "Samuel",
             "Mohammed", "Paul", "Lee", "Craig", "Dev"),
}
WORKER_FIRST["other"] = ("Alex", "Sam", "Jo", "Charlie")
SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward",
    "Morris", "King", "Harris", "Baker", "Lewis", "Martin", "Allen", "Mitchell", "Bell", "Shaw",
    "Harrison", "Marsh", "Fletcher", "Pearson", "Holmes", "Barker", "Lloyd", "Atkinson", "Webb",
    "Chapman", "Dixon", "Foster", "Ellis", "Kaur", "Begum", "Patel", "Nowak", "Okafor",
    "Mensah", "Kowalski", "Ahmed", "Hussain", "Khan", "Bennett", "Gray", "Russell", "Murphy",
    "Kelly", "Sutton", "Briggs", "Ashworth", "Pickering", "Lomax",
)


def make_id(prefix: str, number: int, total: int, width: int) -> str:
    """``C001``, ``W01``, ``V0001``: zero-padded to fit ``total``."""
    return f"{prefix}{number:0{max(width, len(str(total)))}d}"


def person_name(first_names: Sequence[str], used: set[str], rng: random.Random) -> str:
    """An invented full name, distinct from the ones used so far when possible."""
    for _ in range(20):
        name = f"{rng.choice(first_names)} {rng.choice(SURNAMES)}"
        if name not in used:
            break
    used.add(name)
    return name


def assemble(
    params: Params, geography: Geography, homes: list[Home], zones: list[str],
    plans: list[Plan], recruits: list[Recruit], rng: random.Random,
) -> Caseload:
    """The draft caseload (cross checks skipped; ``finish`` runs them)."""
    providers = dict(zip(zone_names(params), PROVIDERS))
    names: set[str] = set()
    customers, visits = [], []
    templates = sum(len(plan.calls) for plan in plans)
    for i, (home, zone, plan) in enumerate(zip(homes, zones, plans)):
        customer_id = make_id("C", i + 1, len(homes), 3)
        lat, lon = lat_lon(home.x_km, home.y_km, geography.origin)
        customers.append(Customer(
            customer_id=customer_id, name=person_name(CUSTOMER_FIRST, names, rng), lat=lat,
            lon=lon, zone=zone, provider=providers.get(zone, ""), address=home.address,
            max_team_size=team_cap(plan, rng), gender_preference=gender_preference(rng),
        ))
        for call in sorted(plan.calls, key=lambda c: (c.start, c.days)):
            visit_id = make_id("V", len(visits) + 1, templates, 4)
            visits.append(visit_template(visit_id, customer_id, call))
    workers, availability = [], []
    for i, recruit_ in enumerate(recruits):
        worker = worker_model(make_id("W", i + 1, len(recruits), 2), recruit_, geography, names,
                              providers, rng)
        workers.append(worker)
        availability += [
            AvailabilityRow(worker_id=worker.worker_id, day=recruit_.days, start=s, end=e)
            for s, e in recruit_.shifts
        ]
    return Caseload.model_validate(
        {"name": f"{params.name}, week of {WEEK_START}", "week_start": WEEK_START,
         "customers": customers, "visits": visits, "workers": workers,
         "availability": availability},
        context={"skip_cross_checks": True},
    )


def team_cap(plan: Plan, rng: random.Random) -> int | None:
    """Per-customer team cap: 6 with ten or more double-handed visits a week (pairs of three
    or four main workers), 4 for other double-handed packages, those of 10 h or more (R29)
    and those with visits twice a day every day (cover for days off, R30), 2 for a few who
    want very few workers (R33); None = the policy default (3)."""
    double = sum(len(c.days) for c in plan.calls if c.workers == 2)
    if double >= 10:
        return 6
    if double or plan.hours >= 10 or plan.instances >= 14:
        return 4
    if plan.instances <= 3 and rng.random() < 0.3:
        return 2
    return None


def gender_preference(rng: random.Random) -> str:
    """About 8 % of customers accept female workers only (an assumption; section 5)."""
    return "female" if rng.random() < 0.08 else ""


def visit_template(visit_id: str, customer_id: str, call: Call) -> VisitTemplate:
    kind = KINDS[call.kind]
    return VisitTemplate(
        visit_id=visit_id, customer_id=customer_id, days=call.days, start=call.start,
        duration_min=call.duration, window_before_min=call.window,
        window_after_min=call.window, tolerance_min=call.tolerance,
        workers_required=call.workers, skills=tuple(sorted(call.skills)),
        priority=kind.priority, type=call.kind, min_gap_after_min=call.min_gap,
        notes=kind.notes,
    )


def worker_model(
    worker_id: str, recruit_: Recruit, geography: Geography, names: set[str],
    providers: dict[str, str], rng: random.Random,
) -> Worker:
    lat, lon = lat_lon(recruit_.home.x_km, recruit_.home.y_km, geography.origin)
    return Worker(
        worker_id=worker_id, name=person_name(WORKER_FIRST[recruit_.gender], names, rng),
        lat=lat, lon=lon, transport=recruit_.transport, gender=recruit_.gender,
        skills=tuple(sorted(recruit_.skills)), provider=providers.get(recruit_.zone, ""),
        zones=(recruit_.zone,) if recruit_.zone else (),
        min_hours_week=recruit_.guaranteed_hours, max_hours_week=recruit_.max_hours_week,
        contract=recruit_.contract,
    )


# ----------------------------------------------------------------------------- repair


def repair_eligibility(caseload: Caseload, rng: random.Random) -> Caseload:
    """Make every visit instance coverable with a spare: ``workers_required + 1`` eligible
    workers whose shift can hold it, travel from and to home included, wherever the zone has
    that many workers who may serve the customer.

    First availability rows are stretched a little where too few such workers work at the
    visit's time (``stretch_shifts``); where that is not enough, a local worker is recruited
    (``recruit_locals``, rare: remote farms); then a female-only preference that still cannot
    be met is dropped; last, missing skills are granted (``grant_skills``).
    """
    legs = HomeLegs.of(caseload)
    caseload = stretch_shifts(caseload, legs)
    reach = reachable_workers(caseload, eligible_workers(caseload, ignore_skills=True), legs)
    locals_ = recruit_locals(caseload, reach, rng)
    if locals_ is not caseload:
        caseload, legs = locals_, HomeLegs.of(locals_)
        reach = reachable_workers(caseload, eligible_workers(caseload, ignore_skills=True), legs)
    dropped = unmet_gender_preferences(caseload, reach)
    if dropped:
        caseload = redraft(caseload, customers=[
            c.model_copy(update={"gender_preference": ""}) if c.customer_id in dropped else c
            for c in caseload.customers
        ])
        reach = reachable_workers(caseload, eligible_workers(caseload, ignore_skills=True), legs)
    held = grant_skills(caseload, reach, rng)
    return redraft(caseload, workers=[
        w.model_copy(update={"skills": tuple(sorted(held[w.worker_id]))}) for w in caseload.workers
    ])


def redraft(caseload: Caseload, **tables) -> Caseload:
    """The draft caseload with some tables replaced (cross checks skipped)."""
    data = {**caseload.model_dump(), **tables}
    return Caseload.model_validate(data, context={"skip_cross_checks": True})


STRETCH_LIMIT_MIN = 60
"""The most an availability row is lengthened to let a worker reach a visit, minutes."""

DAY_HOURS = (hm("07:00"), hm("22:00"))
"""Every availability row stays inside these hours (span and rest rules, see ``PATTERNS``)."""


def stretch_shifts(caseload: Caseload, legs: HomeLegs) -> Caseload:
    """Lengthen availability rows where a visit instance has fewer workers who may serve its
    customer (skills aside) and can reach it within a shift than it needs plus one: each time
    the row needing the least extension, by at most ``STRETCH_LIMIT_MIN`` and inside
    ``DAY_HOURS``, never into the worker's other row of the day."""
    rows = [[a.worker_id, a.day, a.start, a.end] for a in caseload.availability]
    rows_of = defaultdict(list)
    for i, row in enumerate(rows):
        rows_of[row[0]].append(i)
    compatible = eligible_workers(caseload, ignore_skills=True)
    stretched = False
    for visit in caseload.instances:
        pool = compatible[visit.template_id]
        need = min(visit.workers_required + 1, len(pool))
        reach = []
        for worker_id in pool:
            if row_reaching(rows, rows_of[worker_id], visit, legs):
                reach.append(worker_id)
                if len(reach) == need:
                    break
        while len(reach) < need:
            best = cheapest_stretch(rows, rows_of, visit, [w for w in pool if w not in reach],
                                    legs)
            if best is None:
                break
            worker_id, i, start, end = best
            rows[i][2:] = [start, end]
            reach.append(worker_id)
            stretched = True
    if not stretched:
        return caseload
    return redraft(caseload, availability=[
        AvailabilityRow(worker_id=w, day=days, start=start, end=end)
        for w, days, start, end in rows
    ])


def clock_window(visit) -> tuple[int, int]:
    """(earliest start, latest end) of a visit instance, minutes after midnight."""
    base = visit.day * MINUTES_PER_DAY
    return visit.earliest - base, visit.latest - base + visit.duration_min


def row_reaching(rows, indexes, visit, legs: HomeLegs) -> bool:
    """Whether one of these availability rows can hold the visit with the legs from home."""
    out, back = legs.legs(rows[indexes[0]][0], visit.customer_id) if indexes else (0, 0)
    earliest, latest_end = clock_window(visit)
    latest = latest_end - visit.duration_min
    return any(
        visit.day in rows[i][1] and rows[i][2] + out <= latest
        and rows[i][3] >= earliest + visit.duration_min + back
        for i in indexes
    )


def cheapest_stretch(rows, rows_of, visit, workers, legs: HomeLegs):
    """(worker, row index, new start, new end) of the smallest allowed extension that lets a
    worker reach the visit, or None."""
    earliest, latest_end = clock_window(visit)
    latest = latest_end - visit.duration_min
    options = []
    for worker_id in workers:
        out, back = legs.legs(worker_id, visit.customer_id)
        for i in rows_of[worker_id]:
            _, days, start, end = rows[i]
            if visit.day not in days:
                continue
            new_start = min(start, (latest - out) // 15 * 15)
            new_end = max(end, -(-(earliest + visit.duration_min + back) // 15) * 15)
            extension = (start - new_start) + (new_end - end)
            clear = all(
                new_end <= rows[j][2] or new_start >= rows[j][3]
                for j in rows_of[worker_id] if j != i and set(rows[j][1]) & set(days)
            )
            if (extension <= STRETCH_LIMIT_MIN and clear and new_start >= DAY_HOURS[0]
                    and new_end <= DAY_HOURS[1]):
                options.append((extension, worker_id, i, new_start, new_end))
    if not options:
        return None
    _, worker_id, i, start, end = min(options)
    return worker_id, i, start, end


LOCAL_PATTERNS = ("split", "early", "long_day", "day", "late", "evening")
"""Shift patterns tried, in order, for a worker recruited next to a hard-to-reach customer."""


def recruit_locals(caseload: Caseload, reach: dict[str, list[str]], rng) -> Caseload:
    """Add a zero-hours worker living next to the customer for each worker a visit instance
    still lacks (zone, provider, gender and bans allowing; skills are granted later): on the
    template's days, with the first of ``LOCAL_PATTERNS`` holding it with 15 minutes of
    travel each way. ``reach``: the workers who may serve each instance (skills aside) and
    can reach it. The same caseload comes back if none is needed."""
    lacking: dict[str, tuple[int, object]] = {}
    for visit in caseload.instances:
        short = visit.workers_required - len(reach[visit.id])
        if short > lacking.get(visit.template_id, (0, None))[0]:
            lacking[visit.template_id] = (short, visit)
    workers, availability = list(caseload.workers), list(caseload.availability)
    names = {w.name for w in caseload.workers} | {c.name for c in caseload.customers}
    for template_id, (count, visit) in sorted(lacking.items()):
        days = caseload.template_by_id[template_id].days
        for _ in range(count):
            worker = local_worker(caseload, visit.customer_id, len(workers) + 1, names, rng)
            workers.append(worker)
            availability += [
                AvailabilityRow(worker_id=worker.worker_id, day=days, start=start, end=end)
                for start, end in clock_shifts(PATTERNS[local_pattern(visit)])
            ]
    if len(workers) == len(caseload.workers):
        return caseload
    return redraft(caseload, workers=workers, availability=availability)


def local_worker(caseload: Caseload, customer_id: str, number: int, names, rng) -> Worker:
    """A driver living about half a kilometre from the customer."""
    customer = caseload.customer_by_id[customer_id]
    gender = customer.gender_preference or "female"
    return Worker(
        worker_id=make_id("W", number, number, 2),
        name=person_name(WORKER_FIRST[gender], names, rng),
        lat=round(customer.lat + rng.uniform(-0.004, 0.004), 5),
        lon=round(customer.lon + rng.uniform(-0.006, 0.006), 5),
        gender=gender, provider=customer.provider,
        zones=(customer.zone,) if customer.zone else (), max_hours_week=40,
        contract="zero-hours",
    )


def local_pattern(visit) -> str:
    """The first of ``LOCAL_PATTERNS`` whose shifts hold the visit instance with 15 minutes of
    travel each way."""
    earliest, latest_end = clock_window(visit)
    latest = latest_end - visit.duration_min
    for name in LOCAL_PATTERNS:
        if any(start + 15 <= latest and end >= earliest + visit.duration_min + 15
               for start, end in clock_shifts(PATTERNS[name])):
            return name
    return "split"


def unmet_gender_preferences(caseload: Caseload, reach: dict[str, list[str]]) -> set[str]:
    """Customers with a gender preference one of whose visits too few such workers can reach
    (``reach`` as in ``recruit_locals``)."""
    return {
        visit.customer_id
        for visit in caseload.instances
        if len(reach[visit.id]) < visit.workers_required
        and caseload.customer_by_id[visit.customer_id].gender_preference
    }


def grant_skills(caseload: Caseload, reach: dict[str, list[str]], rng) -> dict[str, set[str]]:
    """Each worker's skills after topping up, for every instance, the holders among the
    workers who may serve it and can reach it (``reach``, skills aside) to
    ``workers_required + 1``."""
    held = {w.worker_id: set(w.skills) for w in caseload.workers}
    for visit in caseload.instances:
        available = reach[visit.id]
        needed = set(visit.skills)
        need = min(visit.workers_required + 1, len(available))
        holders = [w for w in available if needed <= held[w]]
        lacking = [w for w in available if not needed <= held[w]]
        rng.shuffle(lacking)
        for worker_id in lacking[: max(0, need - len(holders))]:
            held[worker_id] |= needed
    return held


# ----------------------------------------------------------------------------- last week


NEARBY_MIN = 60
"""Last week's workers of a customer live at most this many minutes away from them."""


@dataclass
class Diary:
    """Who is busy when, while last week's rota is drafted: (worker, day) -> intervals."""

    busy: dict[tuple[str, int], list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def free(self, worker_id: str, day: int, start: int, end: int, margin: int = 15) -> bool:
        return all(
            end + margin <= s or start >= e + margin for s, e in self.busy[(worker_id, day)]
        )

    def free_for(self, worker_id: str, visit) -> bool:
        """Whether the worker is free for the visit at its preferred start."""
        start = visit.preferred_start - visit.day * MINUTES_PER_DAY
        return self.free(worker_id, visit.day, start, start + visit.duration_min)

    def book(self, worker_id: str, day: int, start: int, end: int) -> None:
        self.busy[(worker_id, day)].append((start, end))


def previous_rota(
    caseload: Caseload, travel: TravelMatrix, legs: HomeLegs, rng: random.Random
) -> tuple[Assignment, ...]:
    """Last week's rota: each customer's visits by a small team of nearby eligible workers,
    with cover from the customer's earlier cover workers, then the nearest others, when no
    member is free (R27-R32), within the customer's team cap (one cover worker beyond it when
    the team fills it). Customers with double-handed visits and large packages are planned
    first. Each visit lies inside one of its workers' shifts, at the start nearest the
    preferred one; an instance nobody could take is left out (unassigned last week)."""
    eligible = eligible_workers(caseload)
    shifts = shifts_by_worker_day(caseload)
    diary = Diary()
    rows: list[tuple[str, object, int]] = []
    by_customer = defaultdict(list)
    for instance in caseload.instances:
        by_customer[instance.customer_id].append(instance)
    for customer_id in planning_order(by_customer):
        instances = sorted(by_customer[customer_id], key=lambda v: v.preferred_start)
        nearby = nearby_workers(caseload, customer_id, instances, eligible, travel)
        team = choose_team(caseload, customer_id, instances, nearby, shifts, legs, diary, rng)
        seen: list[str] = []
        cover_cap = max(1, caseload.team_cap(customer_id) - len(team))
        for instance in instances:
            others = [w for w in nearby if w not in team and w not in seen]
            pool = team + seen + (others[:30] if len(seen) < cover_cap else [])
            pool = [w for w in pool if w in eligible[instance.template_id]]
            chosen, start = pick_workers(instance, pool, team, shifts, legs, diary, rng)
            for worker_id in chosen:
                rows.append((worker_id, instance, start))
                if worker_id not in team and worker_id not in seen:
                    seen.append(worker_id)
    return tuple(with_travel(caseload, rows, shifts, travel))


def planning_order(by_customer: dict[str, list]) -> list[str]:
    """Customers with double-handed visits first, then by weekly minutes, most first."""
    def key(customer_id):
        instances = by_customer[customer_id]
        double = any(v.workers_required > 1 for v in instances)
        return (not double, -sum(v.duration_min for v in instances), customer_id)

    return sorted(by_customer, key=key)


def nearby_workers(caseload, customer_id, instances, eligible, travel: TravelMatrix) -> list[str]:
    """Workers eligible for any of the customer's visits who live within ``NEARBY_MIN`` of
    them (at least the three nearest), nearest first by their own transport."""
    here = travel.index[customer_id]
    pool = {w for v in instances for w in eligible[v.template_id]}

    def minutes(worker_id: str) -> int:
        mode = caseload.worker_by_id[worker_id].transport
        return int(travel.minutes[mode][travel.index[worker_id], here])

    ranked = sorted(pool, key=lambda w: (minutes(w), w))
    return [w for i, w in enumerate(ranked) if i < 3 or minutes(w) <= NEARBY_MIN]


def choose_team(caseload, customer_id, instances, nearby, shifts, legs, diary, rng) -> list[str]:
    """The customer's regular workers (R29): one below 4 h a week, two below 10 h, else three
    (two at least with double-handed visits; never above the team cap). Picked one by one
    from the ten nearest, each time the one who could take (on shift and not yet busy) most of
    the visits still open, nearer ones first on ties."""
    hours = sum(v.duration_min for v in instances) / 60
    size = 1 if hours < 4 else 2 if hours < 10 else 3
    if any(v.workers_required > 1 for v in instances):
        size = max(size, 3)
    size = min(size, caseload.team_cap(customer_id))
    open_slots = {v.id: v.workers_required for v in instances}
    candidates, team = list(nearby[:10]), []
    while candidates and len(team) < size:
        def takes(worker_id: str) -> list:
            out_back = legs.legs(worker_id, customer_id)
            return [
                v for v in instances
                if open_slots[v.id] and diary.free_for(worker_id, v)
                and any(fits_shift(s, v, *out_back) for s in shifts.get((worker_id, v.day), ()))
            ]

        scored = [(len(takes(w)) * (1 - 0.03 * rank) + rng.random(), w)
                  for rank, w in enumerate(candidates)]
        score, best = max(scored)
        if score < 1:
            break
        for v in takes(best):
            open_slots[v.id] -= 1
        team.append(best)
        candidates.remove(best)
    return team


def pick_workers(instance, pool, team, shifts, legs, diary: Diary, rng) -> tuple[list[str], int]:
    """The worker(s) for one instance and their start (minutes after midnight).

    The start is the one nearest the preferred start, on the quarter hour inside the window,
    at which enough workers of the pool have a shift holding the whole visit with the legs
    from and to home, and nothing else booked; team members (the first one most often) come
    before the others. ([], 0) if no start works.
    """
    members = [w for w in dict.fromkeys(pool) if w in team]
    rng.shuffle(members)
    members.sort(key=lambda w: team.index(w) if rng.random() < 0.6 else len(team))
    ranked = members + [w for w in dict.fromkeys(pool) if w not in team]
    day, base = instance.day, instance.day * MINUTES_PER_DAY
    home = {w: legs.legs(w, instance.customer_id) for w in ranked}
    for start in window_starts(instance):
        end = start + instance.duration_min
        free = [
            w for w in ranked
            if diary.free(w, day, start, end) and any(
                s.start + home[w][0] <= base + start and base + end + home[w][1] <= s.end
                for s in shifts.get((w, day), ())
            )
        ]
        if len(free) >= instance.workers_required:
            chosen = free[: instance.workers_required]
            for worker_id in chosen:
                diary.book(worker_id, day, start, end)
            return chosen, start
    return [], 0


def window_starts(instance) -> list[int]:
    """Quarter-hour starts inside the hard window, nearest the preferred start first
    (minutes after midnight)."""
    base = instance.day * MINUTES_PER_DAY
    preferred = instance.preferred_start - base
    starts = range(instance.earliest - base, instance.latest - base + 1, 15)
    return sorted(starts, key=lambda start: (abs(start - preferred), start))


def with_travel(caseload, rows, shifts, travel: TravelMatrix) -> list[Assignment]:
    """Assignments with the leg that brought each worker: from the previous visit in the same
    shift, else from home. Ordered by worker, day, start."""
    out = []
    by_worker = defaultdict(list)
    for worker_id, instance, start in rows:
        by_worker[worker_id].append((instance.day, start, instance))
    for worker in caseload.workers:
        mode, previous = worker.transport, None
        for day, start, instance in sorted(by_worker[worker.worker_id], key=lambda r: r[:2]):
            moment = day * MINUTES_PER_DAY + start
            shift = next((s for s in shifts.get((worker.worker_id, day), ())
                          if s.start <= moment < s.end), None)
            same_run = previous is not None and shift is not None and previous[1] == shift
            a = travel.index[previous[0] if same_run else worker.worker_id]
            b = travel.index[instance.customer_id]
            out.append(Assignment(
                visit_id=instance.id, customer_id=instance.customer_id,
                worker_id=worker.worker_id, day=day, start=start,
                end=start + instance.duration_min, travel_min=int(travel.minutes[mode][a, b]),
                travel_km=round(float(travel.km[mode][a, b]), 2),
            ))
            previous = (instance.customer_id, shift)
    return out


def choose_preferences(
    caseload: Caseload, rota: tuple[Assignment, ...], legs: HomeLegs, rng: random.Random
) -> tuple[Preference, ...]:
    """Named regular workers: for a third of the customers with 4 h or more, their most
    frequent worker last week. Bans: 5 % of the customers (at least one) exclude one worker
    from outside last week's team (R34, research 4.7). Ordered by customer."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rota:
        counts[row.customer_id][row.worker_id] += 1
    hours, by_customer = Counter(), defaultdict(list)
    for instance in caseload.instances:
        hours[instance.customer_id] += instance.duration_min / 60
        by_customer[instance.customer_id].append(instance)
    served = [c.customer_id for c in caseload.customers if counts[c.customer_id]]
    large = [cid for cid in served if hours[cid] >= 4]
    regular = set(rng.sample(large, round(len(large) / 3)))
    out = {
        cid: Preference(customer_id=cid, worker_id=most_frequent(counts[cid]), kind="regular")
        for cid in regular
    }
    reach = reachable_workers(caseload, eligible_workers(caseload), legs)
    others = [cid for cid in served if cid not in regular]
    rng.shuffle(others)
    bans = max(1, round(0.05 * len(caseload.customers)))
    for cid in others:
        if bans == 0:
            break
        banned = ban_candidate(by_customer[cid], set(counts[cid]), reach, rng)
        if banned:
            out[cid] = Preference(customer_id=cid, worker_id=banned, kind="banned")
            bans -= 1
    return tuple(out[cid] for cid in served if cid in out)


def most_frequent(counts: Counter) -> str:
    """The most frequent worker, the lowest id on ties."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def ban_candidate(instances, team, reach, rng) -> str | None:
    """A worker outside last week's team whose ban leaves every visit of the customer one
    eligible worker more than it needs who can reach it within a shift."""
    available = {v.id: set(reach[v.id]) for v in instances}
    pool = sorted(set().union(*available.values()) - team)
    rng.shuffle(pool)
    for worker_id in pool:
        if all(len(available[v.id] - {worker_id}) > v.workers_required for v in instances):
            return worker_id
    return None


def finish(
    draft: Caseload, rota: tuple[Assignment, ...], preferences: tuple[Preference, ...]
) -> Caseload:
    """The final caseload, through the model's cross checks."""
    data = draft.model_dump()
    data["previous_rota"] = [row.model_dump() for row in rota]
    data["preferences"] = [p.model_dump() for p in preferences]
    return Caseload.model_validate(data)

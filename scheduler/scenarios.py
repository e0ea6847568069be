"""Planner scenarios: one base caseload, several rule changes, each a pure caseload transform.

A scenario file (YAML, docs/scenarios.md) names a base caseload and a list of scenarios. A
scenario is a name plus overrides of five kinds, each applied by one small pure function
``(Caseload, changes) -> Caseload`` listed in ``TRANSFORMS``, always in this order:

1. ``policy``  (``apply_policy``): caseload.yaml policy values (windows, team size, span, rest);
   first, because the later transforms read the policy (shift trimming, visit windows).
2. ``visits``  (``apply_visit_rules``): a minimum visit length, then rounding every length up to
   a multiple of N minutes.
3. ``shifts``  (``apply_shift_rules``): split shifts allowed, merged into one continuous row, or
   only each worker-day's first row kept.
4. ``market``  (``apply_market``): zone providers, open market, or one provider per customer.
5. ``costs``   (``apply_costs``): pay, paid travel, mileage, weekend premium, fee.

Every transform returns a new caseload through ``Caseload.replace`` (validated and cross-checked
again); the base is never changed. ``one_provider_per_customer`` is a two-stage scenario: the
market transform gives the open market (workers keep their providers), the compare runner
solves it, ``providers_by_majority`` gives each customer the provider of most of their visits,
and the runner solves again (scheduler.compare).

Errors in a scenario file or a transform raise ``ScenarioError`` (a CaseloadError, so the CLI
shows it as bad input), naming the YAML file and the key.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Tag,
    ValidationError,
    field_validator,
)

from models import MINUTES_PER_DAY, AvailabilityRow, Caseload, Rota
from models.base import Frozen
from models.result import SolveParams
from scheduler.io.errors import CaseloadError, InputProblem

KM_PER_DEGREE = 111.195
"""Km per degree of latitude (Earth radius 6371.0088 km), for the flat zone geometry."""

DEFAULT_TIME_LIMIT_S = 60.0
"""Seconds per solve when neither the command line nor the file gives a time limit."""

DEFAULT_SEED = 1
"""Seed of every solve when neither the command line nor the file gives one."""

KMEANS_MAX_ROUNDS = 100
"""Lloyd rounds of the zone k-means before it stops (it usually settles in a few)."""


class ScenarioError(CaseloadError):
    """A scenario file or a transform cannot be used: file, key and what is wrong."""

    def __init__(self, file: str | Path, key: str, rule: str, message: str):
        super().__init__([InputProblem(str(file), None, key, rule, message)])


class TransformError(ValueError):
    """A transform cannot apply to this caseload; ``key`` is the override key at fault."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(message)


# ----------------------------------------------------------------------------- overrides


class PolicyChanges(Frozen):
    """``policy:`` overrides: any caseload.yaml policy value, and how customers' own team caps
    meet a new ``max_team_size``."""

    window_before_min: NonNegativeInt | None = Field(
        None, description="default hard window before the preferred start, minutes")
    window_after_min: NonNegativeInt | None = Field(
        None, description="default hard window after the preferred start, minutes")
    punctuality_tolerance_min: NonNegativeInt | None = Field(
        None, description="deviation from the preferred start that costs nothing, minutes")
    max_team_size: PositiveInt | None = Field(
        None, description="default cap on distinct workers per customer in the week")
    max_shift_span_min: PositiveInt | None = Field(
        None, description="first visit start to last visit end of a worker's day, minutes")
    min_rest_between_days_min: NonNegativeInt | None = Field(
        None, description="last visit end to next day's first visit start, minutes")
    customer_team_caps: Literal["keep", "lower", "replace"] = Field(
        "keep",
        description="customers.csv max_team_size values: keep them; lower those above the "
        "policy cap to it; or replace them all by the policy cap. Default keep.",
    )


class VisitRules(Frozen):
    """``visits:`` rules on commissioned lengths: first the minimum, then the rounding."""

    min_length_min: PositiveInt | None = Field(
        None, description="every visit lasts at least this long, minutes")
    round_up_to_min: Annotated[int, Field(gt=0, le=240)] | None = Field(
        None, description="lengths rounded up to a multiple of this (15, 30), minutes")


class ShiftRules(Frozen):
    """``shifts:`` whether a worker's day may hold several availability rows."""

    split_shifts: Literal["allowed", "merge", "first_only"] = Field(
        description="allowed: unchanged; merge: each worker-day's rows become one row from the "
        "first start to the last end, trimmed to policy.max_shift_span_min; first_only: only "
        "each worker-day's earliest row is kept")


class CostChanges(Frozen):
    """``costs:`` overrides of caseload.yaml costs (worker-row pay rates still win)."""

    pay_per_hour: NonNegativeFloat | None = Field(None, description="pay per contact hour")
    travel_time_paid: bool | None = Field(None, description="travel time paid at the pay rate")
    mileage_per_km: NonNegativeFloat | None = Field(None, description="mileage per car/bike km")
    weekend_premium_pct: NonNegativeFloat | None = Field(
        None, description="percent added to pay for weekend contact time")
    weekend_premium_per_hour: NonNegativeFloat | None = Field(
        None, description="flat amount added per weekend contact hour")
    fee_per_hour: NonNegativeFloat | None = Field(
        None, description="what the purchaser pays per delivered hour")


class KMeansZones(Frozen):
    """Zones made by clustering customer homes: ``{k: 3, seed: 1}``."""

    k: PositiveInt = Field(description="number of zones")
    seed: int = Field(0, description="seed of the k-means start; same seed, same zones")


class ZoneProviders(Frozen):
    """One provider per zone; each customer served only by their zone's provider."""

    kind: Literal["zone_providers"]
    zones: Annotated[
        Annotated[Literal["given"], Tag("given")] | Annotated[KMeansZones, Tag("kmeans")],
        Discriminator(lambda v: "given" if isinstance(v, str) else "kmeans"),
    ] = Field("given", description="given: customers.csv zone column; or {k, seed}: k-means")
    providers: dict[str, str] = Field(
        default_factory=dict, description="zone -> provider id; default: the zone's one "
        "provider in the base when it has exactly one, else provider-<zone>")
    workers: dict[str, str] = Field(
        default_factory=dict, description="worker id -> zone; workers not listed join the "
        "zone whose centroid is nearest their home")


class OpenMarket(Frozen):
    """Any worker may serve any customer: providers and zones cleared."""

    kind: Literal["open_market"]


class OneProviderPerCustomer(Frozen):
    """Each customer's visits all from one provider, chosen by a two-stage solve."""

    kind: Literal["one_provider_per_customer"]


def _market_shorthand(value: Any) -> Any:
    """``market: open_market`` means ``market: {kind: open_market}``."""
    return {"kind": value} if isinstance(value, str) else value


MarketRule = ZoneProviders | OpenMarket | OneProviderPerCustomer
"""One of the three market kinds."""

Market = Annotated[
    MarketRule,
    Field(discriminator="kind"),
    BeforeValidator(_market_shorthand),
]


class Scenario(Frozen):
    """One scenario: a name and the overrides that make it differ from the base."""

    name: str = Field(min_length=1, description="shown in the table; its slug names the folder")
    description: str = Field("", description="one line for the table's readers")
    policy: PolicyChanges | None = None
    visits: VisitRules | None = None
    shifts: ShiftRules | None = None
    market: Market | None = None
    costs: CostChanges | None = None

    @property
    def slug(self) -> str:
        """Folder name: lower-case letters, digits and single dashes."""
        return slugify(self.name)

    @property
    def two_stage(self) -> bool:
        """True for one_provider_per_customer (solve, choose providers, solve again)."""
        return isinstance(self.market, OneProviderPerCustomer)


class ScenarioFile(Frozen):
    """A scenario file: the base caseload, shared solve settings and the scenarios."""

    title: str = Field("", description="heading of the comparison")
    base: str = Field(description="caseload folder or JSON file, relative to the YAML file")
    seed: int | None = Field(None, description="seed of every solve; --seed wins")
    time_limit_s: PositiveFloat | None = Field(
        None, description="seconds per solve; --time-limit wins")
    scenarios: tuple[Scenario, ...] = Field(description="at least one")

    @field_validator("scenarios")
    @classmethod
    def _unique_slugs(cls, scenarios: tuple[Scenario, ...]) -> tuple[Scenario, ...]:
        if not scenarios:
            raise ValueError("no scenario listed")
        seen: dict[str, str] = {}
        for scenario in scenarios:
            if not scenario.slug:
                raise ValueError(f"scenario name {scenario.name!r} has no letter or digit")
            if scenario.slug in seen:
                raise ValueError(f"scenarios {seen[scenario.slug]!r} and {scenario.name!r} "
                                 f"share the folder name {scenario.slug!r}")
            seen[scenario.slug] = scenario.name
        return scenarios


class ScenarioSet(Frozen):
    """A loaded scenario file with its base path resolved."""

    path: Path = Field(description="the YAML file")
    base_path: Path = Field(description="the base caseload, resolved against the YAML's folder")
    spec: ScenarioFile

    def solve_params(self, *, time_limit_s: float | None = None, seed: int | None = None,
                     workers: int = 1) -> SolveParams:
        """Solve settings: the arguments given, else the file's, else the defaults."""
        spec = self.spec
        return SolveParams(
            time_limit_s=time_limit_s or spec.time_limit_s or DEFAULT_TIME_LIMIT_S,
            seed=seed if seed is not None else DEFAULT_SEED if spec.seed is None else spec.seed,
            workers=workers,
        )

    def caseloads(self, base: Caseload) -> list[Caseload]:
        """Every scenario's caseload (the first stage of a two-stage one), in file order."""
        return [apply_scenario(base, s, file=self.path, index=i)
                for i, s in enumerate(self.spec.scenarios)]


def slugify(name: str) -> str:
    """``Team cap 2 (no split)`` -> ``team-cap-2-no-split``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# ----------------------------------------------------------------------------- loading


def load_scenarios(path: str | Path) -> ScenarioSet:
    """Read a scenario file.

    Raises
    ------
    CaseloadError
        Every problem, each naming the file and the key: an unknown or missing key, a bad
        value. A ScenarioError (a CaseloadError) for unreadable YAML or a missing base.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(path, "", "unreadable", str(exc).replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise ScenarioError(path, "", "not_a_mapping", "expected keys base: and scenarios:")
    try:
        spec = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise CaseloadError([_problem(path, data, error) for error in exc.errors()]) from None
    base_path = path.parent / spec.base
    if not base_path.exists():
        raise ScenarioError(path, "base", "missing_base", f"no caseload at {base_path}")
    return ScenarioSet(path=path, base_path=base_path, spec=spec)


def _problem(path: Path, data: dict, error: dict) -> InputProblem:
    """One pydantic error as a located problem: ``scenarios[2] (paid travel).costs.pay``."""
    loc = [part for i, part in enumerate(error["loc"])
           if not (i and error["loc"][i - 1] in ("market", "zones") and part in _UNION_TAGS)]
    key = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            key += f"[{part}]"
            if i == 1 and loc[0] == "scenarios":
                name = _scenario_name(data, part)
                key += f" ({name})" if name else ""
        else:
            key += f".{part}" if key else str(part)
    kind = error["type"]
    if kind == "extra_forbidden":
        return InputProblem(str(path), None, key, "unknown_key", "unknown key")
    if kind == "missing":
        return InputProblem(str(path), None, key, "missing_key", "missing key")
    message = error["msg"].removeprefix("Value error, ")
    return InputProblem(str(path), None, key, kind, message)


_UNION_TAGS = frozenset({"zone_providers", "open_market", "one_provider_per_customer", "given",
                         "kmeans"})
"""Branch tags pydantic puts in an error's location after ``market`` and ``zones``."""


def _scenario_name(data: dict, index: int) -> str:
    try:
        return str(data["scenarios"][index].get("name", ""))
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""


# ----------------------------------------------------------------------------- transforms


def apply_policy(caseload: Caseload, changes: PolicyChanges) -> Caseload:
    """New policy values; customers' own team caps kept, lowered or replaced."""
    given = changes.model_dump(exclude_none=True, exclude={"customer_team_caps"})
    policy = type(caseload.policy).model_validate({**dict(caseload.policy), **given})
    cap = policy.max_team_size
    customers = caseload.customers
    if changes.customer_team_caps == "replace":
        customers = tuple(_updated(c, max_team_size=None) for c in customers)
    elif changes.customer_team_caps == "lower":
        customers = tuple(
            _updated(c, max_team_size=cap)
            if c.max_team_size is not None and c.max_team_size > cap else c
            for c in customers
        )
    return caseload.replace(policy=policy, customers=customers)


def apply_visit_rules(caseload: Caseload, rules: VisitRules) -> Caseload:
    """Lengths raised to the minimum, then rounded up to a multiple of ``round_up_to_min``.

    A longer visit whose hard window would then end after midnight gets a shorter
    ``window_after_min`` (ending at 24:00); one that cannot fit before midnight at all is an
    error.
    """
    visits = []
    for v in caseload.visits:
        length = max(v.duration_min, rules.min_length_min or 0)
        if rules.round_up_to_min:
            length = math.ceil(length / rules.round_up_to_min) * rules.round_up_to_min
        if length == v.duration_min:
            visits.append(v)
            continue
        if v.start + length > MINUTES_PER_DAY:
            raise TransformError("min_length_min/round_up_to_min",
                                 f"visit {v.visit_id} of {length} min from {v.start // 60:02d}:"
                                 f"{v.start % 60:02d} would end after midnight")
        after = v.window_after_min
        if after is None:
            after = caseload.policy.window_after_min
        changes: dict[str, Any] = {"duration_min": length}
        if v.start + after + length > MINUTES_PER_DAY:
            changes["window_after_min"] = MINUTES_PER_DAY - v.start - length
        visits.append(_updated(v, **changes))
    return caseload.replace(visits=tuple(visits))


def apply_shift_rules(caseload: Caseload, rules: ShiftRules) -> Caseload:
    """Split shifts allowed (unchanged), merged, or cut to each worker-day's first row.

    ``merge``: a worker-day with several rows gets one row from the first start to the last
    end, cut at first start + policy.max_shift_span_min when longer (the later part of the day
    is dropped). A day with one row is unchanged in both modes. Rows are written back grouped:
    one row per (worker, start, end) listing its days.
    """
    if rules.split_shifts == "allowed":
        return caseload
    span = caseload.policy.max_shift_span_min
    by_worker_day: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for row in caseload.availability:
        for day in row.day:
            by_worker_day[(row.worker_id, day)].append((row.start, row.end))
    kept: dict[str, dict[tuple[int, int], list[int]]] = {}
    for (worker_id, day), rows in by_worker_day.items():
        rows.sort()
        start, end = rows[0]
        if len(rows) > 1 and rules.split_shifts == "merge":
            end = min(max(e for _, e in rows), start + span)
        kept.setdefault(worker_id, {}).setdefault((start, end), []).append(day)
    availability = tuple(
        AvailabilityRow(worker_id=worker_id, day=tuple(sorted(days)), start=start, end=end)
        for worker_id, rows in kept.items()
        for (start, end), days in sorted(rows.items())
    )
    return caseload.replace(availability=availability)


def apply_market(caseload: Caseload, market: MarketRule) -> Caseload:
    """The market's rules on who may serve whom (zones and providers)."""
    if isinstance(market, ZoneProviders):
        return zone_providers(caseload, market)
    if isinstance(market, OpenMarket):
        return open_market(caseload)
    if not any(w.provider for w in caseload.workers):
        raise TransformError("kind", "one_provider_per_customer needs workers with a provider "
                                     "(workers.csv provider column)")
    return open_market(caseload, keep_worker_providers=True)


def apply_costs(caseload: Caseload, changes: CostChanges) -> Caseload:
    """New cost values (caseload.yaml ``costs:``)."""
    given = changes.model_dump(exclude_none=True)
    return caseload.replace(costs=type(caseload.costs).model_validate(
        {**dict(caseload.costs), **given}))


Transform = Callable[[Caseload, Any], Caseload]

TRANSFORMS: tuple[tuple[str, Transform], ...] = (
    ("policy", apply_policy),
    ("visits", apply_visit_rules),
    ("shifts", apply_shift_rules),
    ("market", apply_market),
    ("costs", apply_costs),
)
"""Override kind (the Scenario field) -> its transform, in the order they are applied."""


def apply_scenario(caseload: Caseload, scenario: Scenario, *, file: str | Path = "",
                   index: int | None = None) -> Caseload:
    """The base caseload with every override of the scenario applied, in ``TRANSFORMS`` order.

    For a two-stage scenario this is the first stage (see ``providers_by_majority``).

    Raises
    ------
    ScenarioError
        When an override cannot apply or leaves an invalid caseload, naming ``file`` and the key
        (``scenarios[index] (name).kind``).
    """
    where = f"scenarios[{index}] ({scenario.name})" if index is not None else scenario.name
    for kind, transform in TRANSFORMS:
        changes = getattr(scenario, kind)
        if changes is None:
            continue
        try:
            caseload = transform(caseload, changes)
        except TransformError as exc:
            raise ScenarioError(file, f"{where}.{kind}.{exc.key}", "bad_override",
                                str(exc)) from None
        except ValidationError as exc:  # the changed caseload breaks a rule of FORMAT.md
            detail = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise ScenarioError(file, f"{where}.{kind}", "bad_override", detail) from None
    return caseload


def _updated(model, **changes):
    """A validated copy of a row model with some fields changed."""
    return type(model).model_validate({**dict(model), **changes})


# ----------------------------------------------------------------------------- markets


def open_market(caseload: Caseload, *, keep_worker_providers: bool = False) -> Caseload:
    """Customers' zones and providers cleared, workers' zones (and providers) cleared.

    With ``keep_worker_providers`` the workers keep their provider labels (they restrict
    nothing once no customer names a provider): the first stage of one_provider_per_customer.
    """
    customers = tuple(_updated(c, zone="", provider="") for c in caseload.customers)
    workers = tuple(
        _updated(w, zones=(), **({} if keep_worker_providers else {"provider": ""}))
        for w in caseload.workers
    )
    return caseload.replace(customers=customers, workers=workers)


def zone_providers(caseload: Caseload, market: ZoneProviders) -> Caseload:
    """One provider per zone; customers served only by their zone's provider.

    Zones are the customers' zone column (``given``; a customer without a zone joins the zone
    of the nearest centroid) or k-means clusters of customer homes named Z1..Zk west to east.
    Each worker joins the zone whose centroid (mean customer position) is nearest their home,
    unless ``market.workers`` names their zone; they work for that zone's provider and serve
    only that zone.
    """
    points = [(c.lat, c.lon) for c in caseload.customers]
    if not points:
        return caseload
    project = _projection(points)
    flat = [project(p) for p in points]
    if market.zones == "given":
        named = [c.zone for c in caseload.customers]
        zone_ids = sorted({z for z in named if z})
        if not zone_ids:
            raise TransformError("zones",
                                 "zones: given, but no customer has a zone; use zones: {k: N}")
        centroids = {z: _mean([f for f, n in zip(flat, named) if n == z]) for z in zone_ids}
        labels = [n or _nearest(f, centroids) for f, n in zip(flat, named)]
    else:
        if market.zones.k > len(set(flat)):
            raise TransformError("zones.k",
                                 f"{market.zones.k} zones for {len(set(flat))} customer places")
        clusters = kmeans(flat, market.zones.k, random.Random(market.zones.seed))
        labels = [f"Z{i + 1}" for i in clusters]
        zone_ids = [f"Z{i + 1}" for i in range(market.zones.k)]
        centroids = {z: _mean([f for f, n in zip(flat, labels) if n == z]) for z in zone_ids}
    providers = _zone_provider_names(caseload, zone_ids, labels, market.providers)
    worker_zone = _worker_zones(caseload, centroids, project, market.workers)
    customers = tuple(_updated(c, zone=z, provider=providers[z])
                      for c, z in zip(caseload.customers, labels))
    workers = tuple(_updated(w, zones=(worker_zone[w.worker_id],),
                             provider=providers[worker_zone[w.worker_id]])
                    for w in caseload.workers)
    return caseload.replace(customers=customers, workers=workers)


def _zone_provider_names(caseload: Caseload, zone_ids: list[str], labels: list[str],
                         given: dict[str, str]) -> dict[str, str]:
    """Zone -> provider id: as given; else the zone's single base provider when no other zone
    has it; else ``provider-<zone>``."""
    unknown = sorted(set(given) - set(zone_ids))
    if unknown:
        raise TransformError("providers",
                             f"no zone {', '.join(unknown)} (zones: {', '.join(zone_ids)})")
    base: dict[str, set[str]] = defaultdict(set)
    for c, zone in zip(caseload.customers, labels):
        base[zone].add(c.provider)
    single = {z: next(iter(p)) for z, p in base.items() if len(p) == 1 and "" not in p}
    counts = Counter(single.values())
    names = {}
    for zone in zone_ids:
        if zone in given:
            names[zone] = given[zone]
        elif zone in single and counts[single[zone]] == 1:
            names[zone] = single[zone]
        else:
            names[zone] = f"provider-{zone}"
    if len(set(names.values())) < len(names):
        raise TransformError("providers",
                             f"zones must have different providers: {names}")
    return names


def _worker_zones(caseload: Caseload, centroids: dict[str, tuple[float, float]], project,
                  given: dict[str, str]) -> dict[str, str]:
    """Worker id -> zone: as given, else the zone with the nearest centroid."""
    unknown_workers = sorted(set(given) - set(caseload.worker_by_id))
    unknown_zones = sorted(set(given.values()) - set(centroids))
    if unknown_workers or unknown_zones:
        what = [f"unknown worker(s) {', '.join(unknown_workers)}"] if unknown_workers else []
        what += [f"unknown zone(s) {', '.join(unknown_zones)}"] if unknown_zones else []
        raise TransformError("workers", "; ".join(what))
    return {
        w.worker_id: given.get(w.worker_id) or _nearest(project((w.lat, w.lon)), centroids)
        for w in caseload.workers
    }


def providers_by_majority(caseload: Caseload, rota: Rota) -> Caseload:
    """Second stage of one_provider_per_customer: each customer gets the provider whose workers
    did most of their visit rows in ``rota`` (ties: the provider id first in sort order); a
    customer without rows gets the provider of the worker living nearest. Zones stay cleared.

    Raises
    ------
    TransformError
        When no worker has a provider.
    """
    provider_of = {w.worker_id: w.provider for w in caseload.workers}
    if not any(provider_of.values()):
        raise TransformError("kind",
                             "one_provider_per_customer needs workers with a provider "
                             "(workers.csv provider column)")
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for a in rota.assignments:
        provider = provider_of.get(a.worker_id, "")
        if provider:
            rows[a.customer_id][provider] += 1
    project = _projection([(c.lat, c.lon) for c in caseload.customers])
    homes = {w.worker_id: project((w.lat, w.lon)) for w in caseload.workers if w.provider}
    chosen = {}
    for c in caseload.customers:
        counts = rows.get(c.customer_id)
        if counts:
            chosen[c.customer_id] = min(counts, key=lambda p: (-counts[p], p))
        else:
            nearest = _nearest(project((c.lat, c.lon)), homes)
            chosen[c.customer_id] = provider_of[nearest]
    return caseload.replace(customers=tuple(
        _updated(c, provider=chosen[c.customer_id]) for c in caseload.customers))


# ----------------------------------------------------------------------------- geometry


def _projection(points: list[tuple[float, float]]) -> Callable[[tuple[float, float]], tuple]:
    """(lat, lon) -> flat (x, y) km around the points' mean latitude (equirectangular)."""
    mean_lat = sum(lat for lat, _ in points) / len(points) if points else 0.0
    scale_x = KM_PER_DEGREE * math.cos(math.radians(mean_lat))

    def project(point: tuple[float, float]) -> tuple[float, float]:
        return (point[1] * scale_x, point[0] * KM_PER_DEGREE)

    return project


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def _dist2(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _nearest(point: tuple[float, float], centres: dict[str, tuple[float, float]]) -> str:
    """The key of the nearest centre (ties: the first key in sort order)."""
    return min(sorted(centres), key=lambda key: _dist2(point, centres[key]))


def kmeans(points: list[tuple[float, float]], k: int, rng: random.Random) -> list[int]:
    """Cluster index (0..k-1) of every point: k-means++ start from ``rng``, Lloyd rounds until
    nothing moves (at most KMEANS_MAX_ROUNDS). Clusters are numbered west to east (by centroid
    x, then y). An emptied cluster restarts at the point farthest from its centre.
    """
    centres = [points[rng.randrange(len(points))]]
    while len(centres) < k:
        weights = [min(_dist2(p, c) for c in centres) for p in points]
        total = sum(weights)
        pick, acc = rng.random() * total, 0.0
        for p, w in zip(points, weights):
            acc += w
            if w > 0 and acc >= pick:
                centres.append(p)
                break
    labels: list[int] = []
    for _ in range(KMEANS_MAX_ROUNDS):
        new = [min(range(k), key=lambda i: (_dist2(p, centres[i]), i)) for p in points]
        for i in range(k):
            if i not in new:  # an empty cluster takes the worst-served point
                far = max(range(len(points)), key=lambda j: _dist2(points[j], centres[new[j]]))
                new[far] = i
        if new == labels:
            break
        labels = new
        centres = [_mean([p for p, n in zip(points, labels) if n == i]) for i in range(k)]
    order = sorted(range(k), key=lambda i: centres[i])
    rank = {old: position for position, old in enumerate(order)}
    return [rank[n] for n in labels]

"""Independent parts of a caseload: customers and workers that no eligibility links (zones with
a provider each, typically). Each part is a caseload of its own, solved apart; their rotas are
merged back into one."""

from __future__ import annotations

from models import Caseload, Rota
from models.checks import static_eligible


def split(caseload: Caseload) -> list[Caseload]:
    """The caseload's independent parts, largest first (one part when everything is linked).

    Customers and workers are linked when any visit of the customer may be served by the
    worker (skills, gender, bans, zone, provider); a part is a connected group of them.
    Customers nobody may serve and workers nobody needs join the largest part.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in caseload.customers:
        find("c:" + c.customer_id)
    for w in caseload.workers:
        find("w:" + w.worker_id)
    for template in caseload.visits:
        for w in caseload.workers:
            if static_eligible(caseload, template, w):
                parent[find("c:" + template.customer_id)] = find("w:" + w.worker_id)
    groups: dict[str, set[str]] = {}
    for key in parent:
        groups.setdefault(find(key), set()).add(key)
    linked = sorted(
        (g for g in groups.values() if any(k.startswith("c:") for k in g)
         and any(k.startswith("w:") for k in g)),
        key=len, reverse=True,
    )
    if len(linked) <= 1:
        return [caseload]
    for group in groups.values():  # customers nobody may serve, workers nobody needs
        if group not in linked:
            linked[0] |= group
    parts = [_part(caseload, members) for members in linked]
    return sorted(parts, key=lambda p: -len(p.instances))


def _part(caseload: Caseload, members: set[str]) -> Caseload:
    customers = {k[2:] for k in members if k.startswith("c:")}
    workers = {k[2:] for k in members if k.startswith("w:")}
    instances = {v.id for v in caseload.instances if v.customer_id in customers}
    places = customers | workers
    return caseload.replace(
        customers=tuple(c for c in caseload.customers if c.customer_id in customers),
        visits=tuple(v for v in caseload.visits if v.customer_id in customers),
        workers=tuple(w for w in caseload.workers if w.worker_id in workers),
        availability=tuple(a for a in caseload.availability if a.worker_id in workers),
        preferences=tuple(p for p in caseload.preferences
                          if p.customer_id in customers and p.worker_id in workers),
        previous_rota=tuple(r for r in caseload.previous_rota if r.customer_id in customers),
        travel_matrix=tuple(t for t in caseload.travel_matrix
                            if t.from_id in places and t.to_id in places),
        pinned=tuple(p for p in caseload.pinned if p.visit_id in instances),
    )


def merge(rotas: list[Rota]) -> Rota:
    """One rota holding every part's rows and unassigned visits."""
    return Rota(
        assignments=tuple(a for rota in rotas for a in rota.assignments),
        unassigned=tuple(u for rota in rotas for u in rota.unassigned),
    )

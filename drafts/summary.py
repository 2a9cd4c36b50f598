"""Key figures of a frozen draft, computed from its snapshot (the PDF and the draft page)."""

from collections import Counter, defaultdict
from decimal import Decimal

from evaluation.figures import figures_from_snapshot

# Order of the implementation statuses in tables and charts; dropped measures are not in a
# draft at all (see snapshot.accepted_measures).
STATUS_ORDER = [
    ("idea", "Idee"),
    ("planned", "geplant"),
    ("in_progress", "in Umsetzung"),
    ("completed", "abgeschlossen"),
    ("paused", "pausiert"),
]


def _decimal(value):
    return Decimal(value) if value not in (None, "") else Decimal(0)


def budget_shares(measure):
    """{body id: planned budget} split by the partners' cost shares; the lead bears the rest."""
    planned = _decimal(measure.get("budget_planned"))
    shares = {}
    rest = planned
    for partner in measure.get("partners", []):
        share = _decimal(partner.get("cost_share_percent"))
        if share:
            amount = (planned * share / 100).quantize(Decimal("0.01"))
            shares[partner["id"]] = shares.get(partner["id"], Decimal(0)) + amount
            rest -= amount
    lead = measure["lead"]["id"]
    shares[lead] = shares.get(lead, Decimal(0)) + rest
    return shares


def summarise(snapshot):
    measures = snapshot.get("measures", [])
    fields = snapshot.get("fields", [])
    labels = {b["id"]: b.get("label") or b["name"] for b in snapshot.get("bodies", [])}
    # "Kommunen" are the towns, Samtgemeinden and Gemeinden; the Landkreis is not one of them.
    district = {b["id"] for b in snapshot.get("bodies", []) if b["kind"] == "district"}
    by_field = {f["number"]: Counter() for f in fields}
    budget_by_field = defaultdict(Decimal)
    budget_by_body = defaultdict(Decimal)
    bodies, joint = set(), 0
    for m in measures:
        by_field.setdefault(m["field_of_action"], Counter())[m.get("status")] += 1
        budget_by_field[m["field_of_action"]] += _decimal(m.get("budget_planned"))
        for body, amount in budget_shares(m).items():
            budget_by_body[body] += amount
        bodies.add(m["lead"]["id"])
        bodies.update(p["id"] for p in m.get("partners", []))
        joint += bool(m.get("partners"))
    field_rows = [
        {
            "number": f["number"],
            "short_title": f["short_title"],
            "counts": [by_field[f["number"]].get(code, 0) for code, _ in STATUS_ORDER],
            "total": sum(by_field[f["number"]].values()),
            "budget": budget_by_field.get(f["number"], Decimal(0)),
        }
        for f in fields
    ]
    total = len(measures)
    figures = figures_from_snapshot(snapshot)
    return {
        "total": total,
        "statuses": STATUS_ORDER,
        "status_totals": [
            sum(row["counts"][i] for row in field_rows) for i in range(len(STATUS_ORDER))
        ],
        "fields": field_rows,
        "bodies_taking_part": len(bodies - district),
        "bodies_total": sum(1 for b in snapshot.get("bodies", []) if b["kind"] != "district"),
        "joint": joint,
        "joint_percent": round(100 * joint / total) if total else 0,
        "budget_total": sum(budget_by_field.values(), Decimal(0)),
        "budget_by_body": sorted(
            ((labels.get(pk, str(pk)), amount) for pk, amount in budget_by_body.items() if amount),
            key=lambda row: (-row[1], row[0]),
        ),
        # "Fortlaufend evaluiert" and the indicators as on the dashboards (evaluation.figures).
        "figures": figures,
        "indicator_status": [
            (str(label), count) for _code, label, count in figures.indicator_rows()
        ],
    }

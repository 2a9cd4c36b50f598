"""The frozen content of a strategy draft, and what changed since the previous version.

Everything the PDF shows is copied into ``StrategyDraft.snapshot`` when the draft is frozen:
the introductions, the fields of action with their goals, the accepted version of every
accepted measure (``Measure.accepted_snapshot``, without personal data), the bodies of the
district and the changes since the previous frozen version. Rendering reads only the
snapshot, so the PDF of a frozen draft never changes.
"""

from django.utils import timezone

from evaluation.snapshot import indicators_for_drafts
from fields_of_action.models import FieldOfAction, Goal
from measures.models import Measure, Partnership, PartnershipState, ReviewState, Status
from municipalities.models import Municipality

from . import texts
from .models import Consultation
from .summary import summarise

SCHEMA_VERSION = 2

# Labels of the measure fields compared for the change appendix, in the order shown.
COMPARED_FIELDS = {
    "title": "Titel",
    "summary": "Kurzbeschreibung",
    "description": "Beschreibung",
    "lead": "federführende Kommune",
    "partners": "beteiligte Kommunen",
    "field_of_action": "Handlungsfeld",
    "goals": "Ziele",
    "target_groups": "Zielgruppen",
    "status": "Umsetzungsstand",
    "priority": "Priorität",
    "planned_start": "Beginn",
    "planned_end": "Ende",
    "budget_planned": "geplantes Budget",
    "budget_spent": "verausgabt",
    "task_kind": "Pflichtaufgabe oder freiwillige Leistung",
    "budget_product": "Produkt / Kostenstelle",
    "cost_plan": "Kostenplan",
    "funding": "Förderung",
    "funding_source": "Finanzierung",
    "contact_role": "Funktion der Ansprechperson",
    "leika_key": "OZG-Leistung",
    "indicators": "Indikatoren",
}

SOURCES = [
    "Maßnahmen: von den Kommunen im Digitalstrategie-Portal erfasst und von der "
    "Koordinierungsstelle des Landkreises angenommen (Stand: Zeitpunkt des Einfrierens).",
    "Handlungsfelder: Beschlussvorschlag „Weiterentwicklung der Digitalisierungsstrategie zu "
    "einer interkommunalen Digitalisierungsstrategie im Landkreis Lüchow-Dannenberg“, "
    "Kreistag, Juni 2026, Nummer 3.",
    "Kommunen, Gemeindeschlüssel und Einwohnerzahlen: © Statistisches Bundesamt (Destatis), "
    "Gemeindeverzeichnis-Informationssystem (GV-ISys), Auszug GV 4. Quartal; Datenlizenz "
    "Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0).",
]


def accepted_measures():
    """The accepted version of every measure that has one, as a list of dicts.

    Withdrawn and dropped ("verworfen") measures never enter a draft. Partners are only those
    that have confirmed (now): a request, or a partner that declined after the acceptance,
    never reaches the PDF.
    """
    rows = (
        Measure.objects.exclude(accepted_snapshot=None)
        .exclude(review_state=ReviewState.WITHDRAWN)
        .exclude(status=Status.DROPPED)
        .values_list("pk", "accepted_snapshot")
    )
    confirmed = set(
        Partnership.objects.filter(state=PartnershipState.CONFIRMED).values_list(
            "measure_id", "municipality_id"
        )
    )
    measures = []
    for pk, snapshot in rows:
        if snapshot.get("status") == Status.DROPPED:
            continue
        partners = [p for p in snapshot.get("partners", []) if (pk, p["id"]) in confirmed]
        measures.append(dict(snapshot, id=pk, partners=partners))
    return measures


def accepted_measure_count():
    """How many measures freezing would take over now (one COUNT query)."""
    return (
        Measure.objects.exclude(accepted_snapshot=None)
        .exclude(review_state=ReviewState.WITHDRAWN)
        .exclude(status=Status.DROPPED)
        .exclude(accepted_snapshot__status=Status.DROPPED)
        .count()
    )


def _label_bodies(measures, labels):
    """Name lead and partners unambiguously (Samtgemeinde Gartow vs Gartow (Flecken))."""
    for measure in measures:
        lead = measure["lead"]
        lead["label"] = labels.get(lead["id"], lead["name"])
        for partner in measure.get("partners", []):
            partner["label"] = labels.get(partner["id"], partner["name"])


def build_snapshot(draft, now=None):
    now = now or timezone.now()
    bodies = list(Municipality.objects.in_tree_order().select_related("parent"))
    measures = accepted_measures()
    _label_bodies(measures, {b.pk: b.label for b in bodies})
    indicators = indicators_for_drafts([m["id"] for m in measures], timezone.localdate(now))
    # Demo content stays marked in the PDF (README: "als Demo-Inhalt gekennzeichnet").
    demo_ids = set(
        Measure.objects.filter(is_demo=True, pk__in=[m["id"] for m in measures]).values_list(
            "pk", flat=True
        )
    )
    for measure in measures:
        measure["indicators"] = indicators.get(measure["id"], [])
        measure["is_demo"] = measure["id"] in demo_ids
    measures.sort(key=lambda m: (m["field_of_action"], m["id"]))
    intros = {i.field_of_action_id: i.text for i in draft.field_introductions.all()}
    goals = {}
    for goal in Goal.objects.order_by("field_of_action__number", "position", "title"):
        goals.setdefault(goal.field_of_action_id, []).append(
            {"id": goal.pk, "title": goal.title, "description": goal.description}
        )
    previous = draft.previous
    snapshot = {
        "schema": SCHEMA_VERSION,
        "frozen_at": now.isoformat(),
        "title": draft.title,
        "version_label": draft.version_label,
        "resolution_date": draft.resolution_date.isoformat(),
        "deadline": draft.deadline.isoformat(),
        "introduction": draft.introduction,
        "proposed_resolution": draft.proposed_resolution.strip()
        or texts.PROPOSED_RESOLUTION.format(version=draft.version_label),
        "easy_read_summary": draft.easy_read_summary.strip(),
        "fields": [
            {
                "number": f.number,
                "short_title": f.short_title,
                "title": f.title,
                "description": f.description,
                "introduction": intros.get(f.pk, ""),
                "goals": goals.get(f.pk, []),
            }
            for f in FieldOfAction.objects.order_by("number")
        ],
        "bodies": [
            {
                "id": b.pk,
                "name": b.name,
                "label": b.label,
                "kind": b.kind,
                "kind_label": str(b.get_kind_display()),
                "parent_id": b.parent_id,
            }
            for b in bodies
        ],
        "measures": measures,
        "previous": (
            {
                "id": previous.pk,
                "title": previous.title,
                "version_label": previous.version_label,
                "consulted": Consultation.objects.filter(
                    draft=previous, closed_at__isnull=False
                ).exists(),
            }
            if previous
            else None
        ),
        "changes": compare(previous.snapshot if previous else None, measures),
        "sources": SOURCES,
    }
    if not snapshot["easy_read_summary"]:
        figures = summarise(snapshot)
        snapshot["easy_read_summary"] = texts.easy_read_summary(
            len(measures), figures["bodies_taking_part"], figures["bodies_total"]
        )
    return snapshot


def _brief(measure):
    return {
        "id": measure["id"],
        "reference": measure["reference"],
        "title": measure["title"],
        "lead": measure["lead"].get("label") or measure["lead"]["name"],
    }


def _comparable(key, value):
    """Bodies compare by id (and share): a label added in a later schema is no change."""
    if key == "lead" and value:
        return value["id"]
    if key == "partners" and value:
        return [(p["id"], p.get("cost_share_percent")) for p in value]
    return value


def compare(previous_snapshot, measures):
    """New, removed and changed measures relative to the previous frozen version."""
    if previous_snapshot is None:
        return None
    before = {m["id"]: m for m in previous_snapshot.get("measures", [])}
    after = {m["id"]: m for m in measures}
    changed = []
    for pk in sorted(before.keys() & after.keys()):
        fields = [
            label
            for key, label in COMPARED_FIELDS.items()
            if _comparable(key, before[pk].get(key)) != _comparable(key, after[pk].get(key))
        ]
        if fields:
            changed.append(dict(_brief(after[pk]), fields=fields))
    return {
        "new": [_brief(after[pk]) for pk in sorted(after.keys() - before.keys())],
        "removed": [_brief(before[pk]) for pk in sorted(before.keys() - after.keys())],
        "changed": changed,
    }

"""The strategy draft as a PDF (on the generator of ``core.pdf``).

The draft is rendered from its frozen snapshot only, as tagged PDF/UA-1 with German document
language, title and author metadata; creation and modification dates come from the moment
of freezing, so rendering the same frozen draft again yields the same bytes.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import formats, timezone

from core.pdf.generator import LeanHTML, PDFGenerator
from measures.impact import financial_impact, impact_view
from measures.models import ON_BEHALF_MARK, on_behalf_text
from municipalities.models import label_with_kind

from . import charts, texts
from .models import Consultation
from .summary import summarise

AUTHOR = "Landkreis Lüchow-Dannenberg, Koordinierungsstelle Digitalisierung"


def _month(value):
    if not value:
        return None
    day = datetime.date.fromisoformat(value)
    return formats.date_format(day, "F Y")


def _month_short(value):
    return datetime.date.fromisoformat(value).strftime("%m/%Y") if value else None


def _euro(value):
    if value in (None, ""):
        return None
    return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True) + " €"


def _percent(value):
    if value in (None, ""):
        return None
    return formats.number_format(Decimal(value).normalize(), use_l10n=True) + " %"


def _body(entry):
    return entry.get("label") or entry["name"]


def _date(value, fmt="j. F Y"):
    if not value:
        return None
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    return formats.date_format(day, fmt)


def _on_behalf(partner):
    """A partner's consent recorded on its behalf by the coordinator, with its source."""
    entry = partner.get("on_behalf")
    if not entry:
        return ""
    return f" (Zustimmung {on_behalf_text(entry.get('source'), entry.get('date'))})"


def _measure_view(m):
    """What one measure block shows, formatted for German readers."""
    partners = [
        _body(p)
        + (
            f" ({_percent(p['cost_share_percent'])} der Kosten)"
            if p.get("cost_share_percent")
            else ""
        )
        + _on_behalf(p)
        for p in m["partners"]
    ]
    start, end = _month(m.get("planned_start")), _month(m.get("planned_end"))
    timeline = period = None
    if start or end:
        timeline = f"{start or 'offen'} bis {end or 'offen'}"
        short = [_month_short(m.get("planned_start")), _month_short(m.get("planned_end"))]
        period = f"{short[0] or 'offen'}–{short[1] or 'offen'}"
    return {
        "id": m["id"],
        "reference": m["reference"],
        "title": m["title"],
        "summary": m["summary"],
        "description": m.get("description", ""),
        "lead": _body(m["lead"]),
        "partners": partners,
        "partner_names": [
            _body(p) + (ON_BEHALF_MARK if p.get("on_behalf") else "") for p in m["partners"]
        ],
        "field_of_action": m["field_of_action"],
        "goals": [g["title"] for g in m.get("goals", [])],
        "target_groups": m.get("target_groups", []),
        "status": m.get("status_label") or m.get("status"),
        "is_paused": m.get("status") == "paused",
        "is_demo": bool(m.get("is_demo")),
        "priority": m.get("priority_label"),
        "timeline": timeline,
        "period": period,
        "budget_planned": _euro(m.get("budget_planned")),
        "budget_spent": _euro(m.get("budget_spent")),
        "funding_source": m.get("funding_source"),
        "contact_role": m.get("contact_role"),
        "leika_key": m.get("leika_key"),
        "indicators": m.get("indicators", []),
    }


class DraftPDFGenerator(PDFGenerator):
    """The strategy draft for the Kreistag, from ``draft.snapshot``."""

    template_name = "drafts/pdf/draft.html"
    html_class = LeanHTML

    def get_context_data(self, **kwargs):
        snap = self.object.snapshot
        frozen_at = datetime.datetime.fromisoformat(snap["frozen_at"])
        by_field = defaultdict(list)
        led = defaultdict(list)
        partnered = defaultdict(list)
        # By field, then by number (M-0007 before M-0012), so a reader finds a measure.
        ordered = sorted(snap["measures"], key=lambda m: (m["field_of_action"], m["id"]))
        views = [_measure_view(m) for m in ordered]
        for m, view in zip(ordered, views, strict=True):
            by_field[m["field_of_action"]].append(view)
            led[m["lead"]["id"]].append(m["reference"])
            for p in m["partners"]:
                partnered[p["id"]].append(m["reference"])
        chapters = [
            dict(field, measures=by_field.get(field["number"], [])) for field in snap["fields"]
        ]
        overview = [
            {
                "name": label_with_kind(body["name"], body.get("label"), body["kind_label"]),
                "is_member": body["parent_id"] is not None and body["kind"] != "samtgemeinde",
                "led": led.get(body["id"], []),
                "partnered": partnered.get(body["id"], []),
            }
            for body in snap["bodies"]
        ]
        local = timezone.localtime(frozen_at)
        summary = summarise(snap)
        impact = impact_view(financial_impact(snap))
        draft = self.object
        consultation = _consultation_view(draft)
        return super().get_context_data(
            draft=draft,
            council_document_number=draft.council_document_number,
            committee_meeting=_date(draft.committee_meeting_date, "d.m.Y"),
            council_meeting=_date(draft.council_meeting_date, "d.m.Y"),
            proposed_resolution=snap.get("proposed_resolution")
            or texts.PROPOSED_RESOLUTION.format(version=snap["version_label"]),
            easy_read_summary=snap.get("easy_read_summary")
            or texts.easy_read_summary(
                len(snap["measures"]), summary["bodies_taking_part"], summary["bodies_total"]
            ),
            summary=summary,
            impact=impact,
            impact_texts=texts.financial_impact_texts(),
            summary_budget=_euro(summary["budget_total"]) or "0,00 €",
            budget_rows=[
                (row["number"], row["short_title"], _euro(row["budget"]))
                for row in summary["fields"]
            ],
            body_budget_rows=[(name, _euro(amount)) for name, amount in summary["budget_by_body"]],
            chart_status=charts.status_per_field(summary),
            chart_budget=charts.budget_per_field(summary),
            all_measures=views,
            consultation=consultation,
            consultation_sentence=consultation and consultation_sentence(consultation),
            municipal_procedures=_municipal_procedures(draft),
            glossary=texts.GLOSSARY,
            evaluation_method=texts.EVALUATION_METHOD,
            snapshot=snap,
            title=snap["title"],
            version_label=snap["version_label"],
            author=AUTHOR,
            # W3C dates for the PDF metadata; fixed by the freeze, so output is reproducible.
            created=frozen_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            frozen_on=formats.date_format(local, "j. F Y"),
            resolution_date=formats.date_format(
                datetime.date.fromisoformat(snap["resolution_date"]), "j. F Y"
            ),
            deadline=formats.date_format(datetime.date.fromisoformat(snap["deadline"]), "j. F Y"),
            chapters=chapters,
            overview=overview,
            measure_count=len(snap["measures"]),
            demo_count=sum(1 for m in snap["measures"] if m.get("is_demo")),
            changes=snap.get("changes"),
            previous=snap.get("previous"),
            sources=snap.get("sources", []),
            **kwargs,
        )


def _consultation_view(draft):
    """The frozen result of the draft's closed Abstimmung, formatted; None without one."""
    consultation = Consultation.objects.filter(draft=draft, closed_at__isnull=False).first()
    if consultation is None or not consultation.result:
        return None
    result = consultation.result
    deadline = datetime.date.fromisoformat(result["deadline"])
    closed_on = timezone.localtime(datetime.datetime.fromisoformat(result["closed_at"])).date()
    closed_early = closed_on < deadline
    return {
        "deadline": _date(deadline),
        "closed_on": _date(closed_on),
        "closed_early": closed_early,
        # The real end: closed early, the positions stopped with the close, not the deadline.
        "ended": (
            f"zum Abschluss am {_date(closed_on)}" if closed_early else f"zum {_date(deadline)}"
        ),
        "counts": result["counts"],
        "answered": len(result["bodies"]) - result["counts"]["none"],
        "total": len(result["bodies"]),
        "bodies": [
            dict(b, submitted_on=_date(b["submitted_on"], "d.m.Y")) for b in result["bodies"]
        ],
        "remarks": [
            dict(remark, body=b["name"]) for b in result["bodies"] for remark in b["remarks"]
        ],
    }


def consultation_sentence(consultation):
    """The Sachverhalt's sentence on the Abstimmung (a :func:`_consultation_view`)."""
    counts = consultation["counts"]
    return (
        "Die Städte, Samtgemeinden und Gemeinden wurden zu diesem Entwurf beteiligt: "
        f"{consultation['answered']} von {consultation['total']} Kommunen haben bis "
        f"{consultation['ended']} Stellung genommen ({counts['agree']} Zustimmung, "
        f"{counts['agree_with_remarks']} Zustimmung mit Anmerkungen, {counts['object']} "
        "Ablehnung). Die Stellungnahmen stehen in der Anlage."
    )


def _municipal_procedures(draft):
    """The councils besides the Kreistag that decide on this version, for the annex
    "Beschlussverfahren in den Kommunen" (drafts.adoption); [] when none is set."""
    from .adoption import overview

    rows = []
    for row in overview(draft):
        if row.body.is_district:
            continue
        steps = [
            f"{s.committee} {_date(s.meeting_date, 'd.m.Y') or '(Termin folgt)'}"
            + ("" if s.public else ", nicht öffentlich")
            + (", Beschluss" if s.decides else "")
            for s in row.steps
        ]
        rows.append(
            {"body": str(row.body), "number": row.procedure.document_number, "steps": steps}
        )
    return rows

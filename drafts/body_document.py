"""Each deciding body's Beschlussvorlage (issue 20 §2), from the same generator as the
Kreistag's: the common part of the frozen version (Sachverhalt, the six fields with their
goals, the district's key figures; the full list of measures is the Kreistag's Vorlage) and
the body's own part: its Beschlussvorschlag, its Beratungsfolge, its measures as lead and as
partner (for a Samtgemeinde also its members', marked by body), its position from the
Abstimmung and its "Finanzielle Auswirkungen" per budget year (for a Samtgemeinde with its
members' shares; measures.impact, the same section as in the Kreistag's Vorlage).

For a Fortschreibung it also shows what changed for the body since the version its council
adopted (drafts.body_changes).

Rendered from the snapshot, the procedure, the closed Abstimmung's frozen result and the
council's adoption of an earlier version only, with the freeze as creation date: the same data
gives the same bytes. (A decision recorded later on an earlier version changes the section
"Änderungen seit dem Beschluss", so a stored copy of this PDF must be renewed then.)
"""

import datetime

from django.utils import formats, timezone

from core.pdf.generator import LeanHTML, PDFGenerator
from measures.impact import financial_impact, impact_view

from . import charts, texts
from .adoption import own_body_ids, resolution_text
from .body_changes import body_changes
from .models import Consultation
from .pdf import AUTHOR, _date, _euro, _percent
from .summary import budget_shares, summarise


def _label(entry):
    return entry.get("label") or entry["name"]


def _share(measure, shares, body_id):
    """A body's share of the planned budget; "–" where the measure plans none."""
    return (_euro(shares.get(body_id)) if measure.get("budget_planned") else None) or "–"


def measure_rows(procedure, snapshot):
    """(led, partnered): the body's measures as lead and those it (or a member) takes part in,
    each row with the body concerned, its role and its share of the planned budget."""
    ids = own_body_ids(procedure, snapshot)
    led, partnered = [], []
    for m in sorted(snapshot.get("measures", []), key=lambda m: (m["reference"], m["id"])):
        shares = budget_shares(m)
        if m["lead"]["id"] in ids:
            partners = [
                _label(p)
                + (f" ({_percent(p['cost_share_percent'])})" if p.get("cost_share_percent") else "")
                for p in m.get("partners", [])
            ]
            led.append(
                {
                    "reference": m["reference"],
                    "title": m["title"],
                    "field": m["field_of_action"],
                    "body": _label(m["lead"]),
                    "partners": ", ".join(partners) or "–",
                    "budget": _euro(m.get("budget_planned")) or "–",
                    "share": _share(m, shares, m["lead"]["id"]),
                }
            )
            continue
        for p in m.get("partners", []):
            if p["id"] in ids:
                partnered.append(
                    {
                        "reference": m["reference"],
                        "title": m["title"],
                        "field": m["field_of_action"],
                        "body": _label(p),
                        "lead": _label(m["lead"]),
                        "cost_share": _percent(p.get("cost_share_percent")) or "–",
                        "share": _share(m, shares, p["id"]),
                    }
                )
    return led, partnered


# The measure tables are laid out with fixed column widths (``table-layout: fixed``): the
# automatic layout measures every cell twice more (its narrowest and widest width, word by
# word through Pango) before the rows are laid out: about a sixth of the instructions of the
# Gartow Vorlage's render (bench/README.md). The widths below follow what the automatic
# layout chose for the real bodies; the columns of references and amounts are as wide as
# their longest entry.

# Advance widths in thousandths of an em of Liberation Sans, regular and bold (the metrics of
# Arial), of the characters that references, amounts and percentages are made of. Any other
# character counts as 1000, wider than any letter, so that an estimate is never too narrow.
_ADVANCES = {
    **dict.fromkeys("0123456789", 556),
    **dict.fromkeys(".,: \u00a0\u202f", 278),
    "-": 333,
    "–": 556,
    "€": 556,
    "%": 889,
    "M": 833,
}
_TABLE_FONT_PT = 7.5  # table.compact in print.css
_CELL_PADDING_MM = 2 + 0.5  # 1 mm left and right (table.compact), and half a millimetre spare
_PT_MM = 25.4 / 72


def text_width_mm(text, font_pt=_TABLE_FONT_PT):
    """An upper bound of the width of ``text`` in the print font, in millimetres."""
    return sum(_ADVANCES.get(char, 1000) for char in text) / 1000 * font_pt * _PT_MM


def _fitting(texts, minimum_mm):
    """A column width for ``texts`` (one line each, no wrapping), at least ``minimum_mm``."""
    widest = max((text_width_mm(text) for text in texts), default=0)
    return f"{max(minimum_mm, widest + _CELL_PADDING_MM):.1f}mm"


def measure_columns(led, partnered, is_samtgemeinde):
    """(led, partnered): the ``<col>`` widths of the two measure tables, ``None`` for the
    title column, which takes the rest of the line. The fixed minimums fit the words of the
    bold headers (Nr., HF, geplant, Budget, Kostenanteil)."""
    body = ["23mm"] if is_samtgemeinde else []
    reference = _fitting([m["reference"] for m in led + partnered], 8)
    led_columns = [
        reference,
        None,
        "5.5mm",
        *body,
        "38mm" if is_samtgemeinde else "44mm",
        _fitting([m["budget"] for m in led], 12),
        _fitting([m["share"] for m in led], 15),
    ]
    partnered_columns = [
        reference,
        None,
        "5.5mm",
        *body,
        "28mm" if is_samtgemeinde else "34mm",
        _fitting([m["cost_share"] for m in partnered], 18.5),
        _fitting([m["share"] for m in partnered], 15),
    ]
    return led_columns, partnered_columns


def binding_note(body):
    """The Sachverhalt's sentence on what the Vorlage holds and when the strategy binds."""
    return (
        "Die Strategie ist eine gemeinsame Aufgabe der kommunalen Familie. "
        f"Sie bindet {body} erst, wenn der Rat sie beschließt. Diese Vorlage enthält die Teile "
        f"der Strategie, die {body} betreffen; die vollständige Liste aller Maßnahmen steht in "
        "der Vorlage des Kreistags."
    )


def body_impact(procedure, snapshot):
    """(formatted "Finanzielle Auswirkungen", whose part they show): the body's share, for a
    Samtgemeinde with its members' shares."""
    body = procedure.municipality
    impact = financial_impact(snapshot, bodies=own_body_ids(procedure, snapshot))
    scope = f"{body} und ihre Mitgliedsgemeinden" if body.is_samtgemeinde else str(body)
    return impact_view(impact), scope


def position_of(procedure):
    """The body's position from the closed Abstimmung's frozen result, or None."""
    consultation = Consultation.objects.filter(
        draft_id=procedure.draft_id, closed_at__isnull=False
    ).first()
    if consultation is None or not consultation.result:
        return None
    for entry in consultation.result["bodies"]:
        if entry["id"] == procedure.municipality_id:
            return dict(entry, submitted_on=_date(entry.get("submitted_on"), "d.m.Y"))
    return None


class BodyDocumentGenerator(PDFGenerator):
    """One deciding body's Beschlussvorlage; ``object`` is its DecisionProcedure (with
    ``municipality``, ``draft`` and ``steps`` at hand)."""

    template_name = "drafts/pdf/body_document.html"
    html_class = LeanHTML

    def get_context_data(self, **kwargs):
        procedure = self.object
        draft = procedure.draft
        snap = draft.snapshot
        frozen_at = datetime.datetime.fromisoformat(snap["frozen_at"])
        summary = summarise(snap)
        led, partnered = measure_rows(procedure, snap)
        body = procedure.municipality
        impact, impact_scope = body_impact(procedure, snap)
        led_columns, partnered_columns = measure_columns(led, partnered, body.is_samtgemeinde)
        return super().get_context_data(
            body=str(body),
            is_samtgemeinde=body.is_samtgemeinde,
            document_number=procedure.document_number,
            steps=[
                {
                    "committee": s.committee,
                    "meeting": _date(s.meeting_date, "d.m.Y") or "Termin folgt",
                    "role": "Beratung und Beschluss" if s.decides else "Vorberatung",
                    "public": "öffentlich" if s.public else "nicht öffentlich",
                }
                for s in procedure.steps.all()
            ],
            resolution=resolution_text(procedure),
            snapshot=snap,
            fields=snap["fields"],
            summary=summary,
            summary_budget=_euro(summary["budget_total"]) or "0,00 €",
            chart_status=charts.status_per_field(summary),
            led=led,
            partnered=partnered,
            led_columns=led_columns,
            partnered_columns=partnered_columns,
            impact=impact,
            impact_texts=texts.financial_impact_texts(impact_scope),
            binding_note=binding_note(body),
            position=position_of(procedure),
            changes=body_changes(draft, [procedure])[body.pk],
            kreistag_number=draft.council_document_number,
            title=snap["title"],
            version_label=snap["version_label"],
            author=AUTHOR,
            created=frozen_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            frozen_on=formats.date_format(timezone.localtime(frozen_at), "j. F Y"),
            measure_count=len(snap["measures"]),
            **kwargs,
        )


def body_document_html(procedure):
    """The Vorlage's HTML: its hash tells whether a stored file is still current
    (drafts.body_rendering)."""
    return BodyDocumentGenerator(procedure).get_html()


def render_body_document(procedure, html=None):
    """The body's Vorlage as PDF bytes (rendered in the background by drafts.body_rendering);
    the same data gives the same bytes."""
    return BodyDocumentGenerator(procedure).render(html).content

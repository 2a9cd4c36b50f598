"""PDF generation with WeasyPrint: a small generator class and the strategy draft.

WeasyPrint is a hard dependency: a missing library raises, it never yields an empty file.
The draft is rendered from its frozen snapshot only, as tagged PDF/UA-1 with German document
language, title and author metadata; creation and modification dates come from the moment
of freezing, so rendering the same frozen draft again yields the same bytes.
"""

import datetime
import functools
import gc
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from weasyprint import CSS, HTML

from . import charts, texts
from .pdf_assets import StaticFilesOnlyFetcher, static_base_url
from .summary import summarise

AUTHOR = "Landkreis Lüchow-Dannenberg, Koordinierungsstelle Digitalisierung"


def speed_up_page_references():
    """Make ``pydyf.PDF.page_references`` O(1) per call instead of O(pages).

    WeasyPrint's PDF/UA tagging looks up a page reference for every tagged element, and
    pydyf 0.13 rebuilds the tuple of all page references on each lookup: quadratic in the
    number of pages (a quarter of the render time at 770 pages). The cached property returns
    the same values, so the PDF bytes are unchanged. Idempotent; safe to call often.
    """
    import pydyf

    original = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(original, property) or getattr(original.fget, "portal_cached", False):
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_portal_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(pdf))
            pdf.__dict__["_portal_page_references"] = cached
        return cached[1]

    page_references.portal_cached = True
    pydyf.PDF.page_references = property(page_references)


# The pseudo-elements that WeasyPrint's user-agent stylesheet styles on every element.
_UNIVERSAL_PSEUDO_RULES = (
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)


def lean_user_agent_css(css):
    """WeasyPrint's user-agent stylesheet ``css`` without its rules for unused pseudo-elements.

    It styles ``::marker`` and five footnote and note pseudo-elements of *every* element, so
    WeasyPrint computes and keeps six styles more for each element of the document, used or
    not (a marker only on a list item, the others only with ``float: footnote`` or
    ``position: note()``): 350 MB of the draft's 1,500 measures, about a quarter of its peak.
    Here ``::marker`` is styled on ``li`` only (the only list items of the print templates)
    and the footnote and note rules are left out (the print templates use neither). For
    documents like that the PDF bytes are the same (tests/drafts/test_pdf_memory.py). Raises
    if WeasyPrint's stylesheet no longer has these rules as expected.
    """
    marker = "\n::marker {"
    if css.count(marker) != 1:
        raise RuntimeError("WeasyPrint's user-agent stylesheet has changed: ::marker")
    css = css.replace(marker, "\nli::marker {")
    lines = css.split("\n")
    kept = [line for line in lines if not line.startswith(_UNIVERSAL_PSEUDO_RULES)]
    if len(lines) - len(kept) != len(_UNIVERSAL_PSEUDO_RULES):
        raise RuntimeError("WeasyPrint's user-agent stylesheet has changed: footnotes, notes")
    return "\n".join(kept)


@functools.cache
def _lean_user_agent_stylesheet():
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    # Its @counter-style rules go into a dictionary of their own: WeasyPrint's UA_COUNTER_STYLE
    # has them from its own stylesheet already (and warns when "disc" comes again).
    return CSS(string=lean_user_agent_css(UA), counter_style=CounterStyle())


class LeanHTML(HTML):
    """An HTML document whose user-agent stylesheet is ``lean_user_agent_css``.

    For templates without footnotes, notes and list items other than ``<li>``.
    """

    def _ua_stylesheets(self, forms=False):
        from weasyprint.html import UA_FORM_STYLESHEET

        lean = _lean_user_agent_stylesheet()
        return [lean, UA_FORM_STYLESHEET] if forms else [lean]


def release_layout(document, pdf):
    """A ``write_pdf`` finisher: free the laid-out pages before the file is written.

    ``generate_pdf`` has turned the pages into PDF objects by then; the box tree is not
    needed for writing them. Its boxes refer to each other in cycles, so only the cyclic
    garbage collector frees them (470,000 objects for 1,500 measures); the memory that the
    writing takes (joining and compressing the streams) then comes from the freed boxes
    instead of adding to the peak: 861 -> 777 MB for WeasyPrint alone on 1,500 measures.
    The bytes are the same; ``document.pages`` is empty afterwards.
    """
    document.pages.clear()
    gc.collect()


@dataclass
class RenderedPDF:
    content: bytes
    pages: int


class PDFGenerator:
    """Renders ``template_name`` with ``get_context_data()`` to a tagged PDF."""

    template_name = None
    pdf_variant = "pdf/ua-1"
    html_class = HTML

    def __init__(self, obj):
        self.object = obj

    def get_context_data(self, **kwargs):
        return {"object": self.object, **kwargs}

    def get_html(self):
        with translation.override("de"):
            return render_to_string(self.template_name, self.get_context_data())

    def get_pdf_options(self):
        # pdf_identifier=True: the file ID is a hash of the content, not random.
        return {"pdf_variant": self.pdf_variant, "pdf_identifier": True}

    def render(self, html=None):
        html = html if html is not None else self.get_html()
        options = self.get_pdf_options()
        speed_up_page_references()
        source = self.html_class(
            string=html, base_url=static_base_url(), url_fetcher=StaticFilesOnlyFetcher()
        )
        del html  # parsed; the text is not needed while laying out
        document = source.render(**options)
        pages = len(document.pages)
        return RenderedPDF(
            content=document.write_pdf(finisher=release_layout, **options), pages=pages
        )

    def get_pdf_bytes(self):
        return self.render().content


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


PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _body(entry):
    return entry.get("label") or entry["name"]


def _date(value, fmt="j. F Y"):
    if not value:
        return None
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    return formats.date_format(day, fmt)


def _measure_view(m):
    """What one measure block shows, formatted for German readers."""
    partners = [
        _body(p)
        + (
            f" ({_percent(p['cost_share_percent'])} der Kosten)"
            if p.get("cost_share_percent")
            else ""
        )
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
        "partner_names": [_body(p) for p in m["partners"]],
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
        ordered = sorted(
            snap["measures"],
            key=lambda m: (
                m["field_of_action"],
                PRIORITY_ORDER.get(m.get("priority"), 3),
                m["title"].casefold(),
                m["id"],
            ),
        )
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
                "name": body.get("label") or body["name"],
                "kind": body["kind_label"],
                "is_member": body["parent_id"] is not None and body["kind"] != "samtgemeinde",
                "led": led.get(body["id"], []),
                "partnered": partnered.get(body["id"], []),
            }
            for body in snap["bodies"]
        ]
        local = timezone.localtime(frozen_at)
        summary = summarise(snap)
        draft = self.object
        return super().get_context_data(
            draft=draft,
            council_document_number=draft.council_document_number,
            committee_meeting=_date(draft.committee_meeting_date, "d.m.Y"),
            council_meeting=_date(draft.council_meeting_date, "d.m.Y"),
            proposed_resolution=snap.get("proposed_resolution")
            or texts.PROPOSED_RESOLUTION.format(version=snap["version_label"]),
            easy_read_summary=snap.get("easy_read_summary")
            or texts.EASY_READ_SUMMARY.format(count=len(snap["measures"])),
            summary=summary,
            summary_budget=_euro(summary["budget_total"]) or "0,00 €",
            budget_rows=[
                (row["number"], row["short_title"], _euro(row["budget"]))
                for row in summary["fields"]
            ],
            body_budget_rows=[(name, _euro(amount)) for name, amount in summary["budget_by_body"]],
            chart_status=charts.status_per_field(summary),
            chart_budget=charts.budget_per_field(summary),
            all_measures=views,
            consultation=_consultation_view(draft),
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
    from .models import Consultation

    consultation = Consultation.objects.filter(draft=draft, closed_at__isnull=False).first()
    if consultation is None or not consultation.result:
        return None
    result = consultation.result
    return {
        "deadline": _date(result["deadline"]),
        "closed_on": _date(
            timezone.localtime(datetime.datetime.fromisoformat(result["closed_at"])).date()
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

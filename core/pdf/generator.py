"""Tagged PDFs with WeasyPrint: a small generator class and what keeps it fast and lean.

WeasyPrint is a hard dependency: a missing library raises, it never yields an empty file.
A generator renders ``template_name`` with ``get_context_data()`` to PDF/UA-1; with the same
context it yields the same bytes (the file ID is a hash of the content). The print templates
reach only the portal's own static files (``core.pdf.assets``).
"""

import functools
import gc
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML

from .assets import StaticFilesOnlyFetcher, static_base_url


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


# The PDF/UA /Scope of a header cell, from the HTML ``scope`` attribute of its ``<th>``.
_TABLE_HEADER_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def add_table_header_scope(document, pdf):
    """A ``write_pdf`` finisher: give every tagged table header cell its /Scope.

    WeasyPrint (70) tags ``<th>`` as /TH and points each /TD at its headers (/Headers and
    /IDs), but writes no /Scope, which PDF/UA checkers ask of every header cell (Matterhorn
    15-003). Its tagging leaves each cell's structure element on the cell box (``mark``);
    the attribute is added there before the file is written. A ``<th>`` without ``scope``
    counts as a column header, as WeasyPrint's own /Headers mapping treats it.
    """
    for page in document.pages:
        boxes = [page._page_box]
        while boxes:
            box = boxes.pop()
            mark = getattr(box, "mark", None)
            if mark is not None and box.element_tag == "th":
                scope = (box.element.attrib.get("scope") or "col").strip().lower()
                mark["A"]["Scope"] = _TABLE_HEADER_SCOPES.get(scope, "/Column")
            boxes.extend(getattr(box, "children", ()))


# From this many pages on, ``release_layout`` runs the cyclic garbage collector.
RELEASE_LAYOUT_COLLECT_PAGES = 200


def release_layout(document, pdf):
    """A ``write_pdf`` finisher: free the laid-out pages before the file is written.

    ``generate_pdf`` has turned the pages into PDF objects by then; the box tree is not
    needed for writing them. Its boxes refer to each other in cycles, so only the cyclic
    garbage collector frees them (470,000 objects for 1,500 measures); the memory that the
    writing takes (joining and compressing the streams) then comes from the freed boxes
    instead of adding to the peak: 861 -> 777 MB for WeasyPrint alone on 1,500 measures.
    A full collection walks every object of the process, though (0.2 s, 5 % of a 24-page
    Vorlage); below ``RELEASE_LAYOUT_COLLECT_PAGES`` pages the boxes are only let go and the
    collector frees them in its own time. The bytes are the same; ``document.pages`` is
    empty afterwards.
    """
    collect = len(document.pages) >= RELEASE_LAYOUT_COLLECT_PAGES
    document.pages.clear()
    if collect:
        gc.collect()


def finish_pdf(document, pdf):
    """The generator's ``write_pdf`` finisher: header scopes, then the layout released."""
    add_table_header_scope(document, pdf)
    release_layout(document, pdf)


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
        return RenderedPDF(content=document.write_pdf(finisher=finish_pdf, **options), pages=pages)

    def get_pdf_bytes(self):
        return self.render().content

"""The draft PDF's memory savings leave its bytes as stock WeasyPrint makes them (issue 9).

Stock WeasyPrint here gets the same header-scope finisher (``add_table_header_scope``): that
one adds to the file on purpose; the savings must add nothing.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint import HTML
from weasyprint.html import UA

from core.pdf.assets import StaticFilesOnlyFetcher, static_base_url
from core.pdf.generator import LeanHTML, add_table_header_scope, lean_user_agent_css
from drafts.models import StrategyDraft
from drafts.pdf import DraftPDFGenerator
from drafts.workflow import freeze

PRINT_TEMPLATES = Path(settings.BASE_DIR, "templates", "drafts", "pdf")


def test_lean_stylesheet_leaves_out_only_the_pseudo_elements_of_every_element():
    lean = lean_user_agent_css(UA)
    removed = set(UA.splitlines()) - set(lean.splitlines())
    assert {line.split(" {")[0] for line in removed} == {
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    }
    assert "\nli::marker { font-variant-numeric: tabular-nums;" in lean
    assert len(lean.splitlines()) == len(UA.splitlines()) - 5


def test_lean_stylesheet_refuses_a_changed_weasyprint_stylesheet():
    with pytest.raises(RuntimeError, match="marker"):
        lean_user_agent_css(UA.replace("\n::marker {", "\n::marker, x {"))
    with pytest.raises(RuntimeError, match="footnotes"):
        lean_user_agent_css(UA.replace("\n::note-callback {", "\nx::note-callback {"))


def test_print_templates_use_no_footnotes_notes_or_list_items_but_li():
    """What the lean stylesheet assumes; with any of these, use WeasyPrint's own again."""
    for path in sorted(PRINT_TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"footnote|note\(|list-item|::?marker", text), path.name


@pytest.mark.django_db
def test_draft_pdf_has_the_same_bytes_as_stock_weasyprint(measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    generator = DraftPDFGenerator(StrategyDraft.objects.get(pk=draft.pk))
    assert generator.html_class is LeanHTML
    html = generator.get_html()
    options = generator.get_pdf_options()
    stock = HTML(
        string=html, base_url=static_base_url(), url_fetcher=StaticFilesOnlyFetcher()
    ).render(**options)
    result = generator.render(html)
    assert result.pages == len(stock.pages) > 10
    assert result.content == stock.write_pdf(finisher=add_table_header_scope, **options)

"""Each deciding body's Beschlussvorlage (issue 20 §2): read with pypdf."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from drafts import adoption
from drafts.adoption_models import DecisionProcedure
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze
from tests.drafts.test_council_document import _children, _structure, _text
from tests.drafts.test_financial_impact import money_measures  # noqa: F401 - fixture
from tests.pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def frozen_draft(measures, draft, users):
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    return draft


def _get(client, draft, slug):
    """The Vorlage as a reader gets it: the first request queues the render (run here after
    the response, as a worker would) and answers 202; looking again gives the file."""
    url = reverse("drafts:body_document", args=[draft.pk, slug])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    if response.status_code == 202:
        response = client.get(url)
    return response


def _reader(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data, PdfReader(io.BytesIO(data))


def test_a_samtgemeindes_vorlage_has_its_resolution_and_only_its_and_its_members_measures(
    as_role, frozen_draft, district, measures, users
):
    procedure = DecisionProcedure.objects.get(municipality=district["elbtalaue"])
    adoption.save_procedure(
        procedure,
        users["coordinator"],
        "SG-2027/17",
        "",
        [
            {
                "committee": "Samtgemeindeausschuss",
                "meeting_date": datetime.date(2027, 3, 1),
                "public": False,
                "role": "advises",
            },
            {
                "committee": "Samtgemeinderat",
                "meeting_date": datetime.date(2027, 3, 10),
                "public": True,
                "role": "decides",
            },
        ],
    )
    response = _get(as_role("coordinator"), frozen_draft, "sg-elbtalaue")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data, reader = _reader(response)
    first = reader.pages[0].extract_text()
    assert "Samtgemeinde Elbtalaue" in first and "SG-2027/17" in first
    assert "Samtgemeinderat" in first and "10.03.2027" in first
    text = " ".join(_text(reader).split())
    assert "Der Samtgemeinderat stimmt der interkommunalen Digitalisierungsstrategie zu" in text
    snapshot = StrategyDraft.objects.get(pk=frozen_draft.pk).snapshot
    mine = {district["elbtalaue"].pk, district["hitzacker"].pk, district["dannenberg"].pk}
    for m in snapshot["measures"]:
        concerned = m["lead"]["id"] in mine or any(p["id"] in mine for p in m["partners"])
        assert (m["reference"] in text) == concerned, m["reference"]
    assert "Hitzacker (Elbe)" in text  # members' measures marked by body
    # Tagged: tables with header cells, the chart as a Figure with its Alt text.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de" and "/StructTreeRoot" in root
    tree = _structure(reader)
    tables = [node for tag, node in tree if tag == "/Table"]
    assert any(
        _children(head, "/TR") and _children(_children(head, "/TR")[0], "/TH")
        for table in tables
        for head in _children(table, "/THead")
    )
    alts = {str(node.get("/Alt")) for tag, node in tree if tag == "/Figure"}
    assert "Maßnahmen je Handlungsfeld nach Umsetzungsstand" in alts
    # Byte-identical on re-render (not the stored file).
    from drafts.body_document import render_body_document

    procedure = DecisionProcedure.objects.get(pk=procedure.pk)
    assert render_body_document(procedure) == data


def test_a_bodys_vorlage_passes_the_pdf_ua_checker(as_role, frozen_draft, tmp_path):
    data, _reader_ = _reader(_get(as_role("coordinator"), frozen_draft, "sg-elbtalaue"))
    assert pdf_ua_problems(data, tmp_path) == []


def test_the_gartow_vorlage_leaves_out_elbtalaues_measures(as_role, frozen_draft, district):
    _data, reader = _reader(_get(as_role("coordinator"), frozen_draft, "sg-gartow"))
    text = " ".join(_text(reader).split())
    snapshot = StrategyDraft.objects.get(pk=frozen_draft.pk).snapshot
    mine = {district["gartow"].pk, district["gorleben"].pk}
    for m in snapshot["measures"]:
        concerned = m["lead"]["id"] in mine or any(p["id"] in mine for p in m["partners"])
        assert (m["reference"] in text) == concerned, m["reference"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),  # never an unpublished Vorlage
        ("editor_own", 404),  # Hitzacker decides nothing here and has no open Abstimmung
        ("editor_other", 404),
        ("samtgemeinde_editor", 200),
        ("coordinator", 200),
        ("council", 200),
    ],
)
def test_body_document_matrix_before_presenting(as_role, frozen_draft, role, status):
    assert _get(as_role(role), frozen_draft, "sg-elbtalaue").status_code == status


def test_the_public_reads_the_vorlage_once_presented(client, frozen_draft):
    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(state=DraftState.PUBLISHED)
    assert _get(client, frozen_draft, "sg-elbtalaue").status_code == 200
    assert _get(client, frozen_draft, "kein-rat").status_code == 404


def test_the_kreistags_vorlage_is_the_versions_pdf_with_the_annex_of_the_councils(
    as_role, frozen_draft, district, users
):
    from drafts.tasks import render_now

    procedure = DecisionProcedure.objects.get(municipality=district["gartow"])
    adoption.save_procedure(
        procedure,
        users["coordinator"],
        "G-12",
        "",
        [
            {
                "committee": "Samtgemeinderat",
                "meeting_date": datetime.date(2027, 4, 7),
                "public": True,
                "role": "decides",
            },
        ],
    )
    response = _get(as_role("coordinator"), frozen_draft, "landkreis-luechow-dannenberg")
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:pdf", args=[frozen_draft.pk])
    draft = render_now(StrategyDraft.objects.get(pk=frozen_draft.pk))
    with draft.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(_text(reader).split())
    assert "Anlage: Beschlussverfahren in den Kommunen" in text
    assert "Samtgemeinde Gartow G-12 Samtgemeinderat 07.04.2027, Beschluss" in text
    assert "Samtgemeinde Elbtalaue" in text


def _section(text, start, end=None):
    section = text[text.index(start) :]
    return section[: section.index(end)] if end else section


@pytest.mark.usefixtures("money_measures")
def test_a_samtgemeindes_vorlage_has_the_financial_impact_of_it_and_its_members(
    as_role, draft, district, users, tmp_path
):
    """Issue 21 §4 for each body: the per-year table of the Kreistag's Vorlage, with the
    Samtgemeinde's and its members' shares (Hitzacker leads A, Dannenberg pays 25 %: both
    are members of Elbtalaue, so all of A counts; B is Gorleben's, a member of Gartow)."""
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    data, reader = _reader(_get(as_role("coordinator"), draft, "sg-elbtalaue"))
    text = _text(reader)
    section = _section(text, "Finanzielle Auswirkungen je Haushaltsjahr")
    assert "für Samtgemeinde Elbtalaue und ihre Mitgliedsgemeinden" in " ".join(section.split())
    lines = [" ".join(line.split()) for line in section.splitlines()]
    # Year, investment, running, follow-up, funding approved, funding open, own share.
    assert "2027 10.000,00 € 2.000,00 € 0,00 € 4.000,00 € 0,00 € 8.000,00 €" in lines
    assert "2028 0,00 € 3.000,00 € 0,00 € 0,00 € 1.000,00 € 3.000,00 €" in lines
    assert "2029 0,00 € 0,00 € 500,00 € 0,00 € 0,00 € 500,00 €" in lines
    assert "Summe 10.000,00 € 5.000,00 € 500,00 € 4.000,00 € 1.000,00 € 11.500,00 €" in lines
    assert "1.000,01 €" not in section  # Gorleben's measure belongs to Gartow
    # Own share by body: each member's part of the joint measure.
    assert "Hitzacker (Elbe) 11.625,00 € 3.000,00 € 8.625,00 €" in lines
    assert "Dannenberg (Elbe) 3.875,00 € 1.000,00 € 2.875,00 €" in lines
    assert "Pflichtaufgaben 15.500,00 €" in lines
    assert pdf_ua_problems(data, tmp_path) == []
    from django.core.cache import cache

    cache.clear()
    again, _ = _reader(_get(as_role("coordinator"), draft, "sg-elbtalaue"))
    assert again == data

    _data, gartow = _reader(_get(as_role("coordinator"), draft, "sg-gartow"))
    lines = [
        " ".join(line.split()) for line in _section(_text(gartow), "je Haushaltsjahr").split("\n")
    ]
    assert "2027 0,00 € 1.000,01 € 0,00 € 0,00 € 0,00 € 1.000,01 €" in lines
    assert "Summe 0,00 € 1.000,01 € 0,00 € 0,00 € 0,00 € 1.000,01 €" in lines
    assert "freiwillige Leistungen 1.000,01 €" in lines
    assert "2028" not in _section(_text(gartow), "je Haushaltsjahr", "Eigenanteil je Kommune")


def test_a_body_without_costs_per_year_is_told_so(as_role, frozen_draft):
    """The measures fixture plans no year (no cost plan rows): a German empty state."""
    _data, reader = _reader(_get(as_role("coordinator"), frozen_draft, "sg-gartow"))
    text = " ".join(_text(reader).split())
    assert (
        "Für Samtgemeinde Gartow und ihre Mitgliedsgemeinden sind bei den Maßnahmen "
        "dieser Version keine Kosten je Haushaltsjahr angegeben." in text
    )


@pytest.mark.usefixtures("money_measures")
def test_the_figures_of_several_bodies_add_up(draft, users, district):
    from measures.impact import financial_impact

    draft = freeze(draft, users["coordinator"], render=False)
    snap = draft.snapshot
    hitzacker = financial_impact(snap, body=district["hitzacker"].pk)
    dannenberg = financial_impact(snap, body=district["dannenberg"].pk)
    both = financial_impact(snap, bodies={district["hitzacker"].pk, district["dannenberg"].pk})
    assert both.total.own == hitzacker.total.own + dannenberg.total.own
    assert both.total.funding_open == hitzacker.total.funding_open + dannenberg.total.funding_open
    # Both together are the whole of the joint measure A.
    whole = financial_impact(dict(snap, measures=[m for m in snap["measures"] if m["partners"]]))
    assert both.total == whole.total
    assert [name for name, *_ in both.by_body] == ["Hitzacker (Elbe)", "Dannenberg (Elbe)"]


def test_a_measure_without_budget_or_share_shows_a_dash_never_none():
    from types import SimpleNamespace

    from drafts.body_document import measure_rows

    body = SimpleNamespace(pk=2, is_samtgemeinde=False)
    snapshot = {
        "bodies": [],
        "measures": [
            {
                "id": 1,
                "reference": "M-0001",
                "title": "Ohne Budget",
                "field_of_action": 1,
                "lead": {"id": 2, "name": "Gorleben"},
                "partners": [],
                "budget_planned": None,
            },
            {
                "id": 2,
                "reference": "M-0002",
                "title": "Beteiligt ohne Kostenanteil",
                "field_of_action": 1,
                "lead": {"id": 3, "name": "Gartow"},
                "partners": [{"id": 2, "name": "Gorleben"}],
                "budget_planned": "1000.00",
            },
        ],
    }
    led, partnered = measure_rows(SimpleNamespace(municipality=body), snapshot)
    assert (led[0]["budget"], led[0]["share"]) == ("–", "–")
    assert (partnered[0]["cost_share"], partnered[0]["share"]) == ("–", "–")


@pytest.mark.usefixtures("money_measures")
def test_a_gemeinderats_vorlage_has_only_its_own_share(as_role, draft, district, users):
    """Hitzacker (a member town added as deciding body) bears 75 % of the joint measure A."""
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.add_body(draft, users["coordinator"], district["hitzacker"])
    _data, reader = _reader(_get(as_role("coordinator"), draft, "hitzacker-elbe"))
    section = _section(_text(reader), "Finanzielle Auswirkungen je Haushaltsjahr")
    assert "für Hitzacker (Elbe)" in " ".join(section.split()[:8])
    lines = [" ".join(line.split()) for line in section.splitlines()]
    assert "2027 7.500,00 € 1.500,00 € 0,00 € 3.000,00 € 0,00 € 6.000,00 €" in lines
    assert "Summe 7.500,00 € 3.750,00 € 375,00 € 3.000,00 € 750,00 € 8.625,00 €" in lines
    assert not any(line.startswith("Dannenberg (Elbe)") for line in lines)


def test_the_fixed_columns_of_the_measure_tables_fit_their_references_and_amounts():
    """The widths of ``measure_columns`` are estimates from the font's digit widths: laid out
    by WeasyPrint, no reference, amount or percentage is wider than its cell (they do not
    wrap, so a too narrow column would run into the next one)."""
    from pathlib import Path

    from django.conf import settings
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from drafts.body_document import measure_columns

    amounts = ["99.999.999,99 €", "1.234.567,00 €", "0,00 €", "–"]
    led = [
        {"reference": ref, "budget": amount, "share": amount}
        for ref, amount in zip(["M-0001", "M-10000", "M-99999", "M-0815"], amounts, strict=True)
    ]
    partnered = [
        {"reference": "M-0002", "cost_share": share, "share": amount}
        for share, amount in zip(["12,5 %", "100 %", "33,33 %", "–"], amounts, strict=True)
    ]
    led_columns, partnered_columns = measure_columns(led, partnered, is_samtgemeinde=True)
    assert led_columns[1] is None and partnered_columns[1] is None  # the title takes the rest

    def table(columns, rows, keys):
        cols = "".join(f'<col style="width: {w}">' if w else "<col>" for w in columns)
        body = "".join(
            f'<tr><th scope="row">{row["reference"]}</th><td>Titel</td><td>1</td><td>Gartow</td>'
            f"<td>–</td>"
            + "".join(f'<td class="num nobr">{row[key]}</td>' for key in keys)
            + "</tr>"
            for row in rows
        )
        colgroup = f"<colgroup>{cols}</colgroup>"
        return f'<table class="compact list">{colgroup}<tbody>{body}</tbody></table>'

    css = Path(settings.BASE_DIR, "templates/drafts/pdf/print.css").read_text(encoding="utf-8")
    html = (
        f'<html lang="de"><style>{css}</style><body>'
        + table(led_columns, led, ["budget", "share"])
        + table(partnered_columns, partnered, ["cost_share", "share"])
        + "</body></html>"
    )
    page = HTML(string=html).render().pages[0]._page_box
    checked, stack = 0, [page]
    while stack:
        box = stack.pop()
        stack.extend(getattr(box, "children", ()))
        if not isinstance(box, boxes.TableCellBox) or box.grid_x == 1:
            continue
        (line,) = box.children  # one line: nothing wrapped
        text_width = sum(child.margin_width() for child in line.children)
        assert text_width <= box.width, (box.grid_x, [c.text for c in line.children])
        checked += 1
    assert checked == 8 * 6

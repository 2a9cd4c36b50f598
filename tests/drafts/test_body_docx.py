"""Each Vorlage's text parts as a Word file for the council information system (issue 20 §6):
opened with python-docx; who may download it; the same data gives the same bytes."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from drafts import adoption
from drafts.adoption_models import DecisionProcedure
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze
from tests.drafts.test_financial_impact import money_measures  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def frozen_draft(measures, draft, users):
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    return draft


@pytest.fixture
def money_draft(money_measures, draft, users):  # noqa: F811 - the fixture imported above
    draft.council_document_number = "2027/001"
    draft.save()
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    return draft


def _get(client, draft, slug):
    return client.get(reverse("drafts:body_docx", args=[draft.pk, slug]))


def _document(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content, Document(io.BytesIO(response.content))


def _headings(document):
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]


def _rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_a_samtgemeindes_word_file_has_its_texts_and_the_financial_table(
    as_role, money_draft, users
):
    procedure = DecisionProcedure.objects.get(municipality__slug="sg-elbtalaue")
    adoption.save_procedure(
        procedure,
        users["coordinator"],
        "SG-2027/17",
        "Der Samtgemeinderat stimmt zu.\n\nDie Verwaltung setzt um.",
        [
            {
                "committee": "Samtgemeinderat",
                "meeting_date": datetime.date(2027, 3, 10),
                "public": True,
                "role": "decides",
            }
        ],
    )
    data, document = _document(_get(as_role("coordinator"), money_draft, "sg-elbtalaue"))
    assert _headings(document) == [
        ("Title", "Interkommunale Digitalisierungsstrategie"),
        ("Heading 1", "Beschlussvorschlag"),
        ("Heading 1", "Sachverhalt und Begründung"),
        ("Heading 1", "Finanzielle Auswirkungen"),
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Samtgemeinde Elbtalaue" in text and "Vorlage Nr.: SG-2027/17" in text
    assert "Maßgeblich ist die Beschlussvorlage als PDF" in text
    # The edited Beschlussvorschlag, paragraph by paragraph.
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Beschlussvorschlag")
    assert paragraphs[start + 1 : start + 3] == [
        "Der Samtgemeinderat stimmt zu.",
        "Die Verwaltung setzt um.",
    ]
    assert "Der Kreistag hat die Kreisverwaltung beauftragt." in text  # Sachverhalt
    assert "Sie bindet Samtgemeinde Elbtalaue erst, wenn der Rat sie beschließt." in text
    assert "Gezeigt ist, was auf Samtgemeinde Elbtalaue und ihre Mitgliedsgemeinden" in text

    years, kinds, bodies = document.tables
    assert _rows(years) == [
        [
            "Haushaltsjahr",
            "Investition",
            "laufender Aufwand",
            "Folgekosten",
            "Förderung bewilligt",
            "Förderung offen",
            "Eigenanteil",
        ],
        ["2027", "10.000,00 €", "2.000,00 €", "0,00 €", "4.000,00 €", "0,00 €", "8.000,00 €"],
        ["2028", "0,00 €", "3.000,00 €", "0,00 €", "0,00 €", "1.000,00 €", "3.000,00 €"],
        ["2029", "0,00 €", "0,00 €", "500,00 €", "0,00 €", "0,00 €", "500,00 €"],
        [
            "Summe",
            "10.000,00 €",
            "5.000,00 €",
            "500,00 €",
            "4.000,00 €",
            "1.000,00 €",
            "11.500,00 €",
        ],
    ]
    # The header row repeats on every page and is bold; the table has a title.
    head = years.rows[0]._tr
    assert head.trPr is not None and head.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in years.rows[0].cells for run in cell.paragraphs[0].runs)
    assert all(
        row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
        for row in years.rows[1:]
    )
    caption = years._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
    assert caption == (
        "Finanzielle Auswirkungen je Haushaltsjahr für Samtgemeinde Elbtalaue und ihre "
        "Mitgliedsgemeinden"
    )
    assert document.styles["Caption"].font.color.rgb == RGBColor(0x17, 0x36, 0x5D)  # 11:1
    assert _rows(kinds)[1] == ["Pflichtaufgaben", "15.500,00 €"]
    assert _rows(bodies)[1:] == [
        ["Hitzacker (Elbe)", "11.625,00 €", "3.000,00 €", "8.625,00 €"],
        ["Dannenberg (Elbe)", "3.875,00 €", "1.000,00 €", "2.875,00 €"],
    ]
    # Metadata: German, the title, the freeze as date.
    props = document.core_properties
    assert props.title == (
        "Interkommunale Digitalisierungsstrategie – Beschlussvorlage Samtgemeinde Elbtalaue – "
        "Entwurf 1"
    )
    assert props.language == "de-DE"
    frozen_at = datetime.datetime.fromisoformat(
        StrategyDraft.objects.get(pk=money_draft.pk).snapshot["frozen_at"]
    )
    assert props.created == frozen_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert props.modified == props.created
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "de-DE"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_the_same_version_gives_the_same_bytes(as_role, money_draft):
    first = _get(as_role("coordinator"), money_draft, "sg-elbtalaue").content
    with time_machine.travel(datetime.datetime(2031, 5, 4, 12, 0, tzinfo=datetime.UTC)):
        later = _get(as_role("coordinator"), money_draft, "sg-elbtalaue").content
    assert later == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        frozen = datetime.datetime.fromisoformat(
            StrategyDraft.objects.get(pk=money_draft.pk).snapshot["frozen_at"]
        )
        assert {info.date_time[0] for info in archive.infolist()} == {frozen.year}


def test_the_kreistags_word_file_has_the_whole_districts_figures(as_role, money_draft):
    _data, document = _document(
        _get(as_role("coordinator"), money_draft, "landkreis-luechow-dannenberg")
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Vorlage Nr.: 2027/001" in text
    assert "Der Kreistag des Landkreises Lüchow-Dannenberg beschließt:" in text
    assert "Gezeigt ist" not in text  # all measures, not a body's part
    years = _rows(document.tables[0])
    assert years[0][0] == "Haushaltsjahr"
    assert years[-1] == [
        "Summe",
        "10.000,00 €",
        "6.000,01 €",
        "500,00 €",
        "4.000,00 €",
        "1.000,00 €",
        "12.500,01 €",
    ]


def test_a_body_without_costs_per_year_gets_the_german_empty_state(as_role, frozen_draft):
    _data, document = _document(_get(as_role("coordinator"), frozen_draft, "sg-gartow"))
    assert not document.tables
    assert (
        "Für Samtgemeinde Gartow und ihre Mitgliedsgemeinden sind bei den Maßnahmen dieser "
        "Version keine Kosten je Haushaltsjahr angegeben." in [p.text for p in document.paragraphs]
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),  # never an unpublished Vorlage
        ("editor_own", 404),
        ("editor_other", 404),
        ("samtgemeinde_editor", 200),
        ("coordinator", 200),
        ("council", 200),
    ],
)
def test_word_file_matrix_before_presenting(as_role, frozen_draft, role, status):
    assert _get(as_role(role), frozen_draft, "sg-elbtalaue").status_code == status
    kreistag = _get(as_role(role), frozen_draft, "landkreis-luechow-dannenberg")
    assert kreistag.status_code == status


def test_the_public_gets_the_word_file_once_presented(client, frozen_draft):
    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(state=DraftState.PUBLISHED)
    assert _get(client, frozen_draft, "sg-elbtalaue").status_code == 200
    assert _get(client, frozen_draft, "kein-rat").status_code == 404
    assert _get(client, frozen_draft, "hitzacker-elbe").status_code == 404  # not deciding


def test_no_word_file_before_the_freeze(as_role, draft):
    assert _get(as_role("coordinator"), draft, "sg-elbtalaue").status_code == 404


def test_the_overview_links_the_word_file_next_to_the_pdf(as_role, frozen_draft):
    page = as_role("coordinator").get(reverse("drafts:adoption", args=[frozen_draft.pk]))
    html = page.content.decode()
    pdf = reverse("drafts:body_document", args=[frozen_draft.pk, "sg-elbtalaue"])
    word = reverse("drafts:body_docx", args=[frozen_draft.pk, "sg-elbtalaue"])
    assert html.index(pdf) < html.index(word)
    assert "Text für das Ratsinformationssystem (Word)" in html
    assert "Maßgeblich bleibt die Vorlage als PDF." in html

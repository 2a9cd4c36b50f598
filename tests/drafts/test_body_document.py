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
from tests.pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db


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

"""The PDF as a Beschlussvorlage the Kreistag can decide on (issue 9 §2), read via pypdf."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.locking import version_token
from drafts.consultation import close, open_consultation, submit_position
from drafts.models import Stance, StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze
from measures.models import Measure, Status
from measures.review import ReviewState, after_edit, transition_to
from tests.pdf_ua import pdf_ua_problems

from .conftest import build_draft

pytestmark = pytest.mark.django_db


def _pdf(draft):
    draft = StrategyDraft.objects.get(pk=draft.pk)
    with draft.pdf.open("rb") as handle:
        data = handle.read()
    return data, PdfReader(io.BytesIO(data))


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _structure(reader):
    """[(tag, element)] of the whole structure tree, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            tag = node.get("/S")
            if tag is not None:
                found.append((str(tag), node))
            kids = node.get("/K")
            if kids is None:
                return
            if not isinstance(kids, list):
                kids = [kids]
            for kid in kids:
                try:
                    walk(kid)
                except AttributeError:
                    continue  # marked-content ids

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def _children(node, tag):
    kids = node.get("/K") or []
    if not isinstance(kids, list):
        kids = [kids]
    result = []
    for kid in kids:
        try:
            obj = kid.get_object()
        except AttributeError:
            continue
        if hasattr(obj, "get") and str(obj.get("/S")) == tag:
            result.append(obj)
    return result


# District, users and measures, and the consulted Vorlage rendered from them, are built once
# for this module (tests/drafts/conftest.py); each test reads them afresh, with a copy of the
# files, and its changes are rolled back.
SHARED_WORLD = True


def WORLD_EXTRA(district, users, measures):  # noqa: N802 - read by module_world
    built = build_consulted(measures, build_draft(users), users, district)
    return {key: row.pk for key, row in built.items()}


@pytest.fixture
def consulted(module_world):
    """Entwurf 1 with a paused and a dropped measure, consulted and closed."""
    keys = module_world["extra"]
    return {
        "draft": StrategyDraft.objects.get(pk=keys["draft"]),
        "paused": Measure.objects.get(pk=keys["paused"]),
        "dropped": Measure.objects.get(pk=keys["dropped"]),
    }


def build_consulted(measures, draft, users, district):
    paused, dropped = measures["accepted"][0], measures["accepted"][1]
    for measure, status in ((paused, Status.PAUSED), (dropped, Status.DROPPED)):
        measure.status = status
        measure.save()
        after_edit(measure, users["coordinator"])  # progress fields update the accepted version
    draft.council_document_number = "2027/015"
    draft.committee_meeting_date = datetime.date(2027, 3, 4)
    draft.council_meeting_date = datetime.date(2027, 3, 18)
    draft.save()
    freeze(draft, users["coordinator"], render=False)
    consultation = open_consultation(
        draft, users["coordinator"], datetime.date.today() + datetime.timedelta(days=10)
    )
    submit_position(
        consultation,
        users["editor_own"],
        district["hitzacker"],
        Stance.AGREE_WITH_REMARKS,
        "Hitzacker stimmt zu und bittet um einen früheren Start.",
        {measures["accepted"][2].pk: "Bitte 2027 beginnen."},
    )
    submit_position(
        consultation, users["editor_other"], district["gorleben"], Stance.OBJECT, "Zu teuer.", {}
    )
    close(consultation, users["coordinator"])
    render_now(StrategyDraft.objects.get(pk=draft.pk))
    return {"draft": draft, "paused": paused, "dropped": dropped}


def test_cover_resolution_and_summary(consulted):
    data, reader = _pdf(consulted["draft"])
    first = reader.pages[0].extract_text()
    assert "Landkreis Lüchow-Dannenberg" in first  # no hyphenated break in the name
    assert "Beschlussvorlage Nr. 2027/015".upper() in first.upper()
    assert "Kreisausschuss" in first and "04.03.2027" in first
    assert "Kreistag" in first and "18.03.2027" in first
    assert "Entwurf zur Beratung und Beschlussfassung" in first
    text = _text(reader)
    assert "Der Kreistag des Landkreises Lüchow-Dannenberg beschließt:" in text
    assert "Sachverhalt und Begründung" in text
    assert "Geplantes Budget insgesamt" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    order = ["Beschlussvorschlag", "Sachverhalt und Begründung", "Zusammenfassung"]
    assert [t for t in outline if t in order] == order
    # The summary fits on at most two pages: from its heading to the next part's.
    starts = {
        title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
        for title in [item.title]
    }
    assert 0 <= starts["Übersicht aller Maßnahmen"] - starts["Zusammenfassung"] <= 1


def test_figures_have_alt_text_and_the_overview_is_a_table_with_header_rows(consulted):
    _, reader = _pdf(consulted["draft"])
    tree = _structure(reader)
    figures = [node for tag, node in tree if tag == "/Figure"]
    alts = {str(node.get("/Alt")) for node in figures}
    assert "Maßnahmen je Handlungsfeld nach Umsetzungsstand" in alts
    assert "Geplantes Budget je Handlungsfeld" in alts
    tables = [node for tag, node in tree if tag == "/Table"]
    headed = []
    for table in tables:
        for head in _children(table, "/THead"):
            rows = _children(head, "/TR")
            if rows and _children(rows[0], "/TH"):
                headed.append(table)
    assert len(headed) >= 3  # cover, summary tables, the overview of all measures, ...
    text = _text(reader)
    assert "Übersicht aller Maßnahmen" in text and "Budget geplant" in text


def test_paused_marked_dropped_left_out_budget_split(consulted):
    _, reader = _pdf(consulted["draft"])
    text = _text(reader)
    assert f"{consulted['paused'].title} (pausiert)" in text
    assert consulted["dropped"].title not in text
    assert "Budget geplant:" in text and "verausgabt:" in text
    assert "Gorleben" in text and "Samtgemeinde Elbtalaue" in text


def test_consultation_annex_lists_every_position(consulted, district):
    _, reader = _pdf(consulted["draft"])
    text = " ".join(_text(reader).split())
    assert "Anlage: Ergebnis der Abstimmung mit den Kommunen" in text
    assert "2 von 5 Kommunen haben geantwortet" in text
    assert "Hitzacker stimmt zu und bittet um einen früheren Start." in text
    assert "Zu teuer." in text and "Ablehnung" in text
    assert "Bitte 2027 beginnen." in text
    assert "keine Stellungnahme" in text  # the bodies that did not answer are listed too
    for annex in ["Wie die Wirkung gemessen wird", "Glossar", "Leichter Sprache", "Quellen"]:
        assert annex in text
    assert "Medienbruchfrei" in text and "LeiKa" in text


def test_consulted_pdf_passes_the_pdf_ua_checker(consulted, tmp_path):
    data, _ = _pdf(consulted["draft"])
    assert pdf_ua_problems(data, tmp_path) == []


def test_rendering_again_gives_the_same_bytes(consulted):
    first, _ = _pdf(consulted["draft"])
    render_now(StrategyDraft.objects.get(pk=consulted["draft"].pk))
    second, reader = _pdf(consulted["draft"])
    assert first == second
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_second_version_shows_what_changed_since_the_consulted_one(
    consulted, measures, users, tmp_path
):
    changed = measures["accepted"][4]
    changed.title = "Geänderter Titel nach der Abstimmung"
    changed.save()
    after_edit(changed, users["editor_own"])
    transition_to(Measure.objects.get(pk=changed.pk), ReviewState.ACCEPTED, users["coordinator"])
    second = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 2",
        resolution_date=datetime.date(2026, 6, 18),
    )
    freeze(second, users["coordinator"], render=False)
    render_now(StrategyDraft.objects.get(pk=second.pk))
    data, reader = _pdf(second)
    assert pdf_ua_problems(data, tmp_path) == []
    text = " ".join(_text(reader).split())
    assert "Anlage: Änderungen gegenüber Entwurf 1" in text
    assert "zu der die Kommunen Stellung genommen haben" in text
    assert "Geänderter Titel nach der Abstimmung" in text
    # Entwurf 2 itself was not consulted: no annex of positions.
    assert "Anlage: Ergebnis der Abstimmung" not in text


def test_draft_page_shows_the_summary_and_the_pdf_size(as_role, consulted):
    html = as_role("council").get(consulted["draft"].get_absolute_url()).content.decode()
    assert "Zusammenfassung" in html and 'role="img"' in html
    assert "<caption>Maßnahmen je Handlungsfeld und Umsetzungsstand</caption>" in html
    assert "Zur Abstimmung" in html
    assert "PDF herunterladen (" in html and "Seiten)" in html
    assert "KB" in html or "MB" in html


def test_council_document_data_after_freezing_renders_again(
    as_role, measures, draft, users, django_capture_on_commit_callbacks
):
    freeze(draft, users["coordinator"], render=False)
    render_now(StrategyDraft.objects.get(pk=draft.pk))
    before = StrategyDraft.objects.get(pk=draft.pk).pdf_sha256
    client = as_role("coordinator")
    url = reverse("drafts:council_document", args=[draft.pk])
    refused = client.post(
        url,
        {"council_document_number": "2027/1", "committee_meeting_date": "2027-03-18",
         "council_meeting_date": "2027-03-04"},
        follow=True,
    )  # fmt: skip
    assert "nach dem Kreisausschuss" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"council_document_number": "2027/1", "committee_meeting_date": "04.03.2027",
             "council_meeting_date": "2027-03-18",
             "loaded_version": version_token(StrategyDraft.objects.get(pk=draft.pk))},
        )  # fmt: skip
    draft = StrategyDraft.objects.get(pk=draft.pk)
    assert draft.council_document_number == "2027/1"
    assert draft.pdf_sha256 != before  # rendered again in the eager test worker
    for role in ("editor_own", "council"):
        assert as_role(role).post(url, {"council_document_number": "x"}).status_code in (403, 404)

"""Freezing, snapshot immutability, the PDF's content and reproducibility."""

import datetime
import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from drafts.models import DraftState, StrategyDraft
from drafts.pdf import DraftPDFGenerator
from drafts.tasks import render_now
from drafts.workflow import DraftError, freeze
from measures.models import Measure
from measures.review import ReviewState, after_edit, after_part_edit, transition_to
from tests.factories import MeasureFactory
from tests.pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


def frozen(draft, users):
    freeze(draft, users["coordinator"], render=False)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def rendered(measures, draft, users):
    draft = render_now(frozen(draft, users))
    with draft.pdf.open("rb") as handle:
        data = handle.read()
    return draft, data, PdfReader(io.BytesIO(data))


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def test_deadline_defaults_to_six_months_after_resolution(draft):
    assert draft.deadline == datetime.date(2026, 12, 18)
    late = StrategyDraft.objects.create(
        title="x", version_label="y", resolution_date=datetime.date(2026, 8, 31)
    )
    assert late.deadline == datetime.date(2027, 2, 28)


def test_freeze_snapshots_only_accepted_measures(measures, draft, users):
    draft = frozen(draft, users)
    assert draft.state == DraftState.FROZEN
    ids = {m["id"] for m in draft.snapshot["measures"]}
    assert ids == {m.pk for m in measures["accepted"]}
    assert measures["submitted"].pk not in ids and measures["draft"].pk not in ids
    assert len(draft.snapshot["fields"]) == 6
    assert "Geheimname" not in repr(draft.snapshot)


def test_only_the_coordinator_freezes_and_only_once(measures, draft, users):
    with pytest.raises(DraftError, match="Koordinierungsstelle"):
        freeze(draft, users["council"])
    frozen(draft, users)
    with pytest.raises(DraftError, match="bereits eingefroren"):
        freeze(draft, users["coordinator"])


def test_later_edits_never_change_a_frozen_draft_or_its_pdf(measures, draft, users):
    draft = render_now(frozen(draft, users))
    snapshot_before, sha_before = draft.snapshot, draft.pdf_sha256
    measure = measures["accepted"][0]
    old_title = measure.title
    measure.title = "Völlig neuer Titel nach dem Einfrieren"
    measure.save()
    after_edit(measure, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    Measure.objects.filter(pk=measures["accepted"][1].pk).delete()
    draft = StrategyDraft.objects.get(pk=draft.pk)
    assert draft.snapshot == snapshot_before
    draft = render_now(draft)
    assert draft.pdf_sha256 == sha_before
    with draft.pdf.open("rb") as handle:
        text = _text(PdfReader(handle))
    assert old_title in text
    assert "Völlig neuer Titel" not in text


def test_accepted_version_is_used_while_a_change_is_under_review(measures, draft, users):
    measure = measures["accepted"][0]
    accepted_title = measure.title
    measure.title = "Noch nicht angenommene Änderung"
    measure.save()
    after_edit(measure, users["editor_own"])
    draft = frozen(draft, users)
    titles = {m["title"] for m in draft.snapshot["measures"]}
    assert accepted_title in titles
    assert "Noch nicht angenommene Änderung" not in titles


def test_pdf_contains_every_accepted_measure_and_no_other(rendered, measures):
    _draft, _data, reader = rendered
    text = _text(reader)
    for measure in measures["accepted"]:
        assert measure.title in text, measure.title
        assert measure.reference in text
    assert measures["submitted"].title not in text
    assert measures["draft"].title not in text
    assert "Geheimname" not in text and "erika.geheim" not in text
    for expected in [
        "Inhalt",
        "Sachverhalt und Begründung",
        "Der Kreistag hat die Kreisverwaltung beauftragt.",
        "Ziel im Handlungsfeld 3",
        "Dannenberg (Elbe) (25 % der Kosten)",
        "12.500,50 €",
        "März 2027 bis Juni 2028",
        "Fachdienst Digitalisierung",
        "Maßnahmen nach Kommunen",
        "Quellen",
        "Statistisches Bundesamt",
    ]:
        assert expected in text, expected


def test_pdf_has_six_chapters_in_bookmarks_and_page_numbers(rendered):
    draft, _data, reader = rendered
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    chapters = [t for t in top if re.match(r"Handlungsfeld \d: ", t)]
    assert len(chapters) == 6
    assert top[0] == "Inhalt" and "Sachverhalt und Begründung" in top and "Quellen" in top
    pages = len(reader.pages)
    assert draft.pdf_pages == pages
    for number, page in enumerate(reader.pages, start=1):
        assert f"Seite {number} von {pages}" in page.extract_text()
    # The table of contents carries the page number of each chapter.
    toc = reader.pages[1].extract_text()
    assert re.search(r"Handlungsfeld 1: .*?\s(\d+)\s*$", toc, re.MULTILINE)


def test_pdf_is_tagged_pdf_ua_in_german_with_metadata(rendered):
    _draft, data, reader = rendered
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and re.search(r"pdfuaid:part(>|=\")1", xmp)
    info = reader.metadata
    assert info.title == "Interkommunale Digitalisierungsstrategie – Entwurf 1"
    assert "Landkreis Lüchow-Dannenberg" in info.author
    assert data.startswith(b"%PDF-1.7")


def test_pdf_passes_the_pdf_ua_checker(rendered, tmp_path):
    _draft, data, _reader = rendered
    assert pdf_ua_problems(data, tmp_path) == []


def test_parts_follow_on_the_same_page_instead_of_each_on_a_new_one(rendered):
    _draft, _data, reader = rendered
    starts = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    # Title page, then the table of contents on a page of its own; then no forced breaks.
    assert starts["Inhalt"] == 1
    assert starts["Beschlussvorschlag"] == starts["Sachverhalt und Begründung"] == 2
    chapters = [starts[t] for t in starts if t.startswith("Handlungsfeld ")]
    assert len(set(chapters)) < len(chapters)  # two short chapters share a page
    assert len(reader.pages) < len(starts) + 2


def test_measures_of_a_field_are_ordered_by_number(measures, draft, users):
    field = measures["accepted"][0].field_of_action
    later = MeasureFactory(
        field_of_action=field,
        lead_municipality=measures["accepted"][0].lead_municipality,
        title="Aaa: alphabetisch zuerst, aber zuletzt angelegt",
        priority="high",
    )
    transition_to(later, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(later, ReviewState.ACCEPTED, users["coordinator"])
    context = DraftPDFGenerator(frozen(draft, users)).get_context_data()
    chapter = next(c for c in context["chapters"] if c["number"] == field.number)
    ids = [m["id"] for m in chapter["measures"]]
    assert ids == sorted(ids) and ids[-1] == later.pk
    overview = [(m["field_of_action"], m["id"]) for m in context["all_measures"]]
    assert overview == sorted(overview)


def test_rendering_the_same_frozen_draft_again_gives_the_same_bytes(rendered):
    draft, data, _reader = rendered
    again = render_now(StrategyDraft.objects.get(pk=draft.pk))
    assert again.pdf_sha256 == draft.pdf_sha256 == hashlib.sha256(data).hexdigest()
    with again.pdf.open("rb") as handle:
        assert handle.read() == data
    assert again.pdf.name == draft.pdf.name  # replaced, not a second file


def test_next_version_lists_new_removed_and_changed_measures(measures, draft, users, tmp_path):
    draft = frozen(draft, users)
    changed, removed = measures["accepted"][0], measures["accepted"][1]
    changed.summary = "Neue Kurzbeschreibung"
    changed.save()
    after_edit(changed, users["editor_own"])
    transition_to(changed, ReviewState.ACCEPTED, users["coordinator"])
    Measure.objects.filter(pk=removed.pk).delete()
    new = measures["submitted"]
    transition_to(new, ReviewState.ACCEPTED, users["coordinator"])
    second = StrategyDraft.objects.create(
        title="Fortschreibung",
        version_label="Entwurf 2",
        resolution_date=datetime.date(2026, 6, 18),
    )
    second = frozen(second, users)
    changes = second.snapshot["changes"]
    assert second.previous == draft
    assert [c["id"] for c in changes["new"]] == [new.pk]
    assert [c["id"] for c in changes["removed"]] == [removed.pk]
    assert [c["id"] for c in changes["changed"]] == [changed.pk]
    assert changes["changed"][0]["fields"] == ["Kurzbeschreibung"]
    second = render_now(second)
    with second.pdf.open("rb") as handle:
        assert pdf_ua_problems(handle.read(), tmp_path) == []
        handle.seek(0)
        reader = PdfReader(handle)
        text = _text(reader)
        top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Anlage: Änderungen gegenüber Entwurf 1" in top
    assert new.title in text and "Kurzbeschreibung" in text


def _frozen_indicator(draft, measure):
    entry = next(m for m in draft.snapshot["measures"] if m["id"] == measure.pk)
    return entry["indicators"][0]


def test_indicators_and_their_status_are_frozen_into_the_pdf(measures, draft, users):
    from evaluation.models import Origin

    from ..evaluation.factories import IndicatorFactory, MeasurementFactory

    measure = measures["accepted"][0]
    indicator = IndicatorFactory(
        measure=measure, name="Anteil online gestellter Anträge", target_value=80
    )
    MeasurementFactory(
        indicator=indicator, period=datetime.date(2026, 1, 1), value=45, origin=Origin.MANUAL
    )
    # Its texts are part of the reviewed version: accepted again, the draft prints it.
    after_part_edit(measure, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    draft = frozen(draft, users)
    frozen_indicator = _frozen_indicator(draft, measure)
    assert frozen_indicator["name"] == "Anteil online gestellter Anträge"
    assert (frozen_indicator["target"], frozen_indicator["latest"]) == ("80 %", "45 %")
    assert frozen_indicator["status_label"]
    # A later value changes the live status, never the frozen draft or its PDF.
    MeasurementFactory(indicator=indicator, period=datetime.date(2027, 1, 1), value=5)
    draft = render_now(StrategyDraft.objects.get(pk=draft.pk))
    assert _frozen_indicator(draft, measure)["latest"] == "45 %"
    with draft.pdf.open("rb") as handle:
        text = _text(PdfReader(io.BytesIO(handle.read())))
    assert "Anteil online gestellter Anträge" in text
    assert "zuletzt 45 %" in text

"""Recording each council's decision (issue 20 §3): date, outcome, number, changes and the
Beschlussauszug as a checked PDF stored under a generated name with its checksum."""

import datetime
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from drafts import adoption
from drafts.adoption_models import CouncilDecision, DecisionProcedure, Outcome
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import DraftError, freeze

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 20, 9, 0, tzinfo=datetime.UTC)


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = NOW  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def published(measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    # Presented without rendering the PDF here (rendering is tested elsewhere).
    StrategyDraft.objects.filter(pk=draft.pk).update(
        state=DraftState.PUBLISHED, published_at=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)
    )
    adoption.set_up(draft, users["coordinator"])
    return StrategyDraft.objects.get(pk=draft.pk)


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("beschluss.pdf", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()


def _url(draft, body):
    return reverse("drafts:decision_record", args=[draft.pk, body.slug])


def _post(outcome="adopted", day="2027-03-10", number="B-2027/5", changes="", extract=None):
    data = {"decided_on": day, "outcome": outcome, "decision_number": number, "changes": changes}
    if extract is not None:
        data["extract"] = extract
    return data


def _stored_files(media_root):
    folder = media_root / "beschluesse"
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_samtgemeinde_records_its_decision_with_the_extract(
    as_role, published, district, media_root
):
    content = pdf_bytes(2)
    upload = SimpleUploadedFile("../../etc/Beschluss SG-Rat.pdf", content, "application/pdf")
    response = as_role("samtgemeinde_editor").post(
        _url(published, district["elbtalaue"]), _post(extract=upload)
    )
    assert response.status_code == 302
    decision = CouncilDecision.objects.get()
    assert decision.outcome == Outcome.ADOPTED
    assert decision.decided_on == datetime.date(2027, 3, 10)
    assert decision.extract_sha256 == hashlib.sha256(content).hexdigest()
    assert decision.extract_size == len(content)
    # Stored under a generated name, never the one the user chose.
    assert decision.extract.name.startswith(f"beschluesse/{published.pk}/")
    assert "etc" not in decision.extract.name and "Beschluss" not in decision.extract.name
    assert decision.history.count() == 1
    overview = as_role("samtgemeinde_editor").get(reverse("drafts:adoption", args=[published.pk]))
    html = overview.content.decode()
    assert "beschlossen am 10.03.2027" in html and "in Kraft" in html
    served = as_role("samtgemeinde_editor").get(
        reverse(
            "drafts:decision_extract",
            args=[published.pk, district["elbtalaue"].slug, decision.pk],
        )
    )
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert served["X-Content-SHA256"] == decision.extract_sha256


def test_the_kreistags_adoption_closes_the_version(as_role, published, district):
    response = as_role("coordinator").post(
        _url(published, district["district"]), _post(number="DS 2027/012")
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.state == DraftState.DECIDED
    assert published.decision_date == datetime.date(2027, 3, 10)
    assert published.drucksache_number == "DS 2027/012"


def test_postponed_then_adopted_with_changes(as_role, published, district):
    client = as_role("samtgemeinde_editor")
    client.post(_url(published, district["elbtalaue"]), _post("postponed", day="2027-03-01"))
    response = client.post(_url(published, district["elbtalaue"]), _post("adopted_with_changes"))
    assert response.status_code == 400
    assert "beschreiben Sie die Änderungen" in response.content.decode()
    client.post(
        _url(published, district["elbtalaue"]),
        _post("adopted_with_changes", changes="Maßnahme M-0003 erst ab 2028."),
    )
    outcomes = list(CouncilDecision.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.POSTPONED, Outcome.ADOPTED_WITH_CHANGES]
    rows = {row.body.pk: row for row in adoption.overview(published)}
    assert rows[district["elbtalaue"].pk].in_force
    assert not rows[district["gartow"].pk].in_force


def test_no_decision_before_the_version_is_presented(measures, draft, users, district):
    freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    procedure = DecisionProcedure.objects.get(municipality=district["elbtalaue"])
    with pytest.raises(DraftError, match="vorgelegt"):
        adoption.record(
            procedure,
            users["coordinator"],
            decided_on=datetime.date(2027, 3, 1),
            outcome=Outcome.ADOPTED,
            number="",
            changes="",
        )
    assert not CouncilDecision.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # to the login page
        ("editor_own", 403),  # Hitzacker's editor does not act for its Samtgemeinde
        ("editor_other", 403),  # Gorleben's editor acts for Gorleben only
        ("samtgemeinde_editor", 302),
        ("coordinator", 302),
        ("council", 403),
    ],
)
def test_record_permission_matrix(as_role, published, district, role, status):
    response = as_role(role).post(_url(published, district["elbtalaue"]), _post())
    assert response.status_code == status
    assert CouncilDecision.objects.exists() == (role in ("samtgemeinde_editor", "coordinator"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("editor_own", 403),
        ("editor_other", 403),
        ("samtgemeinde_editor", 403),  # the Kreistag's decision is the coordinator's
        ("coordinator", 302),
        ("council", 403),
    ],
)
def test_kreistag_decision_permission_matrix(as_role, published, district, role, status):
    response = as_role(role).post(_url(published, district["district"]), _post())
    assert response.status_code == status
    assert CouncilDecision.objects.exists() == (role == "coordinator")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),  # extracts are internal
        ("editor_own", 200),
        ("editor_other", 200),
        ("samtgemeinde_editor", 200),
        ("coordinator", 200),
        ("council", 200),
    ],
)
def test_extract_download_matrix(client, as_role, published, district, users, role, status):
    procedure = DecisionProcedure.objects.get(municipality=district["elbtalaue"])
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")
    decision = adoption.record(
        procedure,
        users["coordinator"],
        decided_on=datetime.date(2027, 3, 10),
        outcome=Outcome.ADOPTED,
        number="",
        changes="",
        extract=adoption.check_extract(upload),
    )
    url = reverse(
        "drafts:decision_extract", args=[published.pk, district["elbtalaue"].slug, decision.pk]
    )
    assert as_role(role).get(url).status_code == status
    # Another body's slug with this decision's id finds nothing.
    other = reverse("drafts:decision_extract", args=[published.pk, "sg-gartow", decision.pk])
    assert as_role(role).get(other).status_code == 404


def test_the_public_sees_decisions_but_no_record_links_or_extracts(client, published, district):
    adoption.record(
        DecisionProcedure.objects.get(municipality=district["gartow"]),
        published.created_by,
        decided_on=datetime.date(2027, 3, 12),
        outcome=Outcome.ADOPTED,
        number="",
        changes="",
        extract=adoption.check_extract(SimpleUploadedFile("a.pdf", pdf_bytes())),
    )
    html = client.get(reverse("drafts:adoption", args=[published.pk])).content.decode()
    assert "beschlossen am 12.03.2027" in html
    assert "Beschlussauszug" not in html
    assert "Beschluss eintragen" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("beschluss.pdf", b"Das ist kein PDF, nur Text.", "kein lesbares PDF"),
        ("beschluss.pdf", b"", "kein lesbares PDF"),
        ("beschluss.pdf", b"%PDF-1.7\n\x00\x01 kaputt %%EOF", "kein lesbares PDF"),
        ("beschluss.pdf", "zip", "kein lesbares PDF"),
        ("beschluss.pdf", "big", "größer als 20 MB"),
    ],
    ids=["text", "empty", "broken", "zip-bomb", "50-mb"],
)
def test_bad_uploads_are_refused_in_german_and_nothing_is_stored(
    as_role, published, district, media_root, name, content, message
):
    if content == "zip":
        content = zip_bomb()
    elif content == "big":
        content = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = as_role("samtgemeinde_editor").post(
        _url(published, district["elbtalaue"]), _post(extract=upload)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CouncilDecision.objects.exists()
    assert _stored_files(media_root) == []


def test_a_nul_byte_in_the_file_name_is_refused(published, district):
    upload = SimpleUploadedFile("beschluss\x00.exe.pdf", pdf_bytes(), "application/pdf")
    with pytest.raises(DraftError, match="Steuerzeichen"):
        adoption.check_extract(upload)


def test_a_nul_byte_in_a_posted_file_name_stores_nothing(as_role, published, district, media_root):
    upload = SimpleUploadedFile("beschluss\x00.exe.pdf", pdf_bytes(), "application/pdf")
    response = as_role("samtgemeinde_editor").post(
        _url(published, district["elbtalaue"]), _post(extract=upload)
    )
    assert response.status_code == 400
    assert not CouncilDecision.objects.exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_post(day="9999-03-10"), "außerhalb der Jahre"),
        (_post(day="2027-04-01"), "in der Zukunft"),
        (_post(day="2027-01-15"), "vor der Veröffentlichung"),
        (_post(outcome="einstimmig"), "angebotenen"),
        (_post(number="B\x00-1"), "Null"),
        (_post(number="1" * 100_000), "Höchstens 50 Zeichen"),
        (_post(changes="x" * 100_000), "Höchstens 10000 Zeichen"),
    ],
)
def test_bad_decision_input_gives_a_german_error_and_stores_nothing(
    as_role, published, district, data, message
):
    response = as_role("samtgemeinde_editor").post(_url(published, district["elbtalaue"]), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace(".", "")
    assert not CouncilDecision.objects.exists()


def test_another_bodys_slug_in_a_crafted_post_is_refused(as_role, published, district):
    response = as_role("samtgemeinde_editor").post(_url(published, district["gartow"]), _post())
    assert response.status_code == 403
    assert not CouncilDecision.objects.exists()


def test_the_upload_form_keeps_its_csrf_protection_and_the_nul_check(
    published, district, users, media_root
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["samtgemeinde_editor"])
    url = _url(published, district["elbtalaue"])
    upload = SimpleUploadedFile("beschluss.pdf", pdf_bytes(), "application/pdf")
    assert client.post(url, _post(extract=upload)).status_code == 403  # no token
    page = client.get(url)
    token = page.cookies["csrftoken"].value
    upload = SimpleUploadedFile("beschluss\x00.exe.pdf", pdf_bytes(), "application/pdf")
    response = client.post(url, {**_post(extract=upload), "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert "Steuerzeichen" in response.content.decode()
    assert not CouncilDecision.objects.exists()
    assert _stored_files(media_root) == []
    upload = SimpleUploadedFile("beschluss.pdf", pdf_bytes(), "application/pdf")
    response = client.post(url, {**_post(extract=upload), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CouncilDecision.objects.count() == 1


def _adopt(published, body, day, outcome=Outcome.ADOPTED):
    return adoption.record(
        DecisionProcedure.objects.get(municipality=body),
        published.created_by,
        decided_on=day,
        outcome=outcome,
        number="",
        changes="Eine Änderung." if outcome == Outcome.ADOPTED_WITH_CHANGES else "",
    )


def test_home_and_body_pages_say_in_force_for_the_bodies_that_adopted(client, published, district):
    _adopt(published, district["district"], datetime.date(2027, 3, 5))
    _adopt(
        published, district["elbtalaue"], datetime.date(2027, 3, 10), Outcome.ADOPTED_WITH_CHANGES
    )
    _adopt(published, district["gartow"], datetime.date(2027, 3, 11), Outcome.REJECTED)
    home = client.get(reverse("home")).content.decode()
    assert "In Kraft" in home
    assert "Landkreis Lüchow-Dannenberg: Entwurf 1, beschlossen am 05.03.2027" in home
    assert "Samtgemeinde Elbtalaue: Entwurf 1, mit Änderungen beschlossen am 10.03.2027" in home
    assert "Samtgemeinde Gartow:" not in home
    page = client.get(reverse("measures:dashboard", args=["sg-elbtalaue"])).content.decode()
    assert "ist für Samtgemeinde Elbtalaue in Kraft: vom Rat mit Änderungen beschlossen" in page
    page = client.get(reverse("measures:dashboard", args=["sg-gartow"])).content.decode()
    assert "in Kraft" not in page


def test_nothing_is_in_force_from_a_version_not_presented(client, published, district):
    _adopt(published, district["elbtalaue"], datetime.date(2027, 3, 10))
    StrategyDraft.objects.filter(pk=published.pk).update(state=DraftState.FROZEN)
    assert adoption.in_force() == {}
    page = client.get(reverse("measures:dashboard", args=["sg-elbtalaue"])).content.decode()
    assert "in Kraft" not in page


def test_the_draft_page_shows_the_adoption_in_short(as_role, client, published, district):
    _adopt(published, district["elbtalaue"], datetime.date(2027, 3, 10))
    for response in (
        client.get(published.get_absolute_url()),
        as_role("coordinator").get(published.get_absolute_url()),
    ):
        html = response.content.decode()
        assert "Beschlüsse der Räte" in html
        assert "beschlossen am 10.03.2027" in html
        assert reverse("drafts:adoption", args=[published.pk]) in html

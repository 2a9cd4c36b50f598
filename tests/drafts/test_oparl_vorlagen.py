"""OParl 1.1 (issue 20 §5): each deciding body's Vorlage on a presented version is a Paper of
its body, with its PDF as File and its public Beratungsfolge as Consultations (the deciding
one carrying the council's decisions as result), valid against the shipped schemas."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafts import adoption
from drafts.adoption_models import DecisionProcedure, Outcome, StepRole
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze

from .test_oparl import _draft, _get, validate

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 20, 9, 0, tzinfo=datetime.UTC)
VENDOR = "digitalstrategie"


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = NOW  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _present(draft, users, day=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)):
    StrategyDraft.objects.filter(pk=draft.pk).update(state=DraftState.PUBLISHED, published_at=day)
    adoption.set_up(draft, users["coordinator"])
    return StrategyDraft.objects.get(pk=draft.pk)


def _steps(procedure):
    return [
        {
            "committee": s.committee,
            "meeting_date": s.meeting_date,
            "public": s.public,
            "role": s.role,
        }
        for s in procedure.steps.order_by("position")
    ]


@pytest.fixture
def published(measures, draft, users, district):
    """A presented version whose Samtgemeinderat Elbtalaue postponed, then adopted with
    changes; its Samtgemeindeausschuss met in closed session."""
    freeze(draft, users["coordinator"], render=False)
    draft = _present(draft, users)
    procedure = DecisionProcedure.objects.get(draft=draft, municipality=district["elbtalaue"])
    steps = _steps(procedure)
    steps[0]["meeting_date"] = datetime.date(2027, 2, 20)
    steps[1]["meeting_date"] = datetime.date(2027, 3, 3)
    adoption.save_procedure(procedure, users["coordinator"], "SG-2027/17", "", steps)
    recorder = users["samtgemeinde_editor"]
    for day, outcome, changes in [
        (datetime.date(2027, 3, 3), Outcome.POSTPONED, ""),
        (datetime.date(2027, 3, 17), Outcome.ADOPTED_WITH_CHANGES, "Maßnahme 2.1 gestrichen."),
    ]:
        adoption.record(
            procedure,
            recorder,
            decided_on=day,
            outcome=outcome,
            number="B-2027/5" if outcome != Outcome.POSTPONED else "",
            changes=changes,
        )
    return draft


def _papers(client, slug):
    listed = _get(client, reverse("drafts:oparl_paper_list", args=[slug]))
    assert listed["pagination"]["totalElements"] == len(listed["data"])
    return listed["data"]


def test_a_samtgemeindes_vorlage_is_a_valid_paper_with_file_and_consultations(
    client, published, district
):
    elbtalaue = district["elbtalaue"]
    body = _get(client, reverse("drafts:oparl_body", args=[elbtalaue.slug]))
    validate(body, "Body")
    assert body["name"] == "Samtgemeinde Elbtalaue" and body["classification"] == "Samtgemeinde"

    (paper,) = _get(client, body["paper"])["data"]
    validate(paper, "Paper")
    assert paper["body"] == body["id"]
    assert paper["reference"] == "SG-2027/17"
    assert paper["paperType"] == "Beschlussvorlage"
    assert paper["date"] == "2027-02-01"
    assert paper["name"] == (
        "Beschlussvorlage Samtgemeinde Elbtalaue: Interkommunale Digitalisierungsstrategie "
        "(Entwurf 1)"
    )
    # The Kreistag's Vorlage (the version itself) is the related Paper.
    assert paper["relatedPaper"] == [
        "http://testserver" + reverse("drafts:oparl_paper", args=[published.pk])
    ]
    assert _get(client, paper["id"]) == paper

    file = paper["mainFile"]
    validate(file, "File")
    pdf_url = "http://testserver" + reverse(
        "drafts:body_document", args=[published.pk, elbtalaue.slug]
    )
    assert file["accessUrl"] == pdf_url and file["downloadUrl"] == f"{pdf_url}?download=1"
    assert file["paper"] == [paper["id"]]
    assert file["mimeType"] == "application/pdf"
    assert _get(client, file["id"]) == file

    # The closed Samtgemeindeausschuss stays out, as on the public adoption page.
    (consultation,) = paper["consultation"]
    validate(consultation, "Consultation")
    assert consultation["paper"] == paper["id"]
    assert consultation["authoritative"] is True
    assert consultation["role"] == "Entscheidung"
    assert consultation[f"{VENDOR}:committee"] == "Samtgemeinderat"
    assert consultation[f"{VENDOR}:meetingDate"] == "2027-03-03"
    assert consultation[f"{VENDOR}:result"] == (
        "vertagt am 03.03.2027; mit Änderungen beschlossen am 17.03.2027 (Nr. B-2027/5); "
        "Änderungen: Maßnahme 2.1 gestrichen."
    )
    assert "organization" not in consultation
    assert _get(client, consultation["id"]) == consultation


def test_the_files_access_url_serves_the_vorlage_to_anonymous_users(
    client, published, district, django_capture_on_commit_callbacks
):
    (paper,) = _papers(client, district["elbtalaue"].slug)
    # The first request queues the render and says so; once rendered, the file is served.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(paper["mainFile"]["accessUrl"]).status_code == 202
    response = client.get(paper["mainFile"]["accessUrl"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_every_body_is_a_valid_oparl_body(client, published, district):
    bodies = _get(client, reverse("drafts:oparl_body_list"))["data"]
    assert [b["name"] for b in bodies][0] == "Landkreis Lüchow-Dannenberg"
    assert len(bodies) == len(district)
    for body in bodies:
        validate(body, "Body")
        assert _get(client, body["id"]) == body
        organizations = _get(client, body["organization"])["data"]
        # The district's organs are Organizations; the others' committees are named only.
        assert len(organizations) == (2 if body["classification"] == "Landkreis" else 0)
        for paper in _get(client, body["paper"])["data"]:
            validate(paper, "Paper")
            for consultation in paper.get("consultation", []):
                validate(consultation, "Consultation")


def test_only_deciding_bodies_have_papers(client, published, district):
    assert len(_papers(client, district["gartow"].slug)) == 1
    assert _papers(client, district["hitzacker"].slug) == []
    assert _papers(client, district["gorleben"].slug) == []


def test_the_kreistags_paper_carries_its_public_beratungsfolge(
    client, users, district, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = _draft(users, DraftState.PUBLISHED, "Entwurf 1")
    StrategyDraft.objects.filter(pk=draft.pk).update(
        committee_meeting_date=datetime.date(2027, 2, 1),
        council_meeting_date=datetime.date(2027, 2, 15),
        published_at=datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC),
    )
    draft.refresh_from_db()
    adoption.set_up(draft, users["coordinator"])
    procedure = DecisionProcedure.objects.get(draft=draft, municipality=district["district"])
    adoption.record(
        procedure,
        users["coordinator"],
        decided_on=datetime.date(2027, 2, 15),
        outcome=Outcome.ADOPTED,
        number="2027/001",
        changes="",
    )

    (paper,) = _papers(client, district["district"].slug)
    validate(paper, "Paper")
    assert _get(client, paper["id"]) == paper
    committees = [c[f"{VENDOR}:committee"] for c in paper["consultation"]]
    # The Kreisausschuss meets in closed session.
    assert committees == ["Fachausschuss", "Kreistag"]
    fachausschuss, kreistag = paper["consultation"]
    for consultation in paper["consultation"]:
        validate(consultation, "Consultation")
        assert consultation["paper"] == paper["id"]
        assert _get(client, consultation["id"]) == consultation
    assert fachausschuss["authoritative"] is False and fachausschuss["role"] == "Vorberatung"
    assert f"{VENDOR}:meetingDate" not in fachausschuss
    assert f"{VENDOR}:result" not in fachausschuss
    assert kreistag["authoritative"] is True
    assert kreistag["organization"] == [
        "http://testserver" + reverse("drafts:oparl_organization", args=["kreistag"])
    ]
    assert kreistag[f"{VENDOR}:meetingDate"] == "2027-02-15"
    assert kreistag[f"{VENDOR}:result"] == "beschlossen am 15.02.2027 (Nr. 2027/001)"
    # The Kreistag's Vorlage has no second Paper under the body.
    second = reverse("drafts:oparl_body_paper", args=[district["district"].slug, draft.pk])
    assert client.get(second).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "samtgemeinde_editor"])
def test_a_frozen_but_unpresented_version_never_appears(
    as_role, measures, draft, users, district, role
):
    freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    client = as_role(role)
    slug = district["elbtalaue"].slug
    assert _papers(client, slug) == []
    for name, args in [
        ("drafts:oparl_body_paper", [slug, draft.pk]),
        ("drafts:oparl_body_file", [slug, draft.pk]),
        ("drafts:oparl_consultation", [slug, draft.pk, 2]),
        ("drafts:oparl_consultation", [district["district"].slug, draft.pk, 3]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_closed_sessions_and_unknown_steps_are_404(client, published, district):
    slug = district["elbtalaue"].slug
    closed = reverse("drafts:oparl_consultation", args=[slug, published.pk, 1])
    assert client.get(closed).status_code == 404
    unknown = reverse("drafts:oparl_consultation", args=[slug, published.pk, 9])
    assert client.get(unknown).status_code == 404
    # A body that does not decide on the version has no Vorlage.
    other = reverse("drafts:oparl_body_paper", args=[district["hitzacker"].slug, published.pk])
    assert client.get(other).status_code == 404
    missing = reverse("drafts:oparl_body_paper", args=["gibt-es-nicht", published.pk])
    assert client.get(missing).status_code == 404


def test_no_personal_data(client, published, district, users):
    recorder = users["samtgemeinde_editor"]
    texts = []
    for slug in (district["elbtalaue"].slug, district["district"].slug):
        texts.append(json.dumps(_papers(client, slug), ensure_ascii=False))
    text = "\n".join(texts)
    assert recorder.username not in text.replace("sg-elbtalaue", "")
    assert recorder.email not in text
    assert "Erika" not in text  # neither the recorder's first name nor a measure's contact
    assert "recorded" not in text


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_paper_list_has_a_constant_number_of_queries(client, published, district, users):
    elbtalaue = district["elbtalaue"]
    url = reverse("drafts:oparl_paper_list", args=[elbtalaue.slug])
    one = _count_queries(client, url)
    for label in ("Entwurf 2", "Entwurf 3"):
        more = StrategyDraft.objects.create(
            title="Interkommunale Digitalisierungsstrategie",
            version_label=label,
            resolution_date=datetime.date(2026, 6, 18),
            created_by=users["coordinator"],
        )
        freeze(more, users["coordinator"], render=False)
        more = _present(more, users)
        procedure = DecisionProcedure.objects.get(draft=more, municipality=elbtalaue)
        steps = _steps(procedure) + [
            {
                "committee": "Finanzausschuss",
                "meeting_date": None,
                "public": True,
                "role": StepRole.ADVISES,
            }
        ]
        steps = [steps[-1]] + steps[:-1]
        adoption.save_procedure(procedure, users["coordinator"], "", "", steps)
        adoption.record(
            procedure,
            users["coordinator"],
            decided_on=datetime.date(2027, 3, 10),
            outcome=Outcome.NOTED,
            number="",
            changes="",
        )
    assert len(_papers(client, elbtalaue.slug)) == 3
    assert _count_queries(client, url) == one
    district_url = reverse("drafts:oparl_paper_list", args=[district["district"].slug])
    assert _count_queries(client, district_url) <= one + 1


def test_the_districts_paper_list_has_a_constant_number_of_queries(
    client, users, district, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = reverse("drafts:oparl_paper_list", args=[district["district"].slug])

    def add(label):
        draft = _draft(users, DraftState.PUBLISHED, label)
        StrategyDraft.objects.filter(pk=draft.pk).update(
            published_at=datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC)
        )
        adoption.set_up(draft, users["coordinator"])
        adoption.record(
            DecisionProcedure.objects.get(draft=draft, municipality=district["district"]),
            users["coordinator"],
            decided_on=datetime.date(2027, 2, 15),
            outcome=Outcome.POSTPONED,
            number="",
            changes="",
        )

    add("Entwurf 1")
    one = _count_queries(client, url)
    add("Entwurf 2")
    add("Entwurf 3")
    papers = _papers(client, district["district"].slug)
    assert [len(p["consultation"]) for p in papers] == [2, 2, 2]
    assert _count_queries(client, url) == one

"""Adoption by every council (issue 20 §1): the deciding bodies of a frozen version, their
Vorlage number and Beratungsfolge, kept by the coordinator or the body's editors."""

import datetime

import pytest
from django.urls import reverse

from drafts import adoption
from drafts.adoption_models import DecisionProcedure, DeliberationStep, StepRole
from drafts.workflow import DraftError, freeze

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def frozen_draft(measures, draft, users):
    draft.committee_meeting_date = datetime.date(2027, 2, 1)
    draft.council_meeting_date = datetime.date(2027, 2, 15)
    draft.council_document_number = "2027/001"
    draft.save()
    return freeze(draft, users["coordinator"], render=False)


@pytest.fixture
def procedures(frozen_draft, users):
    adoption.set_up(frozen_draft, users["coordinator"])
    return {
        p.municipality.slug: p for p in DecisionProcedure.objects.select_related("municipality")
    }


def _steps_post(procedure, steps, number="SG-2027/17", resolution=""):
    from core.locking import version_token

    data = {
        "document_number": number,
        "proposed_resolution": resolution,
        "loaded_version": version_token(procedure),
        "schritte-TOTAL_FORMS": str(len(steps)),
        "schritte-INITIAL_FORMS": "0",
        "schritte-MIN_NUM_FORMS": "0",
        "schritte-MAX_NUM_FORMS": "12",
    }
    for i, (committee, day, public, role) in enumerate(steps):
        data[f"schritte-{i}-committee"] = committee
        data[f"schritte-{i}-meeting_date"] = day
        if public:
            data[f"schritte-{i}-public"] = "on"
        data[f"schritte-{i}-role"] = role
    return data


GOOD_STEPS = [
    ("Samtgemeindeausschuss", "2027-03-01", False, "advises"),
    ("Samtgemeinderat", "2027-03-10", True, "decides"),
]


def _url(draft, body=None, name="procedure"):
    if body is None:
        return reverse("drafts:adoption", args=[draft.pk])
    return reverse(f"drafts:{name}", args=[draft.pk, body.slug])


def test_set_up_creates_the_kreistag_and_the_samtgemeinderaete_with_their_beratungsfolge(
    procedures, frozen_draft, district
):
    assert set(procedures) == {"landkreis-luechow-dannenberg", "sg-elbtalaue", "sg-gartow"}
    kreistag = procedures["landkreis-luechow-dannenberg"]
    assert kreistag.document_number == "2027/001"
    steps = list(kreistag.steps.order_by("position"))
    assert [(s.committee, s.meeting_date, s.public, s.role) for s in steps] == [
        ("Fachausschuss", None, True, StepRole.ADVISES),
        ("Kreisausschuss", datetime.date(2027, 2, 1), False, StepRole.ADVISES),
        ("Kreistag", datetime.date(2027, 2, 15), True, StepRole.DECIDES),
    ]
    elbtalaue = procedures["sg-elbtalaue"]
    assert [s.committee for s in elbtalaue.steps.order_by("position")] == [
        "Samtgemeindeausschuss",
        "Samtgemeinderat",
    ]
    # Idempotent: a second set-up adds nothing.
    assert adoption.set_up(frozen_draft, frozen_draft.created_by) == []
    assert DecisionProcedure.objects.count() == 3


def test_no_procedure_for_a_version_still_being_edited(draft, users):
    with pytest.raises(DraftError, match="eingefrorene Version"):
        adoption.set_up(draft, users["coordinator"])
    assert not DecisionProcedure.objects.exists()


def test_a_gemeinderat_can_be_added_with_the_default_steps(
    as_role, procedures, frozen_draft, district
):
    response = as_role("coordinator").post(
        reverse("drafts:adoption_add", args=[frozen_draft.pk]),
        {"municipality": district["hitzacker"].pk},
    )
    procedure = DecisionProcedure.objects.get(municipality=district["hitzacker"])
    assert response.status_code == 302
    assert response["Location"] == procedure.get_absolute_url()
    assert [s.committee for s in procedure.steps.order_by("position")] == [
        "Verwaltungsausschuss",
        "Rat der Stadt",
    ]


def test_adding_a_body_twice_is_refused_in_german(as_role, procedures, frozen_draft, district):
    client = as_role("coordinator")
    response = client.post(
        reverse("drafts:adoption_add", args=[frozen_draft.pk]),
        {"municipality": district["elbtalaue"].pk},
        follow=True,
    )
    assert "lässt sich nicht hinzufügen" in response.content.decode()
    assert DecisionProcedure.objects.filter(municipality=district["elbtalaue"]).count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # to the login page
        ("editor_own", 404),  # Hitzacker does not decide: the frozen version is not shown
        ("editor_other", 404),
        ("samtgemeinde_editor", 403),
        ("coordinator", 302),
        ("council", 403),
    ],
)
def test_add_body_permission_matrix(as_role, procedures, frozen_draft, district, role, status):
    response = as_role(role).post(
        reverse("drafts:adoption_add", args=[frozen_draft.pk]),
        {"municipality": district["gorleben"].pk},
    )
    assert response.status_code == status
    added = DecisionProcedure.objects.filter(municipality=district["gorleben"]).exists()
    assert added == (role == "coordinator")
    if role == "anonymous":
        assert "/login" in response["Location"] or "anmelden" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("editor_own", 404),  # Hitzacker does not decide: the frozen version is not shown
        ("editor_other", 404),
        ("samtgemeinde_editor", 302),
        ("coordinator", 302),
        ("council", 403),
    ],
)
def test_beratungsfolge_permission_matrix(
    as_role, procedures, frozen_draft, district, role, status
):
    procedure = procedures["sg-elbtalaue"]
    response = as_role(role).post(
        _url(frozen_draft, district["elbtalaue"]), _steps_post(procedure, GOOD_STEPS)
    )
    assert response.status_code == status
    procedure.refresh_from_db()
    saved = procedure.document_number == "SG-2027/17"
    assert saved == (role in ("samtgemeinde_editor", "coordinator"))
    if saved:
        steps = list(procedure.steps.order_by("position"))
        assert [(s.committee, s.meeting_date, s.public) for s in steps] == [
            ("Samtgemeindeausschuss", datetime.date(2027, 3, 1), False),
            ("Samtgemeinderat", datetime.date(2027, 3, 10), True),
        ]
        assert procedure.history.count() == 2


def test_a_members_editor_keeps_its_gemeinderats_procedure(
    as_role, procedures, frozen_draft, district, users
):
    adoption.add_body(frozen_draft, users["coordinator"], district["hitzacker"])
    procedure = DecisionProcedure.objects.get(municipality=district["hitzacker"])
    steps = [("Verwaltungsausschuss", "", False, "advises"), ("Rat", "2027-04-01", True, "decides")]
    response = as_role("editor_own").post(
        _url(frozen_draft, district["hitzacker"]), _steps_post(procedure, steps, number="H-5")
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.document_number == "H-5"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),  # not presented yet: the public does not see the version
        ("editor_own", 200),
        ("editor_other", 200),
        ("samtgemeinde_editor", 200),
        ("coordinator", 200),
        ("council", 200),
    ],
)
def test_overview_permission_matrix_before_presenting(
    as_role, procedures, frozen_draft, role, status
):
    from drafts.consultation import open_consultation

    # Editors see a frozen version once its Abstimmung is open (drafts.permissions).
    open_consultation(
        frozen_draft,
        frozen_draft.created_by,
        datetime.date.today() + datetime.timedelta(days=7),
    )
    response = as_role(role).get(_url(frozen_draft))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Samtgemeinde Elbtalaue" in html
        edit_link = _url(frozen_draft, procedures["sg-elbtalaue"].municipality)
        editable = f'href="{edit_link}"' in html
        assert editable == (role in ("samtgemeinde_editor", "coordinator"))


def test_the_public_sees_the_overview_of_a_presented_version_without_closed_meetings(
    client, procedures, frozen_draft, users
):
    from drafts.models import DraftState, StrategyDraft

    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(state=DraftState.PUBLISHED)
    html = client.get(_url(frozen_draft)).content.decode()
    assert "Kreistag am 15.02.2027" in html
    assert "Kreisausschuss" not in html  # not public
    assert "bearbeiten" not in html


def test_the_overview_has_a_flat_query_count(
    as_role, procedures, frozen_draft, district, users, django_assert_max_num_queries
):
    from tests.factories import MunicipalityFactory

    client = as_role("coordinator")
    with django_assert_max_num_queries(20) as few:
        client.get(_url(frozen_draft))
    for i in range(8):
        body = MunicipalityFactory(parent=district["elbtalaue"], ars=f"033545406{i + 100:03d}")
        adoption.add_body(frozen_draft, users["coordinator"], body)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url(frozen_draft)).status_code == 200


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "mindestens das Gremium"),
        ([("Samtgemeindeausschuss", "", False, "advises")], "Genau ein Gremium entscheidet"),
        (
            [("Ausschuss", "2027-05-01", False, "advises"), ("Rat", "2027-04-01", True, "decides")],
            "nach der entscheidenden",
        ),
        ([("Rat\x00", "", True, "decides")], "Null"),
        ([("R" * 100_000, "", True, "decides")], "Höchstens 150 Zeichen"),
        ([("Rat", "9999-01-01", True, "decides")], "außerhalb der Jahre"),
        ([("Rat", "2027-04-01", True, "beschließt immer")], "angebotenen"),
    ],
)
def test_bad_beratungsfolge_gives_a_german_error_and_stores_nothing(
    as_role, procedures, frozen_draft, district, steps, message
):
    procedure = procedures["sg-elbtalaue"]
    before = list(procedure.steps.values_list("committee", "meeting_date", "role"))
    response = as_role("samtgemeinde_editor").post(
        _url(frozen_draft, district["elbtalaue"]), _steps_post(procedure, steps)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.document_number == ""
    assert list(procedure.steps.values_list("committee", "meeting_date", "role")) == before


@pytest.mark.parametrize("count", ["13", "5000", "9" * 30])
def test_a_crafted_row_count_builds_no_more_than_twelve_steps(
    as_role, procedures, frozen_draft, district, count
):
    """Django would build (and render again) up to 1,012 rows for a crafted count."""
    procedure = procedures["sg-elbtalaue"]
    data = _steps_post(procedure, GOOD_STEPS)
    data["schritte-TOTAL_FORMS"] = count
    response = as_role("samtgemeinde_editor").post(_url(frozen_draft, district["elbtalaue"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte tragen Sie höchstens 12 Beratungsschritte ein." in page
    assert len(response.context["steps"].forms) <= 12
    assert "Schritt 12" in page and "Schritt 13" not in page
    procedure.refresh_from_db()
    assert procedure.document_number == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("document_number", "2027\x00/1", "Null"),
        ("document_number", "9" * 100_000, "Höchstens 50 Zeichen"),
        ("proposed_resolution", "x" * 100_000, "Höchstens 5000 Zeichen"),
    ],
)
def test_bad_vorlage_fields_give_a_german_error_and_store_nothing(
    as_role, procedures, frozen_draft, district, field, value, message
):
    procedure = procedures["sg-elbtalaue"]
    data = _steps_post(procedure, GOOD_STEPS)
    data[field] = value
    response = as_role("samtgemeinde_editor").post(_url(frozen_draft, district["elbtalaue"]), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace(".", "")
    procedure.refresh_from_db()
    assert procedure.document_number == ""
    assert not procedure.steps.filter(committee="Samtgemeinderat", meeting_date__isnull=False)


def test_another_bodys_slug_in_the_address_is_refused(as_role, procedures, frozen_draft, district):
    procedure = procedures["sg-gartow"]
    response = as_role("samtgemeinde_editor").post(
        _url(frozen_draft, district["gartow"]), _steps_post(procedure, GOOD_STEPS)
    )
    assert response.status_code == 403
    procedure.refresh_from_db()
    assert procedure.document_number == ""


def test_a_stale_save_is_refused_and_shows_what_is_stored(
    as_role, procedures, frozen_draft, district, users
):
    procedure = procedures["sg-elbtalaue"]
    data = _steps_post(procedure, GOOD_STEPS)
    adoption.save_procedure(
        procedure,
        users["coordinator"],
        "SG-99",
        "",
        [
            {
                "committee": "Samtgemeinderat",
                "meeting_date": None,
                "public": True,
                "role": StepRole.DECIDES,
            }
        ],
    )
    response = as_role("samtgemeinde_editor").post(_url(frozen_draft, district["elbtalaue"]), data)
    assert response.status_code == 409
    assert "SG-99" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.document_number == "SG-99"


def test_removing_a_body_asks_first_and_keeps_the_kreistag(
    as_role, procedures, frozen_draft, district
):
    client = as_role("coordinator")
    page = client.get(_url(frozen_draft, district["gartow"], "procedure_remove"))
    assert "beschließt dann nicht" in page.content.decode()
    client.post(_url(frozen_draft, district["gartow"], "procedure_remove"))
    assert not DecisionProcedure.objects.filter(municipality=district["gartow"]).exists()
    assert not DeliberationStep.objects.filter(procedure__municipality=district["gartow"]).exists()
    response = client.post(
        _url(frozen_draft, district["district"], "procedure_remove"), follow=True
    )
    assert "bleibt in der Liste" in response.content.decode()
    assert DecisionProcedure.objects.filter(municipality=district["district"]).exists()


@pytest.mark.parametrize(
    "role", ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "council"]
)
def test_only_the_coordinator_removes_or_sets_up(as_role, procedures, frozen_draft, district, role):
    client = as_role(role)
    response = client.post(_url(frozen_draft, district["gartow"], "procedure_remove"))
    assert response.status_code in (302, 403, 404)
    assert DecisionProcedure.objects.filter(municipality=district["gartow"]).exists()
    DecisionProcedure.objects.filter(municipality=district["gartow"]).delete()
    response = client.post(reverse("drafts:adoption_set_up", args=[frozen_draft.pk]))
    assert response.status_code in (302, 403, 404)
    assert not DecisionProcedure.objects.filter(municipality=district["gartow"]).exists()


def test_the_default_beschlussvorschlag_by_kind_of_body(procedures, district, users):
    elbtalaue = procedures["sg-elbtalaue"]
    assert adoption.resolution_text(elbtalaue).startswith(
        "Der Samtgemeinderat stimmt der interkommunalen Digitalisierungsstrategie zu"
    )
    hitzacker = adoption.add_body(elbtalaue.draft, users["coordinator"], district["hitzacker"])
    text = adoption.resolution_text(hitzacker)
    assert "bittet die Samtgemeinde Elbtalaue" in text and "Hitzacker (Elbe)" in text
    elbtalaue.proposed_resolution = "Der Samtgemeinderat beschließt die Strategie."
    assert adoption.resolution_text(elbtalaue) == "Der Samtgemeinderat beschließt die Strategie."

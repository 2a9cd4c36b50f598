"""Permission matrix: every measures view x every role."""

import pytest
from django.urls import reverse

from fields_of_action.models import FieldOfAction
from measures.models import Measure

from ..factories import MeasureFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.fixture
def measure(district):
    return MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")


def expected_for(row):
    return dict(zip(ROLES, row, strict=True))


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
READ_MATRIX = {
    "measures:list": (200, 200, 200, 200, 200, 200),
    "measures:detail": (404, 200, 200, 200, 200, 200),
    "measures:history": (404, 200, 200, 200, 200, 200),
    "measures:create": (302, 200, 200, 200, 200, 403),
    "measures:update": (302, 200, 403, 200, 200, 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(READ_MATRIX))
def test_get_matrix(as_role, measure, url_name, role):
    kwargs = {"pk": measure.pk} if url_name not in ("measures:list", "measures:create") else {}
    response = as_role(role).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected_for(READ_MATRIX[url_name])[role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_is_readable_by_everyone(as_role, district, role):
    response = as_role(role).get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert response.status_code == 200


def form_data(measure_or_none, lead, **overrides):
    data = {
        "title": "Digitaler Bauantrag",
        "summary": "Bauanträge online stellen.",
        "description": "",
        "lead_municipality": str(lead.pk),
        # By its number: a transactional test before this one may have seeded the six again.
        "field_of_action": str(FieldOfAction.objects.get(number=1).pk),
        "status": "planned",
        "priority": "medium",
        "planned_start": "2027-01",
        "planned_end": "2027-12",
        "task_kind": "",
        "budget_product": "",
        "funding_source": "",
        "contact_name": "",
        "contact_role": "",
        "contact_email": "",
        "leika_key": "",
        "version": str(measure_or_none.version) if measure_or_none else "",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "1000",
        "costs-0-year": "2027",
        "costs-0-running_planned": "12.500,00",
    }
    data.update(overrides)
    return data


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
UPDATE_POST = (302, 302, 403, 302, 302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_update_post_matrix(as_role, measure, district, users, role):
    data = form_data(measure, district["hitzacker"], title="Geänderter Titel")
    response = as_role(role).post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == expected_for(UPDATE_POST)[role]
    measure.refresh_from_db()
    allowed = role in ("editor_own", "samtgemeinde_editor", "coordinator")
    assert (measure.title == "Geänderter Titel") is allowed


# A crafted POST that names a body the user may not act for.
@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("editor_own", "gorleben", 403),
        ("editor_own", "elbtalaue", 403),  # a Gemeinde editor does not act for its Samtgemeinde
        ("editor_other", "hitzacker", 403),
        ("samtgemeinde_editor", "gorleben", 403),
        ("samtgemeinde_editor", "dannenberg", 302),
        ("coordinator", "gorleben", 302),
        ("council", "hitzacker", 403),
    ],
)
def test_create_post_only_for_bodies_the_user_acts_for(as_role, district, role, target, status):
    data = form_data(None, district[target], title="Neue Maßnahme")
    response = as_role(role).post(reverse("measures:create"), data)
    assert response.status_code == status
    assert Measure.objects.filter(title="Neue Maßnahme").exists() is (status == 302)


def test_editor_cannot_move_own_measure_to_a_foreign_body(as_role, measure, district):
    data = form_data(measure, district["gorleben"])
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.lead_municipality == district["hitzacker"]


def test_anonymous_post_changes_nothing(client, measure, district):
    data = form_data(measure, district["hitzacker"], title="Fremd")
    response = client.post(reverse("measures:create"), data)
    assert response.status_code == 302
    assert not Measure.objects.filter(title="Fremd").exists()


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("editor_own", {"hitzacker"}),
        ("samtgemeinde_editor", {"elbtalaue", "hitzacker", "dannenberg"}),
        ("editor_other", {"gorleben"}),
        ("coordinator", {"district", "elbtalaue", "hitzacker", "dannenberg", "gartow", "gorleben"}),
    ],
)
def test_lead_choices_offer_only_bodies_the_user_acts_for(as_role, district, role, offered):
    response = as_role(role).get(reverse("measures:create"))
    choices = response.context["form"].fields["lead_municipality"].queryset
    assert set(choices) == {district[key] for key in offered}


def test_public_sees_no_unpublished_measure(client, measure):
    response = client.get(reverse("measures:list"))
    assert measure.title not in response.content.decode()
    assert "noch keine Maßnahmen veröffentlicht" in response.content.decode()
    response = client.get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert measure.title not in response.content.decode()


def test_contact_name_is_internal(as_role, district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"],
        contact_name="Petra Beispiel",
        contact_role="Fachdienst Digitalisierung",
    )
    page = as_role("council").get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Petra Beispiel" in page
    assert "Fachdienst Digitalisierung" in page


def test_a_malformed_lead_is_refused_not_a_server_error(as_role, measure, district):
    data = form_data(measure, district["hitzacker"], lead_municipality="abc")
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 403

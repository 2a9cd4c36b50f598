import pytest
from django.urls import reverse

from fields_of_action.models import FieldOfAction, Goal

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.mark.django_db
def test_six_fields_are_seeded_in_the_wording_of_the_resolution():
    titles = list(FieldOfAction.objects.values_list("number", "title"))
    assert titles == [
        (
            1,
            "Ausbau und Verbesserung digitaler Verwaltungsleistungen für Bürgerinnen und "
            "Bürger sowie Unternehmen",
        ),
        (2, "Gemeinsame Nutzung digitaler Fachverfahren und technischer Infrastrukturen"),
        (3, "Förderung medienbruchfreier Verwaltungsprozesse"),
        (
            4,
            "Entwicklung gemeinsamer Standards für IT-Sicherheit, Datenschutz und Datenmanagement",
        ),
        (5, "Nutzung von Synergien durch interkommunale Zusammenarbeit"),
        (6, "Stärkung digitaler Teilhabe und Barrierefreiheit"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_fields_are_public(as_role, role):
    client = as_role(role)
    assert client.get(reverse("fields_of_action:list")).status_code == 200
    field = FieldOfAction.objects.get(number=6)
    response = client.get(field.get_absolute_url())
    assert response.status_code == 200
    assert "Barrierefreiheit" in response.content.decode()


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
GOAL_MATRIX = dict(zip(ROLES, (302, 403, 403, 403, 200, 403), strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_maintains_goals(as_role, role):
    field = FieldOfAction.objects.get(number=3)
    client = as_role(role)
    url = reverse("fields_of_action:goal_create", args=[field.slug])
    assert client.get(url).status_code == GOAL_MATRIX[role]
    response = client.post(url, {"title": "Papierlose Ratsarbeit", "position": "1"})
    created = Goal.objects.filter(title="Papierlose Ratsarbeit").exists()
    assert created is (role == "coordinator")
    if role == "coordinator":
        assert response.status_code == 302
    goal = Goal.objects.create(field_of_action=field, title=f"Ziel für {role}")
    edit = client.post(
        reverse("fields_of_action:goal_update", args=[goal.pk]),
        {"title": "Umbenannt", "position": "2", "loaded_version": goal.updated_at.isoformat()},
    )
    goal.refresh_from_db()
    assert (goal.title == "Umbenannt") is (role == "coordinator")
    assert edit.status_code == (302 if role in ("coordinator", "anonymous") else 403)


def test_goal_titles_are_unique_per_field(as_role):
    field = FieldOfAction.objects.get(number=1)
    Goal.objects.create(field_of_action=field, title="Alle Leistungen online")
    response = as_role("coordinator").post(
        reverse("fields_of_action:goal_create", args=[field.slug]),
        {"title": "alle leistungen online", "position": "0"},
    )
    assert response.status_code == 200
    assert "bereits ein Ziel mit diesem Titel" in response.content.decode()


def test_empty_state_without_goals(as_role):
    field = FieldOfAction.objects.get(number=2)
    html = as_role("editor_own").get(field.get_absolute_url()).content.decode()
    assert "noch keine Ziele festgelegt" in html
    assert "Ziel hinzufügen" not in html
    html = as_role("coordinator").get(field.get_absolute_url()).content.decode()
    assert "Ziel hinzufügen" in html

"""Creating and editing measures through the browser forms, as an editor would."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fields_of_action.models import FieldOfAction
from measures.models import Measure, Partnership

from ..factories import GoalFactory, MeasureFactory
from .test_permissions import form_data


def partner_data(*rows, initial=0):
    data = {
        "partners-TOTAL_FORMS": str(len(rows)),
        "partners-INITIAL_FORMS": str(initial),
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"partners-{i}-{key}"] = value
    return data


def test_editor_creates_a_joint_measure(as_role, district, users):
    goal = GoalFactory(title="Alle Anträge online")
    client = as_role("samtgemeinde_editor")
    data = form_data(
        None,
        district["hitzacker"],
        title="Online-Terminbuchung im Bürgerbüro",
        goals=[str(goal.pk)],
        for_citizens="on",
        **{"costs-0-running_planned": "12.500,50"},
        planned_start="03.2027",
        leika_key="99050012104000",
    )
    data.update(
        partner_data(
            {"municipality": str(district["dannenberg"].pk), "cost_share_percent": "40"},
            {"municipality": "", "cost_share_percent": ""},
        )
    )
    response = client.post(reverse("measures:create"), data)
    measure = Measure.objects.get(title="Online-Terminbuchung im Bürgerbüro")
    assert response.status_code == 302
    assert response["Location"] == measure.get_absolute_url()
    assert measure.lead_municipality == district["hitzacker"]
    assert measure.budget_planned == Decimal("12500.50")
    assert measure.planned_start == datetime.date(2027, 3, 1)
    assert measure.for_citizens and not measure.for_businesses
    assert list(measure.goals.all()) == [goal]
    assert measure.created_by == users["samtgemeinde_editor"]
    assert measure.version == 1
    partnership = Partnership.objects.get(measure=measure)
    assert partnership.municipality == district["dannenberg"]
    assert partnership.cost_share_percent == Decimal("40")
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Dannenberg (Elbe) (40 % der Kosten)" in page
    assert "12.500,50 €" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Bitte füllen Sie „Titel“ aus."),
        ({"leika_key": "12345"}, "leika_key", "genau 14 Ziffern"),
        ({"planned_start": "2027-06", "planned_end": "2027-01"}, "planned_end", "nicht vor dem"),
        ({"planned_start": "Sommer"}, "planned_start", "Bitte geben Sie einen Monat an"),
        ({"status": "completed", "planned_end": ""}, "planned_end", "abgeschlossene"),
    ],
)
def test_invalid_input_is_explained_in_german_and_kept(
    as_role, district, overrides, field, message
):
    data = form_data(None, district["hitzacker"], description="Mein langer Text", **overrides)
    response = as_role("editor_own").post(reverse("measures:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "Mein langer Text" in page  # nothing typed is lost
    assert "Bitte prüfen Sie die markierten Angaben." in page
    assert 'aria-invalid="true"' in page
    assert not Measure.objects.exists()


def test_goals_must_belong_to_the_chosen_field(as_role, district):
    foreign = GoalFactory(field_of_action=FieldOfAction.objects.get(number=2))
    data = form_data(None, district["hitzacker"], goals=[str(foreign.pk)])
    response = as_role("editor_own").post(reverse("measures:create"), data)
    assert "gehören nicht zum gewählten Handlungsfeld" in " ".join(
        response.context["form"].errors["goals"]
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"municipality": "hitzacker"}], "federführende Kommune kann nicht zugleich"),
        ([{"municipality": "gorleben"}, {"municipality": "gorleben"}], "bereits beteiligt"),
        (
            [
                {"municipality": "gorleben", "cost_share_percent": "60"},
                {"municipality": "dannenberg", "cost_share_percent": "50,5"},
            ],
            "mehr als 100 %",
        ),
    ],
)
def test_partner_rows_are_validated(as_role, district, rows, message):
    data = form_data(None, district["hitzacker"])
    data.update(
        partner_data(
            *[
                {
                    "municipality": str(district[r["municipality"]].pk),
                    "cost_share_percent": r.get("cost_share_percent", ""),
                }
                for r in rows
            ]
        )
    )
    response = as_role("editor_own").post(reverse("measures:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measure.objects.exists()


def test_edit_increments_version_and_records_history(as_role, district, users):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    client = as_role("editor_own")
    data = form_data(measure, district["hitzacker"], title="Neuer Titel", status="in_progress")
    data.update(
        partner_data({"municipality": str(district["gorleben"].pk), "cost_share_percent": ""})
    )
    assert client.post(reverse("measures:update", args=[measure.pk]), data).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Neuer Titel", 2)
    assert measure.updated_by == users["editor_own"]

    page = client.get(reverse("measures:history", args=[measure.pk])).content.decode()
    assert "Alter Titel" in page and "Neuer Titel" in page
    assert "geplant" in page and "in Umsetzung" in page
    assert "Gorleben angefragt" in page  # a named partner is asked first (consent)
    assert "von hitzacker" in page or users["editor_own"].get_full_name() in page


def test_removing_a_partner(as_role, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    partnership = Partnership.objects.create(
        measure=measure, municipality=district["gorleben"], state="confirmed"
    )
    data = form_data(measure, district["hitzacker"])
    data.update(
        partner_data(
            {
                "id": str(partnership.pk),
                "measure": str(measure.pk),
                "municipality": str(district["gorleben"].pk),
                "DELETE": "on",
            },
            initial=1,
        )
    )
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    assert not Partnership.objects.filter(measure=measure).exists()


class TestConcurrentEdits:
    """Two people edit the same measure: the second save is refused and nothing is lost."""

    def test_second_save_is_refused_and_shows_what_changed(self, client, district, users):
        measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Ausgangstitel")
        url = reverse("measures:update", args=[measure.pk])
        # Both open the form at version 1.
        first = form_data(
            measure,
            district["hitzacker"],
            title="Titel von Person A",
            description=measure.description,
        )
        second = form_data(
            measure,
            district["hitzacker"],
            title="Ausgangstitel",
            description="Text, den Person B lange getippt hat",
        )
        client.force_login(users["editor_own"])
        assert client.post(url, first).status_code == 302

        client.force_login(users["samtgemeinde_editor"])
        response = client.post(url, second)
        assert response.status_code == 409
        page = response.content.decode()
        assert "Die Maßnahme wurde inzwischen geändert" in page
        assert "Titel von Person A" in page  # what the other person changed
        assert "Text, den Person B lange getippt hat" in page  # B's input is kept
        measure.refresh_from_db()
        assert measure.title == "Titel von Person A"
        assert measure.description == "Ausführliche Beschreibung."
        assert measure.version == 2
        # The form now carries the current version, so B can save deliberately.
        assert response.context["form"]["version"].value() == "2"
        resubmit = dict(second, version="2")
        assert client.post(url, resubmit).status_code == 302
        measure.refresh_from_db()
        assert measure.description == "Text, den Person B lange getippt hat"
        assert measure.version == 3

    def test_stale_version_never_overwrites(self, as_role, district):
        measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Stand 1")
        Measure.objects.filter(pk=measure.pk).update(version=5, title="Stand 5")
        data = form_data(measure, district["hitzacker"], title="Veraltet", version="1")
        response = as_role("coordinator").post(reverse("measures:update", args=[measure.pk]), data)
        assert response.status_code == 409
        measure.refresh_from_db()
        assert (measure.title, measure.version) == ("Stand 5", 5)

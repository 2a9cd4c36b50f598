"""Forms posted on an older version of a measure: refused with the conflict page, nothing lost.

The same situations as tests/measures/test_races.py, one after the other (no threads): an edit
form loaded before an acceptance, an acceptance decided on a version edited since, and the
partner rows of a conflict page re-posted after the other person added the same partner.
"""

import pytest
from django.urls import reverse

from measures.models import Measure, Partnership
from measures.review import ReviewComment, ReviewState, StaleReviewError, transition_to
from tests.factories import MeasureFactory

from .test_forms_and_flow import partner_data
from .test_races import unchanged_form_data


@pytest.fixture
def submitted(district, users):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    return Measure.objects.get(pk=measure.pk)


def test_review_transitions_bump_the_version(submitted, users):
    before = submitted.version
    transition_to(submitted, ReviewState.ACCEPTED, users["coordinator"])
    assert Measure.objects.get(pk=submitted.pk).version == before + 1 == submitted.version


def test_stale_edit_form_after_acceptance_is_refused_and_the_acceptance_stays(
    client, submitted, users
):
    stale = unchanged_form_data(submitted, title="Neuer Titel", description="Lange getippter Text")
    transition_to(submitted, ReviewState.ACCEPTED, users["coordinator"], "Gut so.")

    client.force_login(users["editor_own"])
    url = reverse("measures:update", args=[submitted.pk])
    response = client.post(url, stale)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Die Maßnahme wurde inzwischen geändert" in page
    assert "Lange getippter Text" in page and "Neuer Titel" in page
    assert "angenommen" in page  # what the other person changed: the review state
    measure = Measure.objects.get(pk=submitted.pk)
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["title"] == "Alter Titel"
    assert measure.title == "Alter Titel"

    # Saved deliberately from the conflict page, the edit goes back to review; the accepted
    # version stays what was accepted.
    again = dict(stale, version=str(measure.version))
    assert client.post(url, again).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Neuer Titel"
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.accepted_snapshot["title"] == "Alter Titel"


def test_acceptance_of_a_version_edited_since_is_refused_and_keeps_the_comment(
    as_role, submitted, users
):
    seen = submitted.version
    Measure.objects.filter(pk=submitted.pk).update(version=seen + 1, title="Unbesehen")
    response = as_role("coordinator").post(
        reverse("measures:transition", args=[submitted.pk]),
        {"target": "accepted", "version": str(seen), "comment": "Sieht gut aus."},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "geändert, nachdem Sie sie geöffnet haben" in page
    assert "Sieht gut aus." in page
    assert f'name="version" value="{seen + 1}"' in page  # deciding again is possible
    measure = Measure.objects.get(pk=submitted.pk)
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.accepted_snapshot is None
    assert not ReviewComment.objects.filter(to_state=ReviewState.ACCEPTED).exists()


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999"])
def test_transition_without_a_valid_version_is_refused_not_an_error(as_role, submitted, version):
    response = as_role("coordinator").post(
        reverse("measures:transition", args=[submitted.pk]),
        {"target": "accepted", "version": version},
    )
    assert response.status_code == 409
    assert Measure.objects.get(pk=submitted.pk).review_state == ReviewState.SUBMITTED


def test_transition_to_refuses_a_stale_version(submitted, users):
    with pytest.raises(StaleReviewError):
        transition_to(
            submitted,
            ReviewState.ACCEPTED,
            users["coordinator"],
            seen_version=submitted.version - 1,
        )
    assert Measure.objects.get(pk=submitted.pk).review_state == ReviewState.SUBMITTED


def test_publication_fields_survive_an_edit(client, submitted, users):
    """The form never writes what the drafts app owns (the published version)."""
    stale = unchanged_form_data(submitted, title="Neuer Titel")
    Measure.objects.filter(pk=submitted.pk).update(
        public_snapshot={"title": "Veröffentlicht"}, public_since="2026-01-01T00:00:00Z"
    )
    client.force_login(users["editor_own"])
    assert client.post(reverse("measures:update", args=[submitted.pk]), stale).status_code == 302
    measure = Measure.objects.get(pk=submitted.pk)
    assert measure.title == "Neuer Titel"
    assert measure.public_snapshot == {"title": "Veröffentlicht"}
    assert measure.public_since is not None


class TestPartnerConflicts:
    """The other person added the same partner: a form error, never a 500."""

    def test_reposting_the_conflict_page_after_the_same_partner_was_added(
        self, client, district, users, submitted
    ):
        gorleben = str(district["gorleben"].pk)
        url = reverse("measures:update", args=[submitted.pk])
        mine = unchanged_form_data(submitted, **partner_data({"municipality": gorleben}))
        theirs = unchanged_form_data(
            submitted,
            **partner_data({"municipality": gorleben, "cost_share_percent": "20"}),
        )
        client.force_login(users["samtgemeinde_editor"])
        assert client.post(url, theirs).status_code == 302

        client.force_login(users["editor_own"])
        conflict = client.post(url, mine)
        assert conflict.status_code == 409
        assert "jemand anderes hat sie inzwischen eingetragen" in conflict.content.decode()
        repost = dict(mine, version=conflict.context["form"]["version"].value())
        response = client.post(url, repost)

        assert response.status_code == 200
        assert "bereits beteiligt" in response.content.decode()
        assert Partnership.objects.filter(measure=submitted).count() == 1
        # Emptying the row saves the rest; the other person's entry stays.
        emptied = dict(repost, **{"partners-0-municipality": ""})
        assert client.post(url, emptied).status_code == 302
        partnership = Partnership.objects.get(measure=submitted)
        assert partnership.cost_share_percent == 20

    def test_new_row_for_an_existing_partner_is_an_error(self, as_role, district, submitted):
        Partnership.objects.create(measure=submitted, municipality=district["gorleben"])
        data = unchanged_form_data(
            submitted, **partner_data({"municipality": str(district["gorleben"].pk)})
        )
        response = as_role("editor_own").post(reverse("measures:update", args=[submitted.pk]), data)
        assert response.status_code == 200
        assert "bereits beteiligt" in response.content.decode()
        assert Partnership.objects.filter(measure=submitted).count() == 1

    @pytest.mark.parametrize(
        ("initial", "total"),
        [
            ("-99999999999999999999", "1"),
            ("-1", "1"),
            ("99999999999999999999", "1"),
            ("2", "1"),
            ("0", "-99999999999999999999"),
            ("1", "99999999999999999999"),
            ("eins", "1"),
        ],
    )
    def test_crafted_form_counts_give_a_german_error(
        self, as_role, district, submitted, initial, total
    ):
        existing = Partnership.objects.create(
            measure=submitted, municipality=district["dannenberg"]
        )
        data = unchanged_form_data(
            submitted,
            **partner_data(
                {
                    "id": str(existing.pk),
                    "municipality": str(district["dannenberg"].pk),
                    "measure": str(submitted.pk),
                }
            ),
        )
        data.update({"partners-INITIAL_FORMS": initial, "partners-TOTAL_FORMS": total})
        response = as_role("editor_own").post(reverse("measures:update", args=[submitted.pk]), data)
        assert response.status_code == 200
        errors = response.context["formset"].non_form_errors()
        assert errors and all("Kommunen" in error for error in errors)
        page = response.content.decode()
        assert str(errors[0]) in page
        assert "ManagementForm" not in page
        assert list(Partnership.objects.filter(measure=submitted)) == [existing]
        assert Measure.objects.get(pk=submitted.pk).version == submitted.version


@pytest.mark.parametrize("version", ["-1", "0", "99999999999999999999"])
def test_crafted_version_of_the_edit_form_gives_the_conflict_page(as_role, submitted, version):
    data = unchanged_form_data(submitted, title="Neuer Titel", version=version)
    response = as_role("editor_own").post(reverse("measures:update", args=[submitted.pk]), data)
    assert response.status_code == 409
    assert "Neuer Titel" in response.content.decode()
    assert Measure.objects.get(pk=submitted.pk).title == "Alter Titel"


def test_admin_change_keeps_the_accepted_version_and_bumps_the_version(
    client, submitted, users, django_user_model
):
    """The admin form does not carry the accepted snapshot; saving there must not drop it."""
    transition_to(submitted, ReviewState.ACCEPTED, users["coordinator"])
    accepted = Measure.objects.get(pk=submitted.pk)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("admin:measures_measure_change", args=[accepted.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("goals",)
    }
    data.update(
        {
            "title": "Im Admin geändert",
            "planned_start": "2027-01-01",
            "planned_end": "2027-12-01",
            "partnerships-TOTAL_FORMS": "0",
            "partnerships-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure = Measure.objects.get(pk=accepted.pk)
    assert measure.title == "Im Admin geändert"
    assert measure.accepted_snapshot == accepted.accepted_snapshot
    assert measure.version == accepted.version + 1

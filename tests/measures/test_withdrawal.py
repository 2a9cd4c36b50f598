"""Withdrawing a submitted or accepted measure; deleting one that was never submitted."""

import pytest
from django.urls import reverse

from measures.models import Measure
from measures.review import ReviewComment, ReviewError, ReviewState, transition_to, withdraw

from ..factories import MeasureFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
# May withdraw / delete: the lead's editors (also through the Samtgemeinde) and the coordinator.
MAY = {"editor_own", "samtgemeinde_editor", "coordinator"}


@pytest.fixture
def submitted(district, users):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Versehen")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    measure.refresh_from_db()
    return measure


@pytest.fixture
def never_submitted(district):
    return MeasureFactory(lead_municipality=district["hitzacker"], title="Testeintrag")


def expected(role, allowed_status=200):
    if role == "anonymous":
        return 302
    return allowed_status if role in MAY else 403


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_matrix(as_role, submitted, role):
    client = as_role(role)
    url = reverse("measures:withdraw", args=[submitted.pk])
    response = client.get(url)
    assert response.status_code == expected(role)
    if role in MAY:
        page = response.content.decode()
        assert "kommt in keinen neuen Entwurf" in page and "Prüfverlauf bleiben erhalten" in page
    response = client.post(url, {"reason": "Versehentlich doppelt angelegt."})
    assert response.status_code == expected(role, 302)
    submitted.refresh_from_db()
    state = ReviewState.WITHDRAWN if role in MAY else ReviewState.SUBMITTED
    assert submitted.review_state == state


def test_withdraw_needs_a_reason_and_keeps_history(as_role, submitted):
    client = as_role("editor_own")
    url = reverse("measures:withdraw", args=[submitted.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie an, warum" in response.content.decode()
    before = submitted.history.count()
    client.post(url, {"reason": "Wird nicht weiterverfolgt."})
    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.WITHDRAWN
    assert submitted.history.count() == before + 1
    entry = ReviewComment.objects.filter(measure=submitted).last()
    assert (entry.from_state, entry.to_state) == (ReviewState.SUBMITTED, ReviewState.WITHDRAWN)
    assert entry.text == "Wird nicht weiterverfolgt."
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Diese Maßnahme ist zurückgezogen" in page
    # Already withdrawn: the page says so instead of offering it again.
    assert client.get(url).status_code == 302


def test_withdrawn_measure_can_not_be_withdrawn_again(submitted, users):
    withdraw(submitted, users["editor_own"], "Doppelt.")
    with pytest.raises(ReviewError):
        withdraw(submitted, users["editor_own"], "Nochmal.")


def test_withdrawn_measures_count_on_no_dashboard(as_role, submitted, users, district):
    client = as_role("council")
    url = reverse("measures:dashboard", args=["hitzacker-elbe"])
    assert client.get(url).context["total"] == 1
    withdraw(submitted, users["editor_own"], "Doppelt.")
    assert client.get(url).context["total"] == 0
    assert not Measure.objects.concerning(district["district"]).filter(pk=submitted.pk)


def test_withdrawal_tells_the_coordinator(
    submitted, users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(submitted, users["editor_own"], "Doppelt.")
    assert [m.subject[:13] for m in mailoutbox] == ["Zurückgezogen"]
    assert mailoutbox[0].to == [users["coordinator"].email]


@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(as_role, never_submitted, role):
    client = as_role(role)
    url = reverse("measures:delete", args=[never_submitted.pk])
    response = client.get(url)
    assert response.status_code == expected(role)
    if role in MAY:
        assert "kann nicht rückgängig gemacht werden" in response.content.decode()
    assert Measure.objects.filter(pk=never_submitted.pk).exists()  # GET never deletes
    response = client.post(url)
    assert response.status_code == expected(role, 302)
    assert Measure.objects.filter(pk=never_submitted.pk).exists() is (role not in MAY)


def test_deletion_keeps_a_history_record(as_role, never_submitted):
    pk = never_submitted.pk
    as_role("editor_own").post(reverse("measures:delete", args=[pk]))
    assert Measure.history.filter(id=pk, history_type="-").exists()


def test_a_submitted_measure_is_not_deleted_but_pointed_to_withdrawal(as_role, submitted):
    client = as_role("editor_own")
    response = client.post(reverse("measures:delete", args=[submitted.pk]), follow=True)
    assert Measure.objects.filter(pk=submitted.pk).exists()
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Ziehen Sie sie stattdessen" in shown


def test_detail_offers_delete_for_drafts_and_withdraw_otherwise(
    as_role, never_submitted, submitted
):
    client = as_role("editor_own")
    draft_page = client.get(never_submitted.get_absolute_url())
    assert draft_page.context["can_delete"] and not draft_page.context["can_withdraw"]
    page = client.get(submitted.get_absolute_url())
    assert page.context["can_withdraw"] and not page.context["can_delete"]
    other = as_role("council").get(submitted.get_absolute_url())
    assert not other.context["can_withdraw"] and not other.context["can_delete"]

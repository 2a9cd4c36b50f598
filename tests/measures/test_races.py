"""Edit and review of one measure at the same time: nothing is lost, nothing unseen accepted.

Two threads with real transactions on PostgreSQL, interleaved at a hook (see tests/race.py).
"""

import pytest
from django.core import mail
from django.urls import reverse

from measures.models import Measure
from measures.review import ReviewComment, ReviewState, transition_to
from tests.factories import MeasureFactory
from tests.race import Pause, race_test, start, wait_until_blocked_on_lock

from .test_permissions import form_data

pytestmark = race_test


@pytest.fixture
def submitted(district, users):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    return Measure.objects.get(pk=measure.pk)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def unchanged_form_data(measure, **overrides):
    """Edit-form data equal to the measure except for the overrides.

    A changed summary or cost plan would be substantive, too; transactional tests seed the
    fields of action again, so their primary keys vary.
    """
    data = form_data(
        measure,
        measure.lead_municipality,
        title=measure.title,
        summary=measure.summary,
        description=measure.description,
        budget_planned="",
        field_of_action=str(measure.field_of_action_id),
    )
    # Without the cost plan's rows the form leaves the plan as it is (none here).
    for key in [key for key in data if key.startswith("costs-")]:
        del data[key]
    data.update(overrides)
    return data


def _edit(user, measure, district, **overrides):
    data = unchanged_form_data(measure, **{"title": "Neuer Titel", **overrides})
    return _client(user).post(reverse("measures:update", args=[measure.pk]), data)


def _accept(user, measure, version):
    return _client(user).post(
        reverse("measures:transition", args=[measure.pk]),
        {"target": ReviewState.ACCEPTED, "version": str(version), "comment": "Passt so."},
    )


def test_acceptance_during_an_edit_is_not_lost(submitted, users, district):
    """The editor's form was loaded before the acceptance; its save must not undo it."""
    with Pause("measures.views.measure._validate", "editor") as pause:
        editor = start(lambda: _edit(users["editor_own"], submitted, district), "editor")
        pause.wait_reached()  # the editor's request has loaded the row
        accepted = _accept(users["coordinator"], submitted, submitted.version)
        assert accepted.status_code == 302
        pause.resume()
        response = editor.outcome()

    measure = Measure.objects.get(pk=submitted.pk)
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["title"] == "Alter Titel"
    assert measure.title == "Alter Titel"
    # The stale edit is refused with the conflict page, the typed text kept.
    assert response.status_code == 409
    assert "Neuer Titel" in response.content.decode()
    assert "Die Maßnahme wurde inzwischen geändert" in response.content.decode()


def test_acceptance_never_takes_text_the_coordinator_has_not_seen(submitted, users, district):
    """The coordinator opened version v; an edit saved before her click must not be accepted."""
    seen = submitted.version
    with Pause("measures.views.review.transition_to", "coordinator") as pause:
        coordinator = start(lambda: _accept(users["coordinator"], submitted, seen), "coordinator")
        pause.wait_reached()
        assert _edit(users["editor_own"], submitted, district).status_code == 302
        pause.resume()
        response = coordinator.outcome()

    measure = Measure.objects.get(pk=submitted.pk)
    assert measure.title == "Neuer Titel"
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.accepted_snapshot is None
    assert response.status_code == 409
    page = response.content.decode()
    assert "geändert, nachdem Sie sie geöffnet haben" in page
    assert "Passt so." in page  # her comment is kept
    assert not ReviewComment.objects.filter(to_state=ReviewState.ACCEPTED).exists()


def test_acceptance_waits_for_a_save_in_progress_and_is_refused(submitted, users, district):
    """The edit holds the row lock; the acceptance waits for it, then sees the new version."""
    seen = submitted.version
    with Pause("measures.views.measure.after_edit", "editor") as pause:
        editor = start(lambda: _edit(users["editor_own"], submitted, district), "editor")
        pause.wait_reached()  # inside the editor's transaction, row locked and written
        coordinator = start(lambda: _accept(users["coordinator"], submitted, seen), "coordinator")
        wait_until_blocked_on_lock()
        pause.resume()
        assert editor.outcome().status_code == 302
        response = coordinator.outcome()

    measure = Measure.objects.get(pk=submitted.pk)
    assert response.status_code == 409
    assert (measure.title, measure.review_state) == ("Neuer Titel", ReviewState.SUBMITTED)
    assert measure.accepted_snapshot is None


def test_edit_waits_for_an_acceptance_in_progress_and_is_refused(submitted, users, district):
    """The acceptance holds the lock; the edit waits, then gets the conflict page."""
    with Pause("measures.review._notify_on_commit", "coordinator") as pause:
        coordinator = start(
            lambda: _accept(users["coordinator"], submitted, submitted.version), "coordinator"
        )
        pause.wait_reached()  # inside the transition's transaction
        editor = start(lambda: _edit(users["editor_own"], submitted, district), "editor")
        wait_until_blocked_on_lock()
        pause.resume()
        assert coordinator.outcome().status_code == 302
        response = editor.outcome()

    measure = Measure.objects.get(pk=submitted.pk)
    assert response.status_code == 409
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["title"] == "Alter Titel"
    assert any(m.subject.startswith("Angenommen:") for m in mail.outbox)


def test_progress_edit_during_acceptance_reaches_the_accepted_snapshot(submitted, users, district):
    """A stale progress update is refused too; re-posted, it lands in the accepted version."""
    with Pause("measures.views.measure._validate", "editor") as pause:
        editor = start(
            lambda: _edit(
                users["editor_own"], submitted, district, title="Alter Titel", status="in_progress"
            ),
            "editor",
        )
        pause.wait_reached()
        assert _accept(users["coordinator"], submitted, submitted.version).status_code == 302
        pause.resume()
        assert editor.outcome().status_code == 409

    measure = Measure.objects.get(pk=submitted.pk)
    again = _edit(users["editor_own"], measure, district, title="Alter Titel", status="in_progress")
    assert again.status_code == 302
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["status"] == "in_progress"


def test_two_saves_at_once_one_wins_one_gets_the_conflict_page(submitted, users, district):
    with Pause("measures.views.measure.after_edit", "first") as pause:
        first = start(
            lambda: _edit(users["editor_own"], submitted, district, title="Erste Fassung"),
            "first",
        )
        pause.wait_reached()
        second = start(
            lambda: _edit(
                users["samtgemeinde_editor"], submitted, district, title="Zweite Fassung"
            ),
            "second",
        )
        wait_until_blocked_on_lock()
        pause.resume()
        assert first.outcome().status_code == 302
        assert second.outcome().status_code == 409
    measure = Measure.objects.get(pk=submitted.pk)
    assert (measure.title, measure.version) == ("Erste Fassung", submitted.version + 1)

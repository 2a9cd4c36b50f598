"""Review workflow: transitions and their permissions (matrix over roles), snapshots."""

import pytest

from measures.models import Measure, Status
from measures.review import (
    ReviewComment,
    ReviewError,
    ReviewState,
    after_edit,
    allowed_targets,
    transition_to,
)
from tests.factories import GoalFactory, MeasureFactory, PartnershipFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
SUBMITTERS = {"editor_own", "samtgemeinde_editor", "coordinator"}
REVIEWERS = {"coordinator"}


@pytest.fixture
def measure(district):
    return MeasureFactory(lead_municipality=district["hitzacker"])


def _user(users, role):
    return users[role]


@pytest.mark.parametrize("role", ROLES)
def test_submit_matrix(measure, users, role, django_capture_on_commit_callbacks):
    user = _user(users, role)
    if role in SUBMITTERS:
        with django_capture_on_commit_callbacks(execute=True):
            transition_to(measure, ReviewState.SUBMITTED, user)
        assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.SUBMITTED
    else:
        with pytest.raises(ReviewError) as refusal:
            transition_to(measure, ReviewState.SUBMITTED, user)
        assert str(refusal.value)  # a German reason
        assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.DRAFT


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", [ReviewState.ACCEPTED, ReviewState.CHANGES_REQUESTED])
def test_review_matrix(measure, users, role, target):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    user = _user(users, role)
    if role in REVIEWERS:
        transition_to(measure, target, user, comment="Bitte Zeitplan ergänzen.")
        assert Measure.objects.get(pk=measure.pk).review_state == target
    else:
        with pytest.raises(ReviewError) as refusal:
            transition_to(measure, target, user, comment="x")
        reason = str(refusal.value)
        assert "Koordinierungsstelle" in reason or "melden Sie sich an" in reason
        assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.SUBMITTED


def test_changes_requested_needs_a_comment(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    with pytest.raises(ReviewError, match="begründen"):
        transition_to(measure, ReviewState.CHANGES_REQUESTED, users["coordinator"], comment=" ")


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (ReviewState.DRAFT, ReviewState.ACCEPTED),
        (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED),
        (ReviewState.ACCEPTED, ReviewState.CHANGES_REQUESTED),
        (ReviewState.CHANGES_REQUESTED, ReviewState.ACCEPTED),
        (ReviewState.SUBMITTED, ReviewState.DRAFT),
        (ReviewState.SUBMITTED, ReviewState.SUBMITTED),
    ],
)
def test_impossible_steps_are_refused_with_reason(measure, users, source, target):
    Measure.objects.filter(pk=measure.pk).update(review_state=source)
    measure.refresh_from_db()
    with pytest.raises(ReviewError) as refusal:
        transition_to(measure, target, users["coordinator"], comment="x")
    assert "Prüfstatus" in str(refusal.value)


def test_full_cycle_leaves_thread_and_history(measure, users):
    editor, coordinator = users["editor_own"], users["coordinator"]
    transition_to(measure, ReviewState.SUBMITTED, editor)
    transition_to(measure, ReviewState.CHANGES_REQUESTED, coordinator, "Budget fehlt.")
    transition_to(measure, ReviewState.SUBMITTED, editor, "Budget ergänzt.")
    transition_to(measure, ReviewState.ACCEPTED, coordinator)
    thread = list(ReviewComment.objects.filter(measure=measure))
    assert [c.to_state for c in thread] == [
        ReviewState.SUBMITTED,
        ReviewState.CHANGES_REQUESTED,
        ReviewState.SUBMITTED,
        ReviewState.ACCEPTED,
    ]
    assert thread[1].text == "Budget fehlt." and thread[1].author == coordinator
    states = list(measure.history.order_by("history_id").values_list("review_state", flat=True))
    assert states[-4:] == ["submitted", "changes_requested", "submitted", "accepted"]
    assert measure.history.order_by("-history_id").first().history_user == coordinator


def test_allowed_targets_for_buttons(measure, users):
    assert allowed_targets(measure, users["editor_own"]) == [
        ReviewState.SUBMITTED,
        ReviewState.WITHDRAWN,
    ]
    assert allowed_targets(measure, users["council"]) == []
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    assert allowed_targets(measure, users["coordinator"]) == [
        ReviewState.ACCEPTED,
        ReviewState.CHANGES_REQUESTED,
        ReviewState.WITHDRAWN,
    ]
    assert allowed_targets(measure, users["editor_own"]) == [ReviewState.WITHDRAWN]


def _accept(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()


def test_acceptance_stores_snapshot_without_personal_data(measure, users, district):
    measure.contact_name = "Erika Mustermann"
    measure.contact_email = "erika@example.org"
    measure.contact_role = "Fachdienst Digitalisierung"
    measure.save()
    goal = GoalFactory(title="Alle Leistungen online")
    measure.goals.add(goal)
    PartnershipFactory(measure=measure, municipality=district["dannenberg"])
    _accept(measure, users)
    snap = measure.accepted_snapshot
    assert snap["title"] == measure.title
    assert snap["lead"]["name"] == "Hitzacker (Elbe)"
    assert [p["name"] for p in snap["partners"]] == ["Dannenberg (Elbe)"]
    assert snap["goals"][0]["title"] == "Alle Leistungen online"
    assert snap["contact_role"] == "Fachdienst Digitalisierung"
    text = repr(snap)
    assert "Mustermann" not in text and "erika@" not in text
    assert measure.accepted_at is not None


def test_substantive_edit_sends_accepted_measure_back_but_keeps_accepted_version(measure, users):
    _accept(measure, users)
    accepted_title = measure.title
    measure.title = "Neuer Titel"
    measure.save()
    assert after_edit(measure, users["editor_own"]) is True
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.accepted_snapshot["title"] == accepted_title
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    assert measure.accepted_snapshot["title"] == "Neuer Titel"


def test_progress_edit_updates_accepted_version_without_review(measure, users):
    _accept(measure, users)
    measure.status = Status.IN_PROGRESS
    measure.save()
    assert after_edit(measure, users["editor_own"]) is False
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["status"] == Status.IN_PROGRESS


def test_edit_of_never_accepted_measure_changes_nothing(measure, users):
    measure.title = "anders"
    measure.save()
    assert after_edit(measure, users["editor_own"]) is False
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.DRAFT

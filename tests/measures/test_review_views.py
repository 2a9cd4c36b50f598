"""Review views: permission matrix, queue, overview, dashboard, thread, notifications."""

import pytest
from django.core import mail
from django.urls import reverse

from measures.models import Measure
from measures.review import (
    ReviewComment,
    ReviewState,
    add_comment,
    measure_snapshot,
    transition_to,
)
from tests.factories import MeasureFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.fixture
def measure(district):
    return MeasureFactory(
        lead_municipality=district["hitzacker"], title="Online-Antrag Hundesteuer"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("editor_own", 403),
        ("editor_other", 403),
        ("samtgemeinde_editor", 403),
        ("coordinator", 200),
        ("council", 403),
    ],
)
@pytest.mark.parametrize("name", ["measures:review_queue", "measures:review_overview"])
def test_coordinator_pages_matrix(as_role, role, expected, name):
    response = as_role(role).get(reverse(name))
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_submit_view_matrix(as_role, role, measure, django_capture_on_commit_callbacks):
    url = reverse("measures:transition", args=[measure.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role(role).post(
            url, {"target": "submitted", "version": measure.version}, follow=True
        )
    state = Measure.objects.get(pk=measure.pk).review_state
    if role == "anonymous":
        assert "login" in response.redirect_chain[0][0]
        assert state == ReviewState.DRAFT
    elif role in ("editor_own", "samtgemeinde_editor", "coordinator"):
        assert state == ReviewState.SUBMITTED
        assert "zur Prüfung eingereicht" in response.content.decode()
    else:
        assert state == ReviewState.DRAFT
        assert "Nur die Redaktion" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_accept_view_matrix(as_role, users, role, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    url = reverse("measures:transition", args=[measure.pk])
    response = as_role(role).post(
        url, {"target": "accepted", "version": measure.version}, follow=True
    )
    state = Measure.objects.get(pk=measure.pk).review_state
    if role == "coordinator":
        assert state == ReviewState.ACCEPTED
    else:
        assert state == ReviewState.SUBMITTED
        if role != "anonymous":
            assert "Nur die Koordinierungsstelle" in response.content.decode()


def test_return_without_comment_says_why(as_role, users, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    url = reverse("measures:transition", args=[measure.pk])
    response = as_role("coordinator").post(
        url, {"target": "changes_requested", "version": measure.version}, follow=True
    )
    assert "Bitte begründen Sie" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.SUBMITTED


def test_queue_lists_submitted_in_constant_queries(
    as_role, users, district, django_assert_max_num_queries
):
    for i in range(3):
        m = MeasureFactory(lead_municipality=district["hitzacker"], title=f"Eingereicht {i}")
        transition_to(m, ReviewState.SUBMITTED, users["editor_own"], "bitte prüfen")
    MeasureFactory(lead_municipality=district["hitzacker"], title="Noch im Entwurf")
    client = as_role("coordinator")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("measures:review_queue"))
    body = response.content.decode()
    assert "Eingereicht 2" in body and "Noch im Entwurf" not in body
    for i in range(3, 10):
        m = MeasureFactory(lead_municipality=district["gorleben"], title=f"Eingereicht {i}")
        transition_to(m, ReviewState.SUBMITTED, users["editor_other"])
    with django_assert_max_num_queries(12):
        assert "Eingereicht 9" in client.get(reverse("measures:review_queue")).content.decode()


def test_overview_counts_and_silent_bodies(as_role, users, district, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    MeasureFactory(lead_municipality=district["gorleben"])  # draft only: submitted nothing
    response = as_role("coordinator").get(reverse("measures:review_overview"))
    rows = {row["body"].slug: row for row in response.context["rows"]}
    assert rows["hitzacker-elbe"]["silent"] is False
    assert rows["hitzacker-elbe"]["cells"][1] == 1  # submitted
    assert rows["gorleben"]["silent"] is True
    silent = {b.slug for b in response.context["silent"]}
    assert {"gorleben", "sg-gartow", "dannenberg-elbe"} <= silent
    assert "hitzacker-elbe" not in silent


def test_editor_dashboard_shows_what_was_returned_and_why(as_role, users, district, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(
        measure, ReviewState.CHANGES_REQUESTED, users["coordinator"], "Bitte Budget angeben."
    )
    url = reverse("measures:dashboard", args=["hitzacker-elbe"])
    body = as_role("editor_own").get(url).content.decode()
    assert "Von der Koordinierungsstelle zurückgegeben" in body
    assert "Bitte Budget angeben." in body


def test_thread_on_detail_page_and_reply(as_role, users, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.CHANGES_REQUESTED, users["coordinator"], "Welche Kosten?")
    client = as_role("editor_own")
    client.post(reverse("measures:comment", args=[measure.pk]), {"text": "Rund 5.000 Euro."})
    body = client.get(measure.get_absolute_url()).content.decode()
    assert body.index("Welche Kosten?") < body.index("Rund 5.000 Euro.")
    assert "Zur Prüfung einreichen" in body


def test_foreign_editor_cannot_comment(as_role, measure):
    as_role("editor_other").post(reverse("measures:comment", args=[measure.pk]), {"text": "x"})
    assert not ReviewComment.objects.exists()


def test_public_never_sees_thread(client, users, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    Measure.objects.filter(pk=measure.pk).update(
        public_since="2027-01-01T00:00:00Z", public_snapshot=measure_snapshot(measure)
    )
    body = client.get(measure.get_absolute_url()).content.decode()
    assert "Prüfverlauf" not in body


def test_edit_form_sends_accepted_measure_back_to_review(as_role, users, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    client = as_role("editor_own")
    form = client.get(reverse("measures:update", args=[measure.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "Online-Antrag Hundesteuer und Gewerbe",
            "lead_municipality": measure.lead_municipality_id,
            "field_of_action": measure.field_of_action_id,
            "planned_start": "2027-01",
            "planned_end": "2027-12",
            "goals": [],
            "version": measure.version,
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = client.post(reverse("measures:update", args=[measure.pk]), data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.title == "Online-Antrag Hundesteuer und Gewerbe"
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.accepted_snapshot["title"] == "Online-Antrag Hundesteuer"


class TestNotifications:
    def test_submit_mails_coordinators_after_commit(
        self, users, measure, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
        assert mail.outbox == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [users["coordinator"].email]
        assert "Zur Prüfung eingereicht" in message.subject

    def test_return_mails_editors_with_reason(
        self, users, measure, django_capture_on_commit_callbacks
    ):
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
        with django_capture_on_commit_callbacks(execute=True):
            transition_to(
                measure, ReviewState.CHANGES_REQUESTED, users["coordinator"], "Zeitplan fehlt."
            )
        message = mail.outbox[-1]
        assert "Änderungen erbeten" in message.subject
        assert "Zeitplan fehlt." in message.body
        # The lead has an editor of its own: the notice goes to her (municipalities.acting);
        # the Samtgemeinde's administration is told only for members without one.
        assert set(message.to) == {users["editor_own"].email}

    def test_accept_mails_editors(self, users, measure, django_capture_on_commit_callbacks):
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
        with django_capture_on_commit_callbacks(execute=True):
            transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
        assert "Angenommen" in mail.outbox[-1].subject
        assert users["editor_other"].email not in mail.outbox[-1].to

    def test_task_tolerates_deleted_comment(self, db):
        from measures.tasks import send_review_notification

        assert send_review_notification(999999) == 0
        assert mail.outbox == []


def test_overview_query_count_is_flat(as_role, users, district, django_assert_max_num_queries):
    client = as_role("coordinator")
    MeasureFactory(lead_municipality=district["hitzacker"])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("measures:review_overview"))
    for body in ("gorleben", "dannenberg", "elbtalaue"):
        for _ in range(3):
            MeasureFactory(lead_municipality=district[body])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("measures:review_overview"))


def test_transitions_appear_in_the_history_page(as_role, users, measure):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    body = as_role("coordinator").get(reverse("measures:history", args=[measure.pk]))
    text = body.content.decode()
    assert "Prüfstatus" in text and "angenommen" in text and "eingereicht" in text


def test_detail_with_thread_has_flat_query_count(
    as_role, users, measure, django_assert_max_num_queries
):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    client = as_role("coordinator")
    with django_assert_max_num_queries(20) as few:
        client.get(measure.get_absolute_url())
    for i in range(6):
        add_comment(measure, users["editor_own"] if i % 2 else users["coordinator"], f"K{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "K5" in client.get(measure.get_absolute_url()).content.decode()

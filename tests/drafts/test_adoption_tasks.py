"""The adoption on "Meine Aufgaben" and the reminders 7 days before each meeting (issue 20 §4)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drafts import adoption
from drafts.adoption_models import AdoptionReminder, DecisionProcedure, Outcome, StepRole
from drafts.models import DraftState, StrategyDraft
from drafts.tasks import send_adoption_reminders
from drafts.workflow import freeze

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 3, 9, 0, tzinfo=datetime.UTC)


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = NOW  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def elbtalaue(measures, draft, users, district):
    freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    users["samtgemeinde_editor"].email = "redaktion@elbtalaue.example.org"
    users["samtgemeinde_editor"].save()
    procedure = DecisionProcedure.objects.get(municipality=district["elbtalaue"])
    return adoption.save_procedure(
        procedure,
        users["coordinator"],
        "SG-17",
        "",
        [
            {
                "committee": "Samtgemeindeausschuss",
                "meeting_date": datetime.date(2027, 3, 10),
                "public": False,
                "role": StepRole.ADVISES,
            },
            {
                "committee": "Samtgemeinderat",
                "meeting_date": datetime.date(2027, 3, 24),
                "public": True,
                "role": StepRole.DECIDES,
            },
        ],
    )


def _dashboard(client, body):
    return client.get(reverse("measures:dashboard", args=[body.slug])).content.decode()


def test_the_samtgemeinde_sees_its_vorlage_with_the_meeting_as_deadline(
    as_role, elbtalaue, district
):
    tasks = adoption.dashboard_tasks(elbtalaue.draft.created_by, district["elbtalaue"])
    assert tasks == []  # the coordinator does not act for the Samtgemeinde
    html = _dashboard(as_role("samtgemeinde_editor"), district["elbtalaue"])
    assert "Vorlage einbringen" in html
    assert "10. März 2027" in html and "Samtgemeindeausschuss" in html


def test_after_the_council_met_the_task_is_to_record_the_decision(
    as_role, elbtalaue, district, users
):
    StrategyDraft.objects.filter(pk=elbtalaue.draft_id).update(
        state=DraftState.PUBLISHED, published_at=NOW - datetime.timedelta(days=30)
    )
    with time_machine.travel(datetime.datetime(2027, 3, 25, 9, tzinfo=datetime.UTC)):
        (task,) = adoption.dashboard_tasks(users["samtgemeinde_editor"], district["elbtalaue"])
        assert task.link_text == "Beschluss eintragen"
        assert task.deadline == datetime.date(2027, 3, 24)
        adoption.record(
            elbtalaue,
            users["samtgemeinde_editor"],
            decided_on=datetime.date(2027, 3, 24),
            outcome=Outcome.POSTPONED,
            number="",
            changes="",
        )
        # Postponed: it comes back.
        assert adoption.dashboard_tasks(users["samtgemeinde_editor"], district["elbtalaue"])
        adoption.record(
            elbtalaue,
            users["samtgemeinde_editor"],
            decided_on=datetime.date(2027, 3, 25),
            outcome=Outcome.ADOPTED,
            number="",
            changes="",
        )
        assert adoption.dashboard_tasks(users["samtgemeinde_editor"], district["elbtalaue"]) == []


@pytest.mark.parametrize(
    ("role", "count"),
    [
        ("editor_own", 0),
        ("editor_other", 0),
        ("samtgemeinde_editor", 1),
        ("coordinator", 0),
        ("council", 0),
    ],
)
def test_task_permission_matrix(elbtalaue, district, users, role, count):
    assert len(adoption.dashboard_tasks(users[role], district["elbtalaue"])) == count


def test_the_kreistags_task_is_the_coordinators(elbtalaue, district, users):
    (task,) = adoption.dashboard_tasks(users["coordinator"], district["district"])
    assert "Beratungsfolge planen" in task.title or "Vorlage einbringen" in task.title
    assert adoption.dashboard_tasks(users["council"], district["district"]) == []


def test_the_task_provider_has_a_flat_query_count(
    elbtalaue, district, users, django_assert_max_num_queries
):
    user = users["samtgemeinde_editor"]
    with django_assert_max_num_queries(3):  # memberships, procedures, their steps
        adoption.dashboard_tasks(user, district["elbtalaue"])


def test_reminders_go_out_7_days_before_each_meeting_once(elbtalaue, district, mailoutbox):
    assert send_adoption_reminders() == 1
    assert send_adoption_reminders() == 0  # a second run the same day sends nothing
    (mail,) = mailoutbox
    assert mail.to == ["redaktion@elbtalaue.example.org"]
    assert "Samtgemeindeausschuss von Samtgemeinde Elbtalaue am 10.03.2027" in mail.subject
    assert "Vorlage Nr. SG-17" in mail.body
    assert AdoptionReminder.objects.count() == 1
    # The meeting moves: reminded again for the new date.
    step = elbtalaue.steps.get(position=1)
    step.meeting_date = datetime.date(2027, 3, 11)
    step.save()
    with time_machine.travel(datetime.datetime(2027, 3, 4, 9, tzinfo=datetime.UTC)):
        assert send_adoption_reminders() == 1
    with time_machine.travel(datetime.datetime(2027, 3, 17, 9, tzinfo=datetime.UTC)):
        assert send_adoption_reminders() == 1  # the Samtgemeinderat on 24 March
    assert len(mailoutbox) == 3


def test_no_reminder_once_decided(elbtalaue, district, users, mailoutbox):
    StrategyDraft.objects.filter(pk=elbtalaue.draft_id).update(
        state=DraftState.PUBLISHED, published_at=NOW - datetime.timedelta(days=30)
    )
    adoption.record(
        elbtalaue,
        users["coordinator"],
        decided_on=datetime.date(2027, 3, 2),
        outcome=Outcome.ADOPTED,
        number="",
        changes="",
    )
    assert send_adoption_reminders() == 0
    assert mailoutbox == []


def test_a_body_nobody_acts_for_is_not_mailed_but_recorded(
    measures, draft, users, district, mailoutbox
):
    freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    gartow = DecisionProcedure.objects.get(municipality=district["gartow"])
    step = gartow.steps.get(role=StepRole.DECIDES)
    step.meeting_date = datetime.date(2027, 3, 10)
    step.save()
    assert send_adoption_reminders() == 0
    assert mailoutbox == []
    assert AdoptionReminder.objects.filter(step=step).exists()

"""Confirmations that tell the truth about the Abstimmung's e-mails (issue 19 §2): how many
went to whom, by body, and which bodies nobody was told about."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from drafts.consultation import MailPlan, consulted_bodies, open_consultation, submit_position
from drafts.models import Stance
from drafts.workflow import freeze
from municipalities.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = datetime.datetime(
    2027, 1, 4, 9, 0, tzinfo=datetime.UTC
)  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def frozen_draft(measures, draft, users):
    return freeze(draft, users["coordinator"], render=False)


@pytest.fixture
def second_elbtalaue_editor(district):
    user = UserFactory(username="sg-elbtalaue-2", first_name="Bea", last_name="Zweit")
    MembershipFactory(user=user, municipality=district["elbtalaue"], role=Role.EDITOR)
    return user


def _url(name, draft):
    return reverse(f"drafts:{name}", args=[draft.pk])


def _text(response):
    return " ".join(response.content.decode().split())


def test_opening_says_how_many_mails_went_to_whom_and_names_the_untold_bodies(
    as_role, frozen_draft, users, second_elbtalaue_editor, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    before = _text(client.get(_url("consultation_open", frozen_draft)))
    expected = "3 E-Mails an 4 Personen für 4 von 5 Kommunen"
    assert f"Beim Eröffnen gehen {expected}" in before
    assert "Niemand wird benachrichtigt für Samtgemeinde Gartow" in before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("consultation_open", frozen_draft),
            # After the draft's Kreistag deadline (18 December 2026): confirmed.
            {"deadline": "2027-01-10", "confirm_late": "on"},
            follow=True,
        )
    page = _text(response)
    assert f"Die Abstimmung ist eröffnet. Benachrichtigt: {expected}" in page
    editor = users["samtgemeinde_editor"].get_full_name()
    assert (
        f"an {editor}, Bea Zweit für Samtgemeinde Elbtalaue, Dannenberg (Elbe)" in page
        or f"an Bea Zweit, {editor} für Samtgemeinde Elbtalaue, Dannenberg (Elbe)" in page
    )
    assert "Niemand wurde benachrichtigt für Samtgemeinde Gartow" in page
    assert len(mail.outbox) == 3
    together = next(m for m in mail.outbox if len(m.to) == 2)
    assert set(together.to) == {users["samtgemeinde_editor"].email, "sg-elbtalaue-2@example.org"}
    assert not any("Samtgemeinde Gartow" in m.body for m in mail.outbox)


def test_the_plan_counts_what_the_task_sends(frozen_draft, users, district):
    plan = MailPlan.for_bodies(consulted_bodies())
    assert (len(plan.mails), plan.people, plan.told) == (3, 3, 4)
    assert [str(b) for b in plan.untold] == ["Samtgemeinde Gartow"]


def test_a_reminder_says_whom_it_reached_and_skips_bodies_that_answered(
    as_role, frozen_draft, users, district, django_capture_on_commit_callbacks
):
    consultation = open_consultation(frozen_draft, users["coordinator"], datetime.date(2027, 1, 10))
    submit_position(consultation, users["editor_other"], district["gorleben"], Stance.AGREE, "", {})
    client = as_role("coordinator")
    confirm = _text(client.get(_url("consultation_remind", frozen_draft)))
    assert "4 Kommunen haben noch nicht Stellung genommen" in confirm
    assert "2 E-Mails an 2 Personen für 3 von 4 Kommunen" in confirm
    assert "Niemand wird benachrichtigt für Samtgemeinde Gartow" in confirm
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("consultation_remind", frozen_draft), follow=True)
    page = _text(response)
    assert "Erinnerung verschickt: 2 E-Mails an 2 Personen für 3 von 4 Kommunen" in page
    assert "Niemand wurde benachrichtigt für Samtgemeinde Gartow" in page
    assert len(mail.outbox) == 2
    assert not any(users["editor_other"].email in m.to for m in mail.outbox)
    assert all("10. Januar 2027" in m.body for m in mail.outbox)


def test_no_reminder_when_every_body_answered(as_role, frozen_draft, users, district):
    consultation = open_consultation(frozen_draft, users["coordinator"], datetime.date(2027, 1, 10))
    for role, body in [
        ("samtgemeinde_editor", "elbtalaue"),
        ("editor_own", "hitzacker"),
        ("samtgemeinde_editor", "dannenberg"),
        ("editor_other", "gorleben"),
    ]:
        submit_position(consultation, users[role], district[body], Stance.AGREE, "", {})
    gartow = UserFactory(username="sg-gartow")
    MembershipFactory(user=gartow, municipality=district["gartow"], role=Role.EDITOR)
    submit_position(consultation, gartow, district["gartow"], Stance.AGREE, "", {})
    mail.outbox.clear()
    response = as_role("coordinator").post(_url("consultation_remind", frozen_draft), follow=True)
    assert "niemand muss erinnert werden" in _text(response)
    assert not mail.outbox


@pytest.mark.parametrize("role", ROLES)
def test_reminder_permission_matrix(as_role, frozen_draft, users, role):
    open_consultation(frozen_draft, users["coordinator"], datetime.date(2027, 1, 10))
    client = as_role(role)
    mail.outbox.clear()
    get = client.get(_url("consultation_remind", frozen_draft))
    post = client.post(_url("consultation_remind", frozen_draft))
    if role == "coordinator":
        assert get.status_code == 200 and post.status_code == 302
    elif role == "anonymous":
        assert get.status_code == 302 and post.status_code == 302  # to the login page
        assert not mail.outbox
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert not mail.outbox

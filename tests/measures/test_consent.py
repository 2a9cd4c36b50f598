"""Partnerships need the partner's consent: permission matrix, flow, e-mails, what counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Measure, Partnership, PartnershipState
from measures.review import ReviewComment, ReviewState, transition_to
from municipalities.models import Role

from ..factories import MeasureFactory, MembershipFactory, UserFactory

# Hitzacker leads, Gorleben is asked. Roles seen from the request:
#   partner editor: editor_other (Gorleben); lead editors: editor_own (Hitzacker) and
#   samtgemeinde_editor (Elbtalaue, Hitzacker's Samtgemeinde); other editor: Dannenberg's.
ROLES = [
    "anonymous",
    "partner_editor",
    "lead_editor",
    "samtgemeinde_lead_editor",
    "other_editor",
    "coordinator",
    "council",
]
ANSWER = {  # GET of the answer page, POST confirm
    "anonymous": (302, 302),
    "partner_editor": (200, 302),
    "lead_editor": (403, 403),
    "samtgemeinde_lead_editor": (403, 403),
    "other_editor": (403, 403),
    "coordinator": (403, 403),
    "council": (403, 403),
}


@pytest.fixture
def people(users, district):
    other = UserFactory(username="dannenberg")
    MembershipFactory(user=other, municipality=district["dannenberg"], role=Role.EDITOR)
    return {
        "anonymous": None,
        "partner_editor": users["editor_other"],
        "lead_editor": users["editor_own"],
        "samtgemeinde_lead_editor": users["samtgemeinde_editor"],
        "other_editor": other,
        "coordinator": users["coordinator"],
        "council": users["council"],
    }


@pytest.fixture
def login(client, people):
    def as_(role):
        if people[role] is not None:
            client.force_login(people[role])
        return client

    return as_


@pytest.fixture
def request_(district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Gemeinsames Rechenzentrum"
    )
    return Partnership.objects.create(
        measure=measure, municipality=district["gorleben"], cost_share_percent=Decimal("99")
    )


def test_a_new_partnership_is_requested(request_):
    assert request_.state == PartnershipState.REQUESTED


@pytest.mark.parametrize("role", ROLES)
def test_answer_matrix(login, request_, role):
    client = login(role)
    url = reverse("measures:partnership_answer", args=[request_.pk])
    get_status, post_status = ANSWER[role]
    response = client.get(url)
    assert response.status_code == get_status
    if get_status == 302:
        assert response["Location"].startswith(reverse("login"))
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == post_status
    request_.refresh_from_db()
    expected = PartnershipState.CONFIRMED if role == "partner_editor" else "requested"
    assert request_.state == expected


def test_samtgemeinde_editor_answers_for_its_member(login, district, request_, people):
    gartow_editor = UserFactory(username="gartow")
    MembershipFactory(user=gartow_editor, municipality=district["gartow"], role=Role.EDITOR)
    client = login("anonymous")
    client.force_login(gartow_editor)
    url = reverse("measures:partnership_answer", args=[request_.pk])
    assert client.post(url, {"action": "confirm"}).status_code == 302
    request_.refresh_from_db()
    assert request_.state == PartnershipState.CONFIRMED and request_.decided_by == gartow_editor


def test_decline_needs_a_reason_and_keeps_what_was_typed(login, request_):
    client = login("partner_editor")
    url = reverse("measures:partnership_answer", args=[request_.pk])
    response = client.post(url, {"action": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Bitte begründen Sie die Ablehnung" in response.content.decode()
    request_.refresh_from_db()
    assert request_.state == PartnershipState.REQUESTED
    response = client.post(url, {"action": "decline", "reason": "Kein Budget 2027."})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.state == PartnershipState.DECLINED
    assert request_.decline_reason == "Kein Budget 2027."
    # The reason is in the measure's thread and shown to the lead.
    assert ReviewComment.objects.filter(measure=request_.measure, text__contains="Kein Budget")
    page = login("lead_editor").get(request_.measure.get_absolute_url()).content.decode()
    assert "Kein Budget 2027." in page and "abgelehnt" in page


def test_an_answered_request_cannot_be_answered_again(login, request_):
    client = login("partner_editor")
    url = reverse("measures:partnership_answer", args=[request_.pk])
    client.post(url, {"action": "confirm"})
    response = client.post(url, {"action": "decline", "reason": "Doch nicht."})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.state == PartnershipState.CONFIRMED


def test_unknown_action_is_a_clear_error(login, request_):
    response = login("partner_editor").post(
        reverse("measures:partnership_answer", args=[request_.pk]), {"action": "vielleicht"}
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie" in response.content.decode()


def test_request_and_answer_are_sent_by_e_mail(
    login, district, people, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Dorf-App")
    data = {
        "title": measure.title,
        "summary": measure.summary,
        "description": "",
        "lead_municipality": district["hitzacker"].pk,
        "field_of_action": measure.field_of_action_id,
        "status": "planned",
        "priority": "medium",
        "version": measure.version,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-municipality": district["gorleben"].pk,
        "partners-0-cost_share_percent": "30",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login("lead_editor").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    partnership = Partnership.objects.get(measure=measure)
    assert partnership.state == PartnershipState.REQUESTED
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject.startswith("Anfrage zur Beteiligung")
    assert mail.to == [people["partner_editor"].email]
    assert "Kostenanteil von 30 %" in mail.body
    assert "http://" in mail.body or "https://" in mail.body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login("partner_editor").post(
            reverse("measures:partnership_answer", args=[partnership.pk]), {"action": "confirm"}
        )
    subjects = [m.subject for m in mailoutbox]
    assert any(s.startswith("Beteiligung bestätigt") for s in subjects)
    recipients = {a for m in mailoutbox for a in m.to}
    assert people["lead_editor"].email in recipients
    assert people["partner_editor"].email not in recipients


def test_changing_the_cost_share_asks_again(login, district, request_):
    request_.state = PartnershipState.CONFIRMED
    request_.save()
    measure = request_.measure
    data = {
        "title": measure.title,
        "summary": measure.summary,
        "description": "",
        "lead_municipality": district["hitzacker"].pk,
        "field_of_action": measure.field_of_action_id,
        "status": "planned",
        "priority": "medium",
        "version": measure.version,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "1",
        "partners-0-id": request_.pk,
        "partners-0-measure": measure.pk,
        "partners-0-municipality": district["gorleben"].pk,
        "partners-0-cost_share_percent": "40",
    }
    assert (
        login("lead_editor").post(reverse("measures:update", args=[measure.pk]), data).status_code
        == 302
    )
    request_.refresh_from_db()
    assert request_.state == PartnershipState.REQUESTED
    assert request_.cost_share_percent == Decimal("40")


def test_cost_shares_stay_at_or_under_100_percent(login, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    data = {
        "title": measure.title,
        "summary": measure.summary,
        "description": "",
        "lead_municipality": district["hitzacker"].pk,
        "field_of_action": measure.field_of_action_id,
        "status": "planned",
        "priority": "medium",
        "version": measure.version,
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-municipality": district["gorleben"].pk,
        "partners-0-cost_share_percent": "60",
        "partners-1-municipality": district["dannenberg"].pk,
        "partners-1-cost_share_percent": "50,5",
    }
    response = login("lead_editor").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "mehr als 100 % (110,5 %)" in page
    assert 'value="50,5"' in page  # nothing typed is lost
    assert not Partnership.objects.filter(measure=measure).exists()


def test_only_confirmed_partners_count_on_dashboards_and_lists(login, district, request_):
    measure = request_.measure
    gorleben = reverse("measures:dashboard", args=["gorleben"])
    gartow = reverse("measures:dashboard", args=["sg-gartow"])
    client = login("council")
    assert measure not in Measure.objects.concerning(district["gorleben"])
    assert client.get(gorleben).context["total"] == 0
    assert client.get(gartow).context["total"] == 0
    listed = client.get(reverse("measures:list"), {"municipality": "gorleben"})
    assert list(listed.context["page"].object_list) == []
    assert not Measure.objects.get(pk=measure.pk).is_joint

    request_.state = PartnershipState.CONFIRMED
    request_.save()
    assert client.get(gorleben).context["total"] == 1
    assert client.get(gartow).context["total"] == 1
    listed = client.get(reverse("measures:list"), {"municipality": "gorleben"})
    assert [m.pk for m in listed.context["page"].object_list] == [measure.pk]


def test_partner_dashboard_shows_the_request_to_its_editors(login, request_):
    page = login("partner_editor").get(reverse("measures:dashboard", args=["gorleben"]))
    assert page.context["partner_requests"] == [request_]
    assert "Anfragen zur Beteiligung" in page.content.decode()
    other = login("lead_editor").get(reverse("measures:dashboard", args=["gorleben"]))
    assert other.context["partner_requests"] == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("partner_editor", True),
        ("lead_editor", True),
        ("samtgemeinde_lead_editor", True),
        ("other_editor", False),
        ("coordinator", True),
        ("council", False),
    ],
)
def test_partner_editors_read_the_internal_measure_and_comment(login, request_, role, allowed):
    client = login(role)
    page = client.get(request_.measure.get_absolute_url())
    assert page.status_code == 200
    assert "Prüfverlauf" in page.content.decode()
    assert page.context["can_comment"] is allowed
    client.post(reverse("measures:comment", args=[request_.measure.pk]), {"text": "Frage?"})
    assert ReviewComment.objects.filter(text="Frage?").exists() is allowed


def test_declined_partner_no_longer_comments(login, request_):
    request_.state = PartnershipState.DECLINED
    request_.save()
    page = login("partner_editor").get(request_.measure.get_absolute_url())
    assert page.context["can_comment"] is False


def test_confirmation_updates_the_accepted_version(login, request_, people):
    measure = request_.measure
    transition_to(measure, ReviewState.SUBMITTED, people["lead_editor"])
    transition_to(measure, ReviewState.ACCEPTED, people["coordinator"])
    measure.refresh_from_db()
    assert measure.accepted_snapshot["partners"] == []
    login("partner_editor").post(
        reverse("measures:partnership_answer", args=[request_.pk]), {"action": "confirm"}
    )
    measure.refresh_from_db()
    assert [p["name"] for p in measure.accepted_snapshot["partners"]] == ["Gorleben"]
    assert measure.review_state == ReviewState.ACCEPTED


def test_migration_confirms_only_demo_partnerships_and_cleans_snapshots(district):
    """0004: rows from before consent stay 'angefragt'; demo ones become confirmed; accepted
    and published versions keep only confirmed partners."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("measures.migrations.0006_existing_partnerships_consent")
    real = MeasureFactory(lead_municipality=district["hitzacker"])
    demo = MeasureFactory(lead_municipality=district["hitzacker"], is_demo=True)
    for measure in (real, demo):
        Partnership.objects.create(measure=measure, municipality=district["gorleben"])
        snapshot = {"partners": [{"id": district["gorleben"].pk, "name": "Gorleben"}]}
        Measure.objects.filter(pk=measure.pk).update(
            accepted_snapshot=snapshot, public_snapshot=snapshot
        )
    migration.forwards(apps, None)
    assert Partnership.objects.get(measure=real).state == PartnershipState.REQUESTED
    assert Partnership.objects.get(measure=demo).state == PartnershipState.CONFIRMED
    real.refresh_from_db()
    demo.refresh_from_db()
    assert real.accepted_snapshot["partners"] == [] and real.public_snapshot["partners"] == []
    assert [p["name"] for p in demo.public_snapshot["partners"]] == ["Gorleben"]


def test_history_shows_request_and_answer(login, request_):
    client = login("partner_editor")
    client.post(reverse("measures:partnership_answer", args=[request_.pk]), {"action": "confirm"})
    page = client.get(reverse("measures:history", args=[request_.measure.pk])).content.decode()
    assert "Gorleben angefragt (Kostenanteil 99 %)" in page
    assert "Gorleben hat die Beteiligung bestätigt" in page

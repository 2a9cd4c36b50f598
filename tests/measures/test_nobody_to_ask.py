"""Partnership requests to a body nobody can answer for (issue 19, section 2): the measure page
and the coordinator's list of open requests say so, the coordinators are told, and the
requesting editor's confirmation says who was told (or that nobody was)."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from measures.models import Partnership, PartnershipState
from municipalities.models import Role

from ..factories import MeasureFactory, MembershipFactory, UserFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
LIST = reverse("measures:open_requests_all")
DISTRICT_DASHBOARD = reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(measure, lead, *partners):
    data = {
        "title": measure.title,
        "summary": measure.summary,
        "description": "",
        "lead_municipality": lead.pk,
        "field_of_action": measure.field_of_action_id,
        "status": "planned",
        "priority": "medium",
        "version": measure.version,
        "partners-TOTAL_FORMS": str(len(partners)),
        "partners-INITIAL_FORMS": "0",
    }
    for i, body in enumerate(partners):
        data[f"partners-{i}-municipality"] = body.pk
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_asking_a_body_nobody_acts_for_says_so_everywhere(
    users, district, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Dorf-App")
    client = _client(users["editor_own"])
    data = _form(measure, district["hitzacker"], district["gartow"], district["gorleben"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    assert Partnership.objects.filter(measure=measure).count() == 2
    text = " ".join(_messages(response))
    # Gorleben's own editor is told, by name; nobody for Samtgemeinde Gartow.
    gorleben = users["editor_other"]
    assert f"1 E-Mail wird verschickt: für Gorleben an {gorleben.get_full_name()}." in text
    assert "Niemand benachrichtigt für Samtgemeinde Gartow" in text
    assert "Die Koordinierungsstelle ist informiert." in text
    # One mail to Gorleben's editor, one to the coordinator about Gartow.
    by_subject = {m.subject: m.to for m in mailoutbox}
    assert len(mailoutbox) == 2
    assert by_subject["Anfrage erreicht niemanden: Samtgemeinde Gartow"] == [
        users["coordinator"].email
    ]
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Niemand kann derzeit für Samtgemeinde Gartow antworten" in page
    assert "die Koordination ist informiert" in page
    assert "Niemand kann derzeit für Gorleben" not in page


def test_asking_through_the_samtgemeinde_names_its_administration(
    users, district, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(lead_municipality=district["gorleben"], title="Dorf-App")
    data = _form(measure, district["gorleben"], district["dannenberg"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(users["editor_other"]).post(
            reverse("measures:update", args=[measure.pk]), data
        )
    text = " ".join(_messages(response))
    sg = users["samtgemeinde_editor"].get_full_name()
    assert f"für Dannenberg (Elbe) an {sg} (Verwaltung der Samtgemeinde Elbtalaue)" in text, text
    assert "Niemand benachrichtigt" not in text


def test_the_page_says_nothing_once_someone_can_answer(users, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    Partnership.objects.create(measure=measure, municipality=district["gartow"])
    client = _client(users["editor_own"])
    assert "Niemand kann derzeit" in client.get(measure.get_absolute_url()).content.decode()
    MembershipFactory(
        user=UserFactory(username="gartow"), municipality=district["gartow"], role=Role.EDITOR
    )
    assert "Niemand kann derzeit" not in client.get(measure.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_open_requests_list_is_the_coordinators(users, district, role):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    Partnership.objects.create(measure=measure, municipality=district["gartow"])
    response = _client(users[role]).get(LIST)
    expected = {"anonymous": 302, "coordinator": 200}.get(role, 403)
    assert response.status_code == expected


def test_open_requests_list_marks_nobody_and_links_an_invitation(
    users, district, django_assert_max_num_queries
):
    for i in range(30):
        lead = district["hitzacker"] if i % 2 else district["gorleben"]
        partner = district["gartow"] if i % 3 == 0 else district["dannenberg"]
        measure = MeasureFactory(lead_municipality=lead, title=f"Maßnahme {i:02d}")
        Partnership.objects.create(measure=measure, municipality=partner)
    answered = Partnership.objects.create(
        measure=MeasureFactory(lead_municipality=district["hitzacker"]),
        municipality=district["gorleben"],
        state=PartnershipState.CONFIRMED,
    )
    client = _client(users["coordinator"])
    client.get(LIST)  # warm up session and memberships
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    page = response.content.decode()
    assert response.context["total"] == 30 and response.context["nobody"] == 10
    assert "10 Anfragen an Kommunen, für die niemand antworten kann." in page
    invite = f"{reverse('people:invite')}?kommune={district['gartow'].pk}"
    assert invite in page
    assert answered.measure.title not in page
    only = client.get(LIST + "?niemand=1")
    assert only.context["page"].paginator.count == 10
    assert all(p.municipality_id == district["gartow"].pk for p in only.context["page"])
    dashboard = client.get(DISTRICT_DASHBOARD).content.decode()
    assert "30 offene Anfragen zur Beteiligung" in dashboard
    assert f'{LIST}?niemand=1">Diese Anfragen anzeigen' in dashboard
    # Others do not get the district's figure.
    other = _client(users["editor_own"]).get(DISTRICT_DASHBOARD).content.decode()
    assert "offene Anfragen zur Beteiligung" not in other


def test_join_confirmation_says_who_was_told(users, district, django_capture_on_commit_callbacks):
    joint = MeasureFactory(lead_municipality=district["hitzacker"], title="Gemeinsame App")
    other = MeasureFactory(lead_municipality=district["gartow"], title="Gartower App")
    client = _client(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("measures:join"),
            {"measures": f"{joint.pk},{other.pk}", "joint": joint.pk, "others": [other.pk]},
        )
    assert response.status_code == 302
    text = " ".join(_messages(response))
    assert "Es wird keine E-Mail verschickt." in text
    assert "Niemand benachrichtigt für Samtgemeinde Gartow" in text

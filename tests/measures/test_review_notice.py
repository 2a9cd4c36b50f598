"""Review steps that mail say in their confirmation how many e-mails went to whom, or that
nobody could be told (issue 19, section 2)."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from measures.models import ReviewState

from ..factories import MeasureFactory


def _post(user, measure, target, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("measures:transition", args=[measure.pk]),
            {"target": target, "comment": "Bitte Budget ergänzen.", "version": measure.version},
        )
    assert response.status_code == 302
    measure.refresh_from_db()
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_submit_and_return_say_who_is_told(
    users, district, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    text = _post(
        users["editor_own"], measure, ReviewState.SUBMITTED, django_capture_on_commit_callbacks
    )
    coordinator = users["coordinator"].get_full_name()
    assert f"1 E-Mail wird verschickt: an {coordinator} (die Koordinierungsstelle)." in text
    assert [m.to for m in mailoutbox] == [[users["coordinator"].email]]
    mailoutbox.clear()
    text = _post(
        users["coordinator"],
        measure,
        ReviewState.CHANGES_REQUESTED,
        django_capture_on_commit_callbacks,
    )
    editor = users["editor_own"].get_full_name()
    assert f"1 E-Mail wird verschickt: an {editor} (Hitzacker (Elbe))." in text
    assert [m.to for m in mailoutbox] == [[users["editor_own"].email]]


def test_a_step_nobody_can_be_told_about_says_so(
    users, district, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(
        lead_municipality=district["gartow"], review_state=ReviewState.SUBMITTED, created_by=None
    )
    text = _post(
        users["coordinator"], measure, ReviewState.ACCEPTED, django_capture_on_commit_callbacks
    )
    assert (
        "Niemand wird per E-Mail benachrichtigt: für Samtgemeinde Gartow ist niemand erreichbar."
        in text
    )
    assert mailoutbox == []

"""Two coordinators edit the same legal page or the accessibility statement at once."""

import pytest
from django.urls import reverse

from pages.models import AccessibilityStatement, LegalPage, PageKind
from tests.race import Pause, logged_in_client, postgres_only, start


def test_second_save_of_a_legal_page_is_refused_and_keeps_the_text(as_role):
    client = as_role("coordinator")
    url = reverse("pages:edit", args=["impressum"])
    assert client.post(url, {"text": "Erste Fassung", "loaded_version": ""}).status_code == 302
    page = LegalPage.objects.get(kind=PageKind.IMPRESSUM)
    token = page.updated_at.isoformat()  # both open the form now
    assert client.post(url, {"text": "Fassung A", "loaded_version": token}).status_code == 302

    second = client.post(url, {"text": "Fassung B", "loaded_version": token})

    assert second.status_code == 409
    content = second.content.decode()
    assert "Nicht gespeichert: jemand anderes hat inzwischen gespeichert." in content
    assert "Fassung B" in content
    assert second.context["conflict"]["changes"][0]["stored"] == "Fassung A"
    assert LegalPage.objects.get(kind=PageKind.IMPRESSUM).text == "Fassung A"


def test_the_first_statement_saved_twice_from_the_default_is_refused_the_second_time(as_role):
    client = as_role("coordinator")
    data = {
        "conformity": "teilweise",
        "shortcomings": "- Diagramme sind klein",
        "method": "Selbstbewertung",
        "prepared_on": "2026-01-01",
        "reviewed_on": "2026-02-01",
        "feedback_email": "barrierefrei@example.org",
        "conciliation": "Schlichtungsstelle",
        "loaded_version": "",  # both opened the default statement
    }
    url = reverse("pages:accessibility_edit")
    assert client.post(url, data).status_code == 302
    second = client.post(url, dict(data, method="Prüfung durch Dritte"))
    assert second.status_code == 409
    assert AccessibilityStatement.objects.get().method == "Selbstbewertung"


def test_the_first_version_of_a_legal_page_saved_twice_is_refused_the_second_time(as_role):
    """Both opened the default text; before, the second save ended in a unique violation."""
    client = as_role("coordinator")
    url = reverse("pages:edit", args=["impressum"])
    assert client.post(url, {"text": "Fassung A", "loaded_version": ""}).status_code == 302
    second = client.post(url, {"text": "Fassung B", "loaded_version": ""})
    assert second.status_code == 409
    assert "Fassung B" in second.content.decode()
    assert LegalPage.objects.get(kind=PageKind.IMPRESSUM).text == "Fassung A"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_versions_at_the_same_moment_give_one_page_and_one_conflict(users):
    """Neither sees a stored page; the later insert meets the unique key: 409, not 500."""
    url = reverse("pages:edit", args=["impressum"])
    responses = {}

    def save(name, text):
        def run():
            with logged_in_client(users["coordinator"]) as client:
                responses[name] = client.post(url, {"text": text, "loaded_version": ""})

        return run

    with Pause("pages.views.legal._store", "first") as pause:
        first = start(save("first", "Fassung A"), name="first")
        pause.wait_reached()  # looked for a stored page, found none, about to insert
        start(save("second", "Fassung B"), name="second").outcome()
        pause.resume()
        first.outcome()

    assert responses["second"].status_code == 302
    assert responses["first"].status_code == 409
    assert "Fassung A" in responses["first"].content.decode()  # typed input kept
    assert LegalPage.objects.get(kind=PageKind.IMPRESSUM).text == "Fassung B"

"""Two coordinators edit the same legal page or the accessibility statement at once."""

from django.urls import reverse

from pages.models import AccessibilityStatement, LegalPage, PageKind


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

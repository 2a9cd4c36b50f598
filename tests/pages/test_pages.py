"""Impressum, privacy notice, accessibility statement, Leichte Sprache, DGS (issue 8 §7)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pages.models import AccessibilityFeedback, AccessibilityStatement, LegalPage, PageKind

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
PUBLIC_PAGES = [
    "pages:impressum",
    "pages:privacy",
    "pages:easy_read",
    "pages:sign_language",
    "pages:accessibility",
    "pages:feedback",
]
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """The feedback limit counts in the cache: give every test its own."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def feedback_entry(db):
    return AccessibilityFeedback.objects.create(
        message="Der Filter ist mit der Tastatur nicht erreichbar.", email="a@example.org"
    )


def _coordinator_urls(entry):
    return [
        reverse("pages:edit", args=["impressum"]),
        reverse("pages:edit", args=["datenschutz"]),
        reverse("pages:edit", args=["leichte-sprache"]),
        reverse("pages:edit", args=["gebaerdensprache"]),
        reverse("pages:accessibility_edit"),
        reverse("pages:feedback_list"),
        reverse("pages:feedback_delete", args=[entry.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_information_pages_are_open_to_everyone(as_role, role, name):
    response = as_role(role).get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_editing_is_for_the_coordinator_only(as_role, role, feedback_entry):
    client = as_role(role)
    for url in _coordinator_urls(feedback_entry):
        get = client.get(url)
        post = client.post(url, {"text": "Übernommen?"})
        if role == "coordinator":
            assert get.status_code == 200, url
        elif role == "anonymous":
            assert get.status_code == 302 and "/accounts/login/" in get["Location"], url
            assert post.status_code == 302, url
        else:
            assert get.status_code == 403, url
            assert post.status_code == 403, url
    assert not LegalPage.objects.exists() or role == "coordinator"
    assert AccessibilityFeedback.objects.filter(pk=feedback_entry.pk).exists() or (
        role == "coordinator"
    )


def test_every_page_links_the_legal_pages_in_its_footer(client, db):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index("<footer") :]
    for name in ["pages:impressum", "pages:privacy", "pages:accessibility", "pages:easy_read"]:
        assert f'href="{reverse(name)}"' in footer
    # The home page itself points to Leichte Sprache and DGS (BITV 2.0 section 4).
    main = html[: html.index("<footer")]
    assert f'href="{reverse("pages:easy_read")}"' in main
    assert f'href="{reverse("pages:sign_language")}"' in main


def test_defaults_name_the_district_and_what_the_portal_really_does(client, db):
    impressum = client.get(reverse("pages:impressum")).content.decode()
    assert "Landkreis Lüchow-Dannenberg" in impressum
    assert "29439 Lüchow (Wendland)" in impressum
    privacy = client.get(reverse("pages:privacy")).content.decode()
    for fact in ["keine Analyse- oder Tracking-Werkzeuge", "keine Inhalte Dritter", "sessionid"]:
        assert fact in privacy
    assert "Landesbeauftragte für den Datenschutz Niedersachsen" in privacy
    # The public never sees the coordinator's "default text" note.
    assert "Standardtext" not in impressum


def test_the_coordinator_is_told_a_page_still_shows_the_default(as_role):
    html = as_role("coordinator").get(reverse("pages:impressum")).content.decode()
    assert "mitgelieferte Standardtext" in html
    assert reverse("pages:edit", args=["impressum"]) in html


def test_accessibility_statement_has_what_bitv_section_7_requires(client, db):
    html = client.get(reverse("pages:accessibility")).content.decode()
    assert "Stand der Vereinbarkeit" in html and "teilweise vereinbar" in html
    assert "Nicht barrierefreie Inhalte" in html
    assert "erstellt und zuletzt am" in html and "1. Dezember 2026" in html
    assert f'href="{reverse("pages:feedback")}"' in html
    # The Lower Saxony conciliation body, not the federal one.
    assert "§ 9 d" in html and "NBGG" in html and "Niedersachsen" in html
    assert "Behindertengleichstellungsgesetz des Bundes" not in html
    # Honest about the missing DGS video.
    assert "Video in Deutscher Gebärdensprache gibt es noch nicht" in html


def test_coordinator_edits_a_page_with_history_and_safe_markup(as_role, users):
    client = as_role("coordinator")
    url = reverse("pages:edit", args=["impressum"])
    text = (
        "## Anbieter\nLandkreis\nStraße 1\n\n<script>alert(1)</script>"
        "[Link](javascript:alert(2)) [Web](https://example.org) <img src=x onerror=alert(3)>"
    )
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    page = LegalPage.objects.get(kind=PageKind.IMPRESSUM)
    assert page.updated_by == users["coordinator"]
    html = client.get(reverse("pages:impressum")).content.decode()
    assert "<h2>Anbieter</h2>" in html
    assert "Landkreis<br" in html  # a line break stays a line break
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert 'href="https://example.org"' in html
    client.post(url, {"text": "Zweite Fassung", "loaded_version": page.updated_at.isoformat()})
    assert page.history.count() == 2
    edit_page = client.get(url).content.decode()
    shown_name = users["coordinator"].get_full_name() or users["coordinator"].username
    assert "Letzte Änderungen" in edit_page and shown_name in edit_page


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "x" * 50_001])
def test_bad_page_text_is_refused_in_german_and_stores_nothing(as_role, bad):
    response = as_role("coordinator").post(
        reverse("pages:edit", args=["datenschutz"]), {"text": bad}
    )
    assert response.status_code == 200
    assert "Bitte prüfen Sie die markierten Angaben." in response.content.decode()
    assert not LegalPage.objects.exists()


def test_unknown_page_kind_is_404_not_500(as_role):
    assert as_role("coordinator").get("/seiten/gibt-es-nicht/bearbeiten/").status_code == 404


def test_statement_edit_checks_dates_and_keeps_input(as_role):
    client = as_role("coordinator")
    data = {
        "conformity": "teilweise",
        "shortcomings": "- Diagramme sind klein",
        "method": "Selbstbewertung",
        "prepared_on": "2026-12-01",
        "reviewed_on": "2026-11-01",
        "feedback_email": "barrierefrei@example.org",
        "conciliation": "Schlichtungsstelle nach § 9 d NBGG",
    }
    refused = client.post(reverse("pages:accessibility_edit"), data)
    assert refused.status_code == 200
    assert "nicht vor der Erstellung liegen" in refused.content.decode()
    assert "Diagramme sind klein" in refused.content.decode()
    assert not AccessibilityStatement.objects.exists()
    data["reviewed_on"] = "2027-01-15"
    assert client.post(reverse("pages:accessibility_edit"), data).status_code == 302
    html = client.get(reverse("pages:accessibility")).content.decode()
    assert "15. Januar 2027" in html and "barrierefrei@example.org" in html


def test_feedback_reaches_the_coordinator_by_e_mail(
    client, users, django_capture_on_commit_callbacks
):
    users["coordinator"].email = "koordination@example.org"
    users["coordinator"].save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pages:feedback"),
            {"message": "Kontrast zu gering", "page": "/massnahmen/", "email": "b@example.org"},
        )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().message == "Kontrast zu gering"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["koordination@example.org"]
    assert sent.reply_to == ["b@example.org"]
    assert "Kontrast zu gering" in sent.body and "/massnahmen/" in sent.body


def test_feedback_goes_to_the_address_of_the_statement_when_set(
    client, users, django_capture_on_commit_callbacks
):
    AccessibilityStatement.objects.create(
        pk=1,
        shortcomings="-",
        method="-",
        prepared_on="2026-12-01",
        reviewed_on="2026-12-01",
        feedback_email="barrierefrei@example.org",
        conciliation="-",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pages:feedback"), {"message": "Bitte größere Schrift"})
    assert mail.outbox[0].to == ["barrierefrei@example.org"]
    assert mail.outbox[0].reply_to == []


def test_feedback_form_prefills_the_page_and_explains_errors(client, db):
    html = client.get(reverse("pages:feedback") + "?seite=/kommunen/").content.decode()
    assert 'value="/kommunen/"' in html
    response = client.post(reverse("pages:feedback"), {"message": "", "email": "kein-mail"})
    html = response.content.decode()
    assert "Bitte beschreiben Sie die Barriere." in html
    assert "gültige E-Mail-Adresse" in html
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_limited_per_address_and_hour(client, settings, db):
    settings.PAGES_FEEDBACK_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("pages:feedback"), {"message": "x"}).status_code == 302
    refused = client.post(reverse("pages:feedback"), {"message": "noch eine"})
    assert refused.status_code == 200
    assert "später noch einmal" in refused.content.decode()
    assert AccessibilityFeedback.objects.count() == 2


def test_deleting_feedback_asks_first(as_role, feedback_entry):
    client = as_role("coordinator")
    url = reverse("pages:feedback_delete", args=[feedback_entry.pk])
    confirm = client.get(url).content.decode()
    assert "endgültig gelöscht" in confirm and "nicht rückgängig" in confirm
    assert AccessibilityFeedback.objects.exists()
    assert client.post(url).status_code == 302
    assert not AccessibilityFeedback.objects.exists()


def test_sign_language_video_upload_is_checked_and_served(as_role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_role("coordinator")
    url = reverse("pages:edit", args=["gebaerdensprache"])
    assert client.get(reverse("pages:sign_language_video")).status_code == 404
    fake = SimpleUploadedFile("dgs.mp4", b"MZ not a video", content_type="video/mp4")
    refused = client.post(url, {"text": "Video", "video": fake})
    assert "kein MP4- oder WebM-Video" in refused.content.decode()
    wrong_suffix = SimpleUploadedFile("dgs.exe", MP4_HEAD, content_type="video/mp4")
    assert (
        "MP4 oder WebM" in client.post(url, {"text": "V", "video": wrong_suffix}).content.decode()
    )
    assert not LegalPage.objects.exists()
    video = SimpleUploadedFile("dgs.mp4", MP4_HEAD, content_type="video/mp4")
    assert client.post(url, {"text": "Das Portal in DGS.", "video": video}).status_code == 302
    page_html = client.get(reverse("pages:sign_language")).content.decode()
    assert "<video" in page_html and "gibt es noch nicht" not in page_html
    served = client.get(reverse("pages:sign_language_video"))
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    assert b"".join(served.streaming_content) == MP4_HEAD
    statement = client.get(reverse("pages:accessibility")).content.decode()
    assert "Informationen in Deutscher Gebärdensprache (Video)" in statement


def test_video_size_limit(as_role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGES_VIDEO_MAX_BYTES = 10
    video = SimpleUploadedFile("dgs.mp4", MP4_HEAD, content_type="video/mp4")
    response = as_role("coordinator").post(
        reverse("pages:edit", args=["gebaerdensprache"]), {"text": "V", "video": video}
    )
    assert "zu groß" in response.content.decode()

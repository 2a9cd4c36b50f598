import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name", ["home", "sources", "pages:accessibility", "municipalities:list", "login"]
)
def test_public_pages(as_role, role, name):
    response = as_role(role).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("editor_own", "hitzacker-elbe"),
        ("editor_other", "gorleben"),
        ("samtgemeinde_editor", "sg-elbtalaue"),
        ("coordinator", "landkreis-luechow-dannenberg"),
        ("council", "landkreis-luechow-dannenberg"),
    ],
)
def test_dashboard_redirects_to_the_users_body(as_role, role, target):
    response = as_role(role).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:dashboard", args=[target])


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_membership_gets_guidance(client, django_user_model):
    user = django_user_model.objects.create_user("neu", password="x")
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert "Noch keiner Kommune zugeordnet" in response.content.decode()


def test_login_shows_a_german_error(client, users):
    response = client.post(reverse("login"), {"username": "hitzacker", "password": "falsch"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "E-Mail-Adresse (Benutzername) oder Passwort ist falsch" in page
    assert 'for="id_username"' in page and "E-Mail-Adresse oder Benutzername" in page
    response = client.post(reverse("login"), {"username": "hitzacker", "password": "geheim-123"})
    assert response.status_code == 302


def test_municipality_list_shows_keys_and_attribution(client, district):
    html = client.get(reverse("municipalities:list")).content.decode()
    assert "033545406009" in html and "03354009" in html
    assert "© Statistisches Bundesamt (Destatis)" in html
    assert "dl-de/by-2-0" in html


def test_no_asset_is_loaded_from_another_host():
    """Data protection: every asset comes from the portal itself (no CDN). Links a reader may
    follow (``<a href>`` to a funder or a data portal) load nothing by themselves."""
    pattern = re.compile(
        r"""(?:\bsrc|\bsrcset|\bposter|\bdata|<link\b[^>]*\bhref)=["'](?:https?:)?//""",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert pattern.search('<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert pattern.search('<script src="//cdn.example/x.js"></script>')
    assert not pattern.search('<a href="https://www.govdata.de/">GovData</a>')
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_refusals_are_explained_in_german(as_role, district):
    from ..factories import MeasureFactory

    measure = MeasureFactory(lead_municipality=district["gorleben"])
    response = as_role("editor_own").get(reverse("measures:update", args=[measure.pk]))
    assert response.status_code == 403
    assert "Sie dürfen diese Maßnahme nicht bearbeiten." in response.content.decode()
    missing = as_role("editor_own").get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert "Seite nicht gefunden" in missing.content.decode()


def test_csrf_failure_page_is_german(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/massnahmen/", "Maßnahmen"),
        ("/massnahmen/kommune/landkreis-luechow-dannenberg/", "Übersicht"),
        ("/massnahmen/pruefung/", "Prüfung"),
        ("/evaluierung/", "Evaluierung"),
        ("/entwurf/", "Entwürfe"),
    ],
)
def test_navigation_marks_exactly_one_section(as_role, path, active):
    response = as_role("coordinator").get(path)
    marked = [item["label"] for item in response.context["nav_items"] if item["active"]]
    assert marked == [active]


def test_coordinator_admin_entries_are_grouped_and_marked(as_role):
    response = as_role("coordinator").get(reverse("lockout_list"))
    group = next(item for item in response.context["nav_items"] if item["label"] == "Verwaltung")
    assert [child["label"] for child in group["children"]] == ["Personen", "Anmeldesperren"]
    assert group["active"] and [c["active"] for c in group["children"]] == [False, True]
    html = response.content.decode()
    assert 'aria-expanded="false">Verwaltung</button>' in html
    assert 'href="/anmeldesperren/" aria-current="page">Anmeldesperren' in html
    editor = as_role("editor_own").get(reverse("home")).context["nav_items"]
    assert "Verwaltung" not in [item["label"] for item in editor]


def test_security_headers(client, db):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts():
    """The Content-Security-Policy allows scripts only from the portal's static files."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", path.read_text())
        or re.search(r"\son[a-z]+=\"", path.read_text())
    ]
    assert offenders == []


def test_home_shows_the_latest_draft_laid_before_the_kreistag(client, district):
    import datetime

    from django.utils import timezone

    from drafts.models import DraftState, StrategyDraft

    html = client.get(reverse("home")).content.decode()
    assert "erarbeiten die Strategie gerade" in html
    StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        state=DraftState.DECIDED,
        published_at=timezone.now(),
        decision_date=datetime.date(2026, 12, 10),
        drucksache_number="2026/123",
    )
    html = client.get(reverse("home")).content.decode()
    assert "Fassung „Interkommunale Digitalisierungsstrategie“ (Entwurf 1)" in html
    assert "Drucksache 2026/123" in html


def test_uploaded_files_are_not_served_directly(settings):
    """Draft PDFs are only served through drafts:pdf, which checks who may see them, also
    in development (DEBUG), where Django's static() helper would serve MEDIA_ROOT to all."""
    import importlib

    from django.urls import Resolver404, clear_url_caches, resolve

    import strategy_portal.urls

    settings.DEBUG = True
    importlib.reload(strategy_portal.urls)
    clear_url_caches()
    try:
        with pytest.raises(Resolver404):
            resolve("/media/entwuerfe/1/digitalisierungsstrategie-entwurf-1.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(strategy_portal.urls)
        clear_url_caches()


def test_password_reset_in_portal_german(client, users, mailoutbox):
    users["editor_own"].email = "hitzacker@example.org"
    users["editor_own"].save()
    page = client.get(reverse("password_reset")).content.decode()
    assert "Passwort vergessen" in page and 'href="#inhalt"' in page
    response = client.post(reverse("password_reset"), {"email": "hitzacker@example.org"})
    assert response.status_code == 302
    assert "E-Mail unterwegs" in client.get(response["Location"]).content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Neues Passwort für das Digitalstrategie-Portal"
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    confirm = client.get(link, follow=True)
    assert "Neues Passwort festlegen" in confirm.content.decode()
    assert "dasselbe Passwort" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Elbtalaue-2027!", "new_password2": "Elbtalaue-2027!"},
        follow=True,
    )
    assert "Passwort gespeichert" in done.content.decode()
    response = client.post(
        reverse("login"), {"username": "hitzacker", "password": "Elbtalaue-2027!"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_password_change_page(as_role):
    page = as_role("council").get(reverse("password_change")).content.decode()
    assert "Passwort ändern" in page and "Django-Systemverwaltung" not in page
    assert "dasselbe Passwort" in page and "das selbe" not in page


def test_password_reset_link_uses_the_configured_base_url(client, users, mailoutbox, settings):
    """Links in e-mails come from PORTAL_BASE_URL, never from the request's Host header."""
    settings.PORTAL_BASE_URL = "https://portal.example.org/"
    settings.ALLOWED_HOSTS = ["*"]
    users["editor_own"].email = "hitzacker@example.org"
    users["editor_own"].save()
    client.post(
        reverse("password_reset"), {"email": "hitzacker@example.org"}, HTTP_HOST="evil.example"
    )
    assert len(mailoutbox) == 1
    links = re.findall(r"https?://\S+", mailoutbox[0].body)
    assert links and all(link.startswith("https://portal.example.org/accounts/") for link in links)
    assert "evil.example" not in mailoutbox[0].body

"""One unambiguous name for every body (issue 8 §2), checked on the real district.

"Gartow" is both the Samtgemeinde and the Flecken, "Lüchow (Wendland)" both the Samtgemeinde
and the town. No page, e-mail, export or the PDF may show a body by its bare ``name`` where its
``label`` differs, no list may show two entries named the same, and the kind is never
prefixed twice ("Samtgemeinde Samtgemeinde Elbtalaue").
"""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from evaluation.models import CollectionRound, Indicator
from measures.models import Measure
from municipalities.models import Municipality

pytestmark = pytest.mark.django_db
User = get_user_model()

VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"}
TEXT_TAGS = {"option", "th", "td", "li", "a", "h1", "h2", "h3", "caption", "dd", "strong"}


class _Collector(HTMLParser):
    """Texts of elements, the options of every select, the row headers of every table."""

    def __init__(self):
        super().__init__()
        self.stack = []  # [tag, attrs, text parts]
        self.texts = []
        self.groups = []  # (kind, [texts]) per select / table
        self.open_groups = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        self.stack.append([tag, attrs, []])
        if tag in ("select", "table"):
            self.open_groups.append((tag, []))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, attrs, parts = self.stack.pop()
            text = " ".join("".join(parts).split())
            if open_tag in TEXT_TAGS:
                self.texts.append(text)
            if self.open_groups:
                kind, entries = self.open_groups[-1]
                if (kind == "select" and open_tag == "option" and attrs.get("value")) or (
                    kind == "table" and open_tag == "th" and attrs.get("scope") == "row"
                ):
                    entries.append(text)
            if open_tag in ("select", "table") and self.open_groups:
                self.groups.append(self.open_groups.pop())
            if open_tag == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element[2].append(data)


def _bare_names():
    """Names that are not the body's label, e.g. "Gartow" for "Samtgemeinde Gartow"."""
    return {m.name for m in Municipality.objects.all() if m.name != m.label}


# The kind said twice, or in a second bracket: "Gartow (Flecken) (Flecken)",
# "Dannenberg (Elbe) (Stadt)".
DOUBLED_KIND = re.compile(r"\)\s*\((Stadt|Flecken|Gemeinde|Samtgemeinde|Landkreis)\)")


def assert_unambiguous(html, where):
    assert "Samtgemeinde Samtgemeinde" not in html, where
    assert "Landkreis Landkreis" not in html, where
    doubled = DOUBLED_KIND.search(html)
    assert not doubled, (
        f"{where}: Art doppelt: {doubled and html[doubled.start() - 40 : doubled.end()]}"
    )
    collector = _Collector()
    collector.feed(html)
    bare = _bare_names()
    bodies = {n for pair in Municipality.objects.values_list("name", "label") for n in pair}
    shown_bare = sorted({text for text in collector.texts if text in bare})
    assert not shown_bare, f"{where}: Kommune ohne eindeutigen Namen: {shown_bare}"
    for kind, entries in collector.groups:
        doubled = sorted({e for e in entries if entries.count(e) > 1 and e in bodies})
        assert not doubled, f"{where}: doppelte Einträge in {kind}: {doubled}"


ROLES = [None, "hitzacker", "sg-elbtalaue", "koordination", "kreistag"]


def _pages():
    joint = Measure.objects.filter(partnerships__isnull=False).order_by("pk").first()
    indicator = Indicator.objects.order_by("pk").first()
    paths = [
        "/",
        "/dashboard/",
        "/massnahmen/",
        "/massnahmen/neu/",
        "/massnahmen/pruefung/",
        "/massnahmen/pruefung/uebersicht/",
        "/massnahmen/synergien/",
        f"/massnahmen/{joint.pk}/",
        f"/massnahmen/{joint.pk}/bearbeiten/",
        "/massnahmen/import/",
        "/kommunen/",
        "/evaluierung/",
        "/evaluierung/runden/",
        "/evaluierung/bewertungen/ueberfaellig/",
        f"/evaluierung/indikatoren/{indicator.pk}/",
        "/entwurf/",
        "/personen/",
    ]
    for body in Municipality.objects.all():
        paths.append(f"/massnahmen/kommune/{body.slug}/")
        paths.append(f"/evaluierung/kommune/{body.slug}/")
    for collection_round in CollectionRound.objects.all():
        paths.append(f"/evaluierung/runden/{collection_round.pk}/")
    return paths


@pytest.mark.parametrize("username", ROLES)
def test_pages_name_every_body_unambiguously(client, shared_demo_district, username):
    if username:
        client.force_login(User.objects.get(username=username))
    for path in _pages():
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert_unambiguous(response.content.decode(), f"{username or 'öffentlich'} {path}")


def test_bare_names_are_detected(shared_demo_district):
    """The check itself: the real district has bodies that only their label tells apart."""
    bare = _bare_names()
    assert {"Gartow", "Lüchow (Wendland)", "Lüchow-Dannenberg", "Elbtalaue"} <= bare
    with pytest.raises(AssertionError):
        assert_unambiguous("<table><tr><th scope='row'>Gartow</th></tr></table>", "Test")
    with pytest.raises(AssertionError):
        assert_unambiguous(
            "<select><option value='1'>Hitzacker (Elbe)</option>"
            "<option value='2'>Hitzacker (Elbe)</option></select>",
            "Test",
        )
    assert_unambiguous("<ul><li>Samtgemeinde Gartow</li><li>Gartow (Flecken)</li></ul>", "Test")
    for doubled in ("Gartow (Flecken) (Flecken)", "Dannenberg (Elbe) (Stadt)"):
        with pytest.raises(AssertionError, match="Art doppelt"):
            assert_unambiguous(f"<p>{doubled}</p>", "Test")


def test_label_with_kind_says_the_kind_once(shared_demo_district):
    names = {m.slug: m.label_with_kind for m in Municipality.objects.all()}
    by_label = {m.label: m.label_with_kind for m in Municipality.objects.all()}
    assert by_label["Gartow (Flecken)"] == "Gartow (Flecken)"
    assert by_label["Samtgemeinde Gartow"] == "Samtgemeinde Gartow"
    assert by_label["Dannenberg (Elbe)"] == "Dannenberg (Elbe), Stadt"
    assert by_label["Gorleben"] == "Gorleben (Gemeinde)"
    assert len(set(names.values())) == len(names)


def test_exports_name_every_body_unambiguously(client, shared_demo_district):
    client.force_login(User.objects.get(username="koordination"))
    bare = _bare_names()
    for path in ("/evaluierung/messwerte/export.csv", "/massnahmen/export/csv/"):
        response = client.get(path)
        if response.status_code != 200:
            continue
        content = b"".join(response) if response.streaming else response.content
        text = content.decode("utf-8-sig", errors="replace")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
        cells = {cell for row in csv.reader(io.StringIO(text), dialect) for cell in row}
        assert not cells & bare, f"{path}: {sorted(cells & bare)} in {text[:300]}"
        assert "Samtgemeinde Samtgemeinde" not in text


def _assert_text_unambiguous(text, where):
    assert "Samtgemeinde Samtgemeinde" not in text, where
    labels = sorted(Municipality.objects.values_list("label", flat=True), key=len, reverse=True)
    for label in labels:
        text = text.replace(label, "")
    for name in _bare_names():
        assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), (
            f"{where}: „{name}“ ohne eindeutigen Namen"
        )


def test_emails_name_every_body_unambiguously(shared_demo_district, settings):
    import datetime

    from django.utils import timezone

    from evaluation.rounds import send_reminders
    from measures.review import ReviewComment, ReviewState
    from measures.tasks import review_message

    settings.PORTAL_BASE_URL = "https://portal.example.org"
    mail.outbox = []
    today = timezone.localdate()
    CollectionRound.objects.update(closed_at=timezone.now())
    CollectionRound.objects.create(
        title="Testrunde",
        period=today - datetime.timedelta(days=40),
        deadline=today + datetime.timedelta(days=2),
    )
    send_reminders(today=today)
    assert mail.outbox, "keine Erinnerung verschickt"
    for message in mail.outbox:
        _assert_text_unambiguous(message.subject + message.body, "Erinnerung")
        assert "https://portal.example.org/" in message.body
    lead = Municipality.objects.get(slug="sg-elbtalaue")
    measure = Measure.objects.filter(lead_municipality=lead).first()
    entry = ReviewComment(measure=measure, to_state=ReviewState.SUBMITTED, text="")
    subject, body, _ = review_message(entry)
    _assert_text_unambiguous(subject + body, "Einreichung")
    assert "Samtgemeinde Elbtalaue hat" in body


def test_pdf_names_every_body_unambiguously(shared_demo_district):
    from drafts.models import StrategyDraft
    from drafts.pdf import DraftPDFGenerator
    from drafts.workflow import freeze
    from measures.review import ReviewState, transition_to

    coordinator = User.objects.get(username="koordination")
    ambiguous = [m for m in Municipality.objects.all() if m.name != m.label]
    for measure in Measure.objects.filter(lead_municipality__in=ambiguous):
        if measure.review_state == ReviewState.DRAFT:
            transition_to(measure, ReviewState.SUBMITTED, coordinator)
        if measure.review_state == ReviewState.SUBMITTED:
            transition_to(measure, ReviewState.ACCEPTED, coordinator)
    import datetime

    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        introduction="Der Kreistag hat die Kreisverwaltung beauftragt.",
        created_by=coordinator,
    )
    draft = freeze(draft, coordinator, render=False)
    html = DraftPDFGenerator(StrategyDraft.objects.get(pk=draft.pk)).get_html()
    assert "Gartow (Flecken)" in html and "Dannenberg (Elbe), Stadt" in html
    assert_unambiguous(html, "PDF")

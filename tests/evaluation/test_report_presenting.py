"""Presenting a Sachstandsbericht "zur Kenntnisnahme" (issue 22): a confirmation that states
the consequences, e-mails to the Kreistag and the bodies (once), public from then on; the
frozen report names published measures only, in their published version, without names of
people."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from evaluation import report, report_presenting
from evaluation.models import ProgressNote, ProgressReport
from measures.models import Measure, Status
from tests.factories import MeasureFactory

from .report_fixtures import at, pdf_text

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
SECRET = "Geheimprojekt Glasfaser Testweg"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built(two_years, district, users):
    """The 2026 report; meanwhile an unpublished measure is under way and the published
    portal was renamed internally (not yet reviewed)."""
    with at(datetime.date(2026, 6, 1)):
        secret = MeasureFactory(
            lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title=SECRET
        )
        ProgressNote.objects.create(
            measure=secret,
            noted_on=datetime.date(2026, 6, 1),
            status=Status.IN_PROGRESS,
            text="Ausschreibung läuft.",
            written_by=users["editor_own"],
        )
        Measure.objects.filter(pk=two_years["portal"].pk).update(
            title="Bürgerportal (neuer Arbeitstitel)"
        )
    with at(datetime.date(2027, 1, 15)):
        return report.render(
            report.build(
                "Sachstandsbericht 2026",
                datetime.date(2026, 1, 1),
                datetime.date(2026, 12, 31),
                user=users["coordinator"],
            )
        )


def test_an_unpublished_measure_is_counted_but_never_named(built, users):
    snapshot = json.dumps(built.snapshot, ensure_ascii=False)
    assert SECRET not in snapshot
    assert "neuer Arbeitstitel" not in snapshot  # the published title, not the internal one
    # As published (all three planned): WLAN's later drop is not published yet.
    assert [m["title"] for m in built.snapshot["measures"]] == ["Bürgerportal", "E-Akte", "WLAN"]
    assert built.snapshot["unlisted"] == 1
    # No person's name or address: not the author of a Sachstand, not who built the report.
    for user in users.values():
        if user is not None:
            assert user.get_full_name() not in snapshot
            assert user.email not in snapshot
            assert user.username not in snapshot
    text = pdf_text(built.pdf.path)
    assert SECRET not in text and "neuer Arbeitstitel" not in text
    assert "1 weitere aktive Maßnahme ist noch nicht veröffentlicht" in text
    assert "zählen in den Kennzahlen mit, werden aber nicht aufgeführt" in text
    # Counted in the figures all the same: three active measures, one of them unnamed.
    assert built.snapshot["status_table"][2]["now"] == 2  # in Umsetzung: portal and secret


def test_an_indicator_is_listed_by_its_published_name(built, two_years):
    [portal] = [m for m in built.snapshot["measures"] if m["title"] == "Bürgerportal"]
    assert [i["name"] for i in portal["indicators"]] == ["Anteil online gestellter Anträge"]


def test_confirmation_states_the_consequences(built, users):
    client = Client()
    client.force_login(users["coordinator"])
    page = client.get(reverse("evaluation:report_present", args=[built.pk])).content.decode()
    assert "„Sachstandsbericht 2026“ dem Kreistag zur Kenntnisnahme vorlegen?" in page
    assert "Der Bericht wird öffentlich:" in page
    assert "nur veröffentlichte Maßnahmen" in page
    assert "an 1 Mitglied des Kreistags; für die Kommunen" in page
    assert "Niemand benachrichtigt für Samtgemeinde Gartow" in page
    assert "lässt sich nicht rückgängig machen" in page
    assert "Der Kreistag erhält diesen Bericht nicht." not in page
    built.refresh_from_db()
    assert not built.is_presented  # looking is not presenting


def test_presenting_mails_council_and_bodies_once_and_publishes(
    built, users, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:report_present", args=[built.pk]))
    assert response.status_code == 302
    built.refresh_from_db()
    assert built.presented_at and built.presented_by == users["coordinator"]
    assert built.presentation_mailed_at
    by_to = {m.to[0]: m for m in mailoutbox}
    assert set(by_to) == {
        users["council"].email,
        users["editor_own"].email,
        users["editor_other"].email,
        users["samtgemeinde_editor"].email,
    }
    council = by_to[users["council"].email]
    assert council.subject == "Dem Kreistag zur Kenntnis vorgelegt: Sachstandsbericht 2026"
    assert "als Mitglied des Kreistags" in council.body
    assert reverse("evaluation:report_pdf", args=[built.pk]) in council.body
    assert "Der Bericht ist jetzt öffentlich." in council.body
    assert "Landkreis (alle Maßnahmen)" in council.body
    [text] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "4 E-Mails werden verschickt: an 1 Mitglied des Kreistags" in text
    # A redelivered task sends nothing again; presenting twice is refused.
    assert report_presenting.send_presented(built.pk) == 0
    assert len(mailoutbox) == 4
    again = client.post(reverse("evaluation:report_present", args=[built.pk]))
    assert again.status_code == 302
    assert ProgressReport.objects.get(pk=built.pk).presented_at == built.presented_at
    # The PDF is anyone's now, and the public list names it.
    anonymous = Client()
    pdf = anonymous.get(reverse("evaluation:report_pdf", args=[built.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    public = anonymous.get(reverse("evaluation:reports")).content.decode()
    assert "Sachstandsbericht 2026" in public
    assert "dem Kreistag am " in public


def test_a_bodys_report_tells_that_body_only(two_years, district, users, mailoutbox):
    with at(datetime.date(2027, 1, 15)):
        body_report = report.render(
            report.build(
                "Sachstand Elbtalaue",
                datetime.date(2026, 1, 1),
                datetime.date(2026, 12, 31),
                body=district["elbtalaue"],
            )
        )
    plan = report_presenting.presentation_plan(body_report)
    assert {n.body.pk for n in plan.report.bodies} == {
        district["elbtalaue"].pk,
        district["dannenberg"].pk,
        district["hitzacker"].pk,
    }
    # Laid before the Samtgemeinderat, not the Kreistag: its members are not e-mailed, and the
    # confirmation does not mention them.
    assert plan.council == [] and "Kreistag" not in plan.text()
    assert plan.text().startswith("2 E-Mails werden verschickt: für die Kommunen an ")
    report_presenting.present(body_report, users["coordinator"])
    report_presenting.send_presented(body_report.pk)
    assert {m.to[0] for m in mailoutbox} == {
        users["editor_own"].email,
        users["samtgemeinde_editor"].email,
    }
    council = "Samtgemeinderat der Samtgemeinde Elbtalaue"
    for mail in mailoutbox:
        assert mail.subject == f"Dem {council} zur Kenntnis vorgelegt: Sachstand Elbtalaue"
        assert f"hat dem {council} den Sachstandsbericht „Sachstand Elbtalaue“" in mail.body
        assert "Kreistag" not in mail.body.replace("Landkreis", "")


def _body_report(body, title="Sachstand Elbtalaue"):
    with at(datetime.date(2027, 1, 15)):
        return report.render(
            report.build(title, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), body=body)
        )


def test_a_bodys_report_is_presented_to_its_own_council(
    two_years, district, users, mailoutbox, django_capture_on_commit_callbacks
):
    body_report = _body_report(district["elbtalaue"])
    council = "Samtgemeinderat der Samtgemeinde Elbtalaue"
    client = Client()
    client.force_login(users["coordinator"])
    url = reverse("evaluation:report_present", args=[body_report.pk])
    listing = client.get(reverse("evaluation:reports")).content.decode()
    assert f"Dem {council} vorlegen" in listing
    page = client.get(url).content.decode()
    assert f"„Sachstand Elbtalaue“ dem {council} zur Kenntnisnahme vorlegen?" in page
    assert f"Jetzt dem {council} vorlegen" in page
    assert "Mitglied des Kreistags" not in page
    assert "Der Kreistag erhält diesen Bericht nicht." in page
    assert f"Die Mitglieder des {council} haben im Portal kein Konto" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    [text] = [str(m) for m in get_messages(response.wsgi_request)]
    assert text.startswith(
        f"Der Sachstandsbericht „Sachstand Elbtalaue“ wurde dem {council} zur Kenntnisnahme "
        "vorgelegt und ist öffentlich abrufbar. 2 E-Mails werden verschickt: für die Kommunen an "
    )
    assert users["council"].email not in {m.to[0] for m in mailoutbox}
    # Twice is refused, naming the same council.
    again = client.get(url, follow=True)
    assert f"Dieser Bericht wurde dem {council} bereits vorgelegt." in again.content.decode()
    # The public list says to whom each report went.
    public = Client().get(reverse("evaluation:reports")).content.decode()
    assert f"dem {council} am" in public
    internal = client.get(reverse("evaluation:reports")).content.decode()
    assert f"dem {council} am " in internal and " vorgelegt (öffentlich)" in internal


@pytest.mark.parametrize(
    ("key", "council"),
    [
        ("district", "Kreistag"),
        ("elbtalaue", "Samtgemeinderat der Samtgemeinde Elbtalaue"),
        ("hitzacker", "Rat der Stadt Hitzacker (Elbe)"),
    ],
)
def test_each_report_names_the_council_it_goes_to(two_years, district, key, council):
    body = None if key == "district" else district[key]
    assert _body_report(body, title=f"Bericht {key}").council_label == council


def test_no_pdf_yet_is_refused_in_german(two_years, users):
    frozen = report.build("Ohne PDF", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post(reverse("evaluation:report_present", args=[frozen.pk]))
    assert response.status_code == 400
    assert "Bitte warten Sie, bis das PDF des Berichts erzeugt ist." in response.content.decode()
    assert not ProgressReport.objects.get(pk=frozen.pk).is_presented


def test_unknown_report_is_404(users):
    client = Client()
    client.force_login(users["coordinator"])
    assert client.get(reverse("evaluation:report_present", args=[999])).status_code == 404
    assert client.get(reverse("evaluation:report_pdf", args=[999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, role, built, users, django_assert_max_num_queries):
    client = as_role(role)
    internal = role in ("coordinator", "council")
    # Before presenting: the administration and the Kreistag only.
    listing = client.get(reverse("evaluation:reports"))
    assert listing.status_code == 200
    assert ("Sachstandsbericht 2026" in listing.content.decode()) is internal
    pdf = client.get(reverse("evaluation:report_pdf", args=[built.pk]))
    expected = 200 if internal else 302 if role == "anonymous" else 403
    assert pdf.status_code == expected
    present_url = reverse("evaluation:report_present", args=[built.pk])
    confirm = client.get(present_url)
    expected = 200 if role == "coordinator" else 302 if role == "anonymous" else 403
    assert confirm.status_code == expected
    if role != "coordinator":
        assert client.post(present_url).status_code in (302, 403)
        assert not ProgressReport.objects.get(pk=built.pk).is_presented
        if role != "anonymous":
            assert client.post(present_url).status_code == 403
    # Presented: public, the list and the PDF for everyone.
    report_presenting.present(built, users["coordinator"])
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("evaluation:reports"))
    assert "Sachstandsbericht 2026" in listing.content.decode()
    pdf = client.get(reverse("evaluation:report_pdf", args=[built.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Nobody presents it twice (the coordinator is sent back to the list with a message).
    again = client.get(present_url)
    assert again.status_code == (302 if role in ("coordinator", "anonymous") else 403)


def test_the_public_list_keeps_its_query_count(client, built, users, django_assert_max_num_queries):
    report_presenting.present(built, users["coordinator"])
    url = reverse("evaluation:reports")
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for n in range(3):
        with at(datetime.date(2027, 1, 16 + n)):
            more = report.render(
                report.build(
                    f"Bericht {n}",
                    datetime.date(2026, 1, 1),
                    datetime.date(2026, 12, 31),
                    body=users["editor_own"].memberships.get().municipality,
                )
            )
        report_presenting.present(more, users["coordinator"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Hitzacker (Elbe), Stadt") == 3  # each body's report names the body


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_a_bodys_report(as_role, role, two_years, district, users):
    """Only the coordinator lays a body's report before its council; the body's own editors
    (and the Samtgemeinde's) cannot, and until then nobody outside the administration and the
    Kreistag reads it."""
    body_report = _body_report(district["elbtalaue"])
    client = as_role(role)
    internal = role in ("coordinator", "council")
    listing = client.get(reverse("evaluation:reports")).content.decode()
    assert ("Sachstand Elbtalaue" in listing) is internal
    assert ("Dem Samtgemeinderat der Samtgemeinde Elbtalaue vorlegen" in listing) is (
        role == "coordinator"
    )
    url = reverse("evaluation:report_present", args=[body_report.pk])
    expected = 200 if role == "coordinator" else 302 if role == "anonymous" else 403
    assert client.get(url).status_code == expected
    if role == "coordinator":
        assert client.post(url).status_code == 302
        assert ProgressReport.objects.get(pk=body_report.pk).is_presented
    else:
        assert client.post(url).status_code in (302, 403)
        assert not ProgressReport.objects.get(pk=body_report.pk).is_presented

"""A presented Sachstandsbericht is an OParl 1.1 Paper (a Mitteilungsvorlage) with its PDF as
File: the district's report in the district's paper list, a body's report in that body's,
valid against the shipped schemas."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from evaluation import report, report_presenting
from evaluation.models import ProgressReport
from tests.drafts.test_oparl import validate

from .report_fixtures import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _report(title, users, body=None, presented=True):
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build(title, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), body=body)
        )
    if presented:
        with at(datetime.date(2027, 2, 3)):
            report_presenting.present(built, users["coordinator"])
    return ProgressReport.objects.get(pk=built.pk)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_a_presented_report_is_a_paper_of_the_district(client, two_years, users, district):
    presented = _report("Sachstandsbericht 2026", users)
    _report("Noch intern", users, presented=False)
    body = _get(client, reverse("drafts:oparl_body", args=[district["district"].slug]))
    papers = _get(client, body["paper"])["data"]
    assert [p["name"] for p in papers] == ["Sachstandsbericht: Sachstandsbericht 2026"]
    [paper] = papers
    validate(paper, "Paper")
    validate(paper["mainFile"], "File")
    assert paper["body"] == body["id"]
    assert paper["paperType"] == "Mitteilungsvorlage"
    assert paper["date"] == "2027-02-03"  # the day it was presented
    assert paper["digitalstrategie:periodEnd"] == "2026-12-31"
    assert _get(client, paper["id"]) == paper
    file = _get(client, paper["mainFile"]["id"])
    assert file == paper["mainFile"]
    assert file["paper"] == [paper["id"]]
    content = presented.pdf.open("rb").read()
    assert file["size"] == len(content)
    assert file["sha512Checksum"] == hashlib.sha512(content).hexdigest()
    download = client.get(file["downloadUrl"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == content
    assert client.get(file["accessUrl"])["Content-Disposition"].startswith("inline")


def test_a_bodys_report_is_a_paper_of_that_body(client, two_years, users, district):
    presented = _report("Sachstand 2026", users, body=district["elbtalaue"])
    _report("Sachstand Hitzacker intern", users, body=district["hitzacker"], presented=False)
    paper = _get(client, reverse("evaluation:oparl_report_paper", args=[presented.pk]))
    validate(paper, "Paper")
    validate(paper["mainFile"], "File")
    assert paper["name"] == "Sachstandsbericht Samtgemeinde Elbtalaue: Sachstand 2026"
    assert paper["paperType"] == "Mitteilungsvorlage"
    # Laid before the Samtgemeinderat: a Paper of the Samtgemeinde, in its paper list.
    body = _get(client, reverse("drafts:oparl_body", args=[district["elbtalaue"].slug]))
    assert paper["body"] == body["id"]
    assert _get(client, body["paper"])["data"] == [paper]
    # Not in the district's list, nor in another body's (a member's, another Samtgemeinde's).
    for key in ("district", "hitzacker", "gartow"):
        other = _get(client, reverse("drafts:oparl_paper_list", args=[district[key].slug]))
        assert other["data"] == [], key


def test_a_bodys_paper_list_keeps_its_query_count(
    client, two_years, users, district, django_assert_max_num_queries
):
    url = reverse("drafts:oparl_paper_list", args=[district["elbtalaue"].slug])
    _report("Bericht 1", users, body=district["elbtalaue"])
    with django_assert_max_num_queries(8) as one:
        client.get(url)
    for n in (2, 3, 4):
        _report(f"Bericht {n}", users, body=district["elbtalaue"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        papers = _get(client, url)["data"]
    assert [p["name"] for p in papers] == [
        f"Sachstandsbericht Samtgemeinde Elbtalaue: Bericht {n}" for n in (1, 2, 3, 4)
    ]
    for paper in papers:
        validate(paper, "Paper")


def test_a_report_not_presented_is_not_served(client, two_years, users):
    internal = _report("Noch intern", users, presented=False)
    for name in ("evaluation:oparl_report_paper", "evaluation:oparl_report_file"):
        assert client.get(reverse(name, args=[internal.pk])).status_code == 404
        assert client.get(reverse(name, args=[999])).status_code == 404


def test_the_district_paper_list_keeps_its_query_count(
    client, two_years, users, district, django_assert_max_num_queries
):
    url = reverse("drafts:oparl_paper_list", args=[district["district"].slug])
    _report("Bericht 1", users)
    with django_assert_max_num_queries(6) as one:
        client.get(url)
    for n in (2, 3, 4):
        _report(f"Bericht {n}", users)
    with django_assert_max_num_queries(len(one.captured_queries)):
        papers = _get(client, url)["data"]
    assert len(papers) == 4


def test_a_report_pdf_missing_from_storage_is_a_404_in_german(client, two_years, users, district):
    presented = _report("Sachstandsbericht 2026", users)
    presented.pdf.storage.delete(presented.pdf.name)
    file_url = reverse("evaluation:oparl_report_file", args=[presented.pk])
    response = client.get(file_url)
    assert response.status_code == 404
    assert response.json()["error"].startswith("Die PDF-Datei fehlt im Speicher des Portals.")
    # The Paper and the district's paper list stay readable, without the lost file.
    paper = _get(client, reverse("evaluation:oparl_report_paper", args=[presented.pk]))
    validate(paper, "Paper")
    assert "mainFile" not in paper
    body = _get(client, reverse("drafts:oparl_body", args=[district["district"].slug]))
    assert [p["id"] for p in _get(client, body["paper"])["data"]] == [paper["id"]]
    for query in ("", "?download=1"):
        page = client.get(reverse("evaluation:report_pdf", args=[presented.pk]) + query)
        assert page.status_code == 404
        html = page.content.decode()
        assert "<h1>PDF-Datei nicht verfügbar</h1>" in html
        assert "Die PDF-Datei fehlt im Speicher des Portals." in html

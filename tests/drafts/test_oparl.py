"""OParl 1.1: System -> Body (Landkreis) -> Organizations and Papers, valid against the
specification's JSON schemas (shipped in drafts/oparl_schema) and linked both ways."""

import datetime
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

import drafts
from drafts.models import DraftState, RenderState, StrategyDraft

SCHEMAS = Path(drafts.__file__).parent / "oparl_schema"


def validate(obj, name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    ).validate(obj)


def _draft(users, state, label):
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label=label,
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
        state=state,
        frozen_at=timezone.now(),
        published_at=timezone.now() if state == DraftState.PUBLISHED else None,
    )
    content = b"%PDF-1.7\n% Test\n"
    draft.pdf.save(draft.pdf_filename, ContentFile(content), save=False)
    draft.pdf_sha256 = hashlib.sha256(content).hexdigest()
    draft.pdf_size = len(content)
    draft.rendered_at = timezone.now()
    draft.render_state = RenderState.READY
    draft.save()
    return draft


@pytest.fixture
def oparl_drafts(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        "published": _draft(users, DraftState.PUBLISHED, "Entwurf 1"),
        "frozen": _draft(users, DraftState.FROZEN, "Entwurf 2"),
    }


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_whole_system_is_valid_and_linked(client, district, oparl_drafts):
    system = _get(client, reverse("drafts:oparl_system"))
    validate(system, "System")
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["id"] == "http://testserver/entwurf/oparl/"

    bodies = _get(client, system["body"])
    # The district first, then its Samtgemeinden, towns and Gemeinden (their Vorlagen).
    assert bodies["pagination"]["totalElements"] == len(district)
    listed_body = bodies["data"][0]
    validate(listed_body, "Body")
    body = _get(client, listed_body["id"])
    assert body == listed_body
    assert body["system"] == system["id"]
    assert body["name"] == "Landkreis Lüchow-Dannenberg"
    assert body["ags"] == "03354000" and body["rgs"] == "033540000000"
    assert body["legislativeTerm"] == []

    organizations = _get(client, body["organization"])["data"]
    assert [o["shortName"] for o in organizations] == ["Kreistag", "Kreisausschuss"]
    for organization in organizations:
        validate(organization, "Organization")
        assert organization["body"] == body["id"]
        assert _get(client, organization["id"]) == organization

    papers = _get(client, body["paper"])["data"]
    assert [p["name"] for p in papers] == ["Interkommunale Digitalisierungsstrategie (Entwurf 1)"]
    for paper in papers:
        validate(paper, "Paper")
        validate(paper["mainFile"], "File")
        assert paper["body"] == body["id"]
        assert _get(client, paper["id"]) == paper
        assert _get(client, paper["mainFile"]["id"]) == paper["mainFile"]

    # No persons (personal data) and no meetings: valid, empty external lists.
    for key in ("person", "meeting"):
        listed = _get(client, body[key])
        assert listed["data"] == [] and listed["pagination"]["totalElements"] == 0


@pytest.mark.parametrize(
    "name",
    ["oparl_body", "oparl_organization_list", "oparl_person_list", "oparl_paper_list"],
)
def test_unknown_body_is_404(client, district, name):
    assert client.get(reverse(f"drafts:{name}", args=["gibt-es-nicht"])).status_code == 404


def test_unknown_organization_is_404(client, district):
    assert client.get(reverse("drafts:oparl_organization", args=["rat"])).status_code == 404


def test_system_without_district_is_404(client, db):
    assert client.get(reverse("drafts:oparl_system")).status_code == 404


@pytest.mark.parametrize(
    "name", ["System", "Body", "Organization", "Paper", "File", "Consultation"]
)
def test_shipped_schemas_are_the_specification_s(name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    assert schema["title"] == name
    pattern = schema["properties"]["type"]["pattern"]
    assert "1\\.1" in pattern and name in pattern
    jsonschema.Draft7Validator.check_schema(schema)


def test_a_wrong_object_fails_the_schema(client, district):
    body = _get(client, reverse("drafts:oparl_body", args=[district["district"].slug]))
    del body["paper"]
    with pytest.raises(jsonschema.ValidationError):
        validate(body, "Body")


def test_a_draft_pdf_missing_from_storage_is_a_404_in_german(client, district, oparl_drafts):
    published = oparl_drafts["published"]
    published.pdf.storage.delete(published.pdf.name)
    response = client.get(reverse("drafts:oparl_file", args=[published.pk]))
    assert response.status_code == 404
    assert response.json()["error"].startswith("Die PDF-Datei fehlt im Speicher des Portals.")
    # The Paper and the district's paper list stay readable, without the lost file.
    paper = _get(client, reverse("drafts:oparl_paper", args=[published.pk]))
    validate(paper, "Paper")
    assert "mainFile" not in paper
    body = _get(client, reverse("drafts:oparl_body", args=[district["district"].slug]))
    assert [p["id"] for p in _get(client, body["paper"])["data"]] == [paper["id"]]
    for query in ("", "?download=1"):
        page = client.get(reverse("drafts:pdf", args=[published.pk]) + query)
        assert page.status_code == 404
        html = page.content.decode()
        assert "<h1>PDF-Datei nicht verfügbar</h1>" in html
        assert "Die PDF-Datei fehlt im Speicher des Portals." in html

"""The DCAT-AP.de catalogue, parsed with rdflib and checked for the mandatory properties."""

import io
import zipfile

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
SPATIAL = URIRef("http://dcat-ap.de/def/politicalGeocoding/regionalKey/033540000000")

# DCAT-AP.de 2.0, mandatory ("Pflicht") properties per class.
MANDATORY = {
    DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset],
    DCAT.Dataset: [DCTERMS.title, DCTERMS.description, DCATDE.contributorID],
    DCAT.Distribution: [DCAT.accessURL, DCTERMS.license],
    FOAF.Agent: [FOAF.name],
}


def _graph(client, url, fmt):
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format=fmt)
    return response, graph


@pytest.fixture(
    params=[("/opendata/catalog.ttl", "turtle"), ("/opendata/catalog.jsonld", "json-ld")]
)
def catalogue(request, client, data, drafts):
    url, fmt = request.param
    response, graph = _graph(client, url, fmt)
    return response, graph


def test_content_types(client, data):
    assert client.get("/opendata/catalog.ttl")["Content-Type"].startswith("text/turtle")
    assert client.get("/opendata/catalog.jsonld")["Content-Type"].startswith("application/ld+json")


def test_mandatory_properties(catalogue):
    _, graph = catalogue
    for cls, properties in MANDATORY.items():
        subjects = set(graph.subjects(RDF.type, cls))
        assert subjects, f"keine Instanz von {cls}"
        for subject in subjects:
            for prop in properties:
                assert graph.value(subject, prop) is not None, f"{subject} ohne {prop}"


def test_publisher_licence_spatial_and_dates(catalogue):
    _, graph = catalogue
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Landkreis Lüchow-Dannenberg"
    assert graph.value(catalog, DCTERMS.spatial) == SPATIAL
    dataset_dates = [
        graph.value(d, DCTERMS.modified).toPython() for d in graph.subjects(RDF.type, DCAT.Dataset)
    ]
    assert graph.value(catalog, DCTERMS.modified).toPython() == max(dataset_dates)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert graph.value(dataset, DCTERMS.publisher) == publisher
        assert graph.value(dataset, DCTERMS.spatial) == SPATIAL
        assert graph.value(dataset, DCATDE.politicalGeocodingURI) == SPATIAL
        assert graph.value(dataset, DCTERMS.modified) is not None
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        assert graph.value(distribution, DCTERMS.license) == LICENCE
        assert graph.value(distribution, DCATDE.licenseAttributionByText) is not None
        assert graph.value(distribution, DCAT.mediaType) is not None
        assert graph.value(distribution, DCTERMS.format) is not None


def test_measures_series_and_published_pdfs_only(catalogue, drafts, client):
    _, graph = catalogue
    media = {
        str(graph.value(d, DCAT.accessURL)): str(graph.value(d, DCAT.mediaType))
        for d in graph.subjects(RDF.type, DCAT.Distribution)
    }
    urls = set(media)
    assert any(u.endswith("/api/v1/measures/") for u in urls)
    assert any(u.endswith("/evaluierung/messwerte/export.csv") for u in urls)
    assert any(u.endswith("/api/v1/indicators/") for u in urls)
    pdfs = {u for u, m in media.items() if m.endswith("application/pdf")}
    assert pdfs == {f"http://testserver/entwurf/{drafts['published'].pk}/pdf/"}
    # Every distribution can be fetched without login, with the media type it claims.
    for url, media_type in media.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(media_type.rsplit("media-types/", 1)[1])


def test_pdf_distribution_has_size_and_checksum(catalogue, drafts):
    _, graph = catalogue
    draft = drafts["published"]
    (pdf,) = [
        d
        for d in graph.subjects(RDF.type, DCAT.Distribution)
        if str(graph.value(d, DCAT.mediaType)).endswith("application/pdf")
    ]
    assert int(graph.value(pdf, DCAT.byteSize)) == draft.pdf_size
    spdx = Namespace("http://spdx.org/rdf/terms#")
    checksum = graph.value(pdf, spdx.checksum)
    assert str(graph.value(checksum, spdx.checksumValue)) == draft.pdf_sha256


def test_constant_queries(client, data, drafts, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/opendata/catalog.ttl").status_code == 200


def test_catalogue_of_a_portal_without_published_data(client, district):
    _, graph = _graph(client, "/opendata/catalog.ttl", "turtle")
    for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution):
        for subject in graph.subjects(RDF.type, cls):
            for prop in MANDATORY[cls]:
                assert graph.value(subject, prop) is not None
    assert not [
        d
        for d in graph.subjects(RDF.type, DCAT.Distribution)
        if str(graph.value(d, DCAT.mediaType)).endswith("pdf")
    ]


def test_the_measures_dataset_names_its_money_fields(catalogue):
    _, graph = catalogue
    descriptions = [
        str(graph.value(d, DCTERMS.description)) for d in graph.subjects(RDF.type, DCAT.Dataset)
    ]
    measures = next(d for d in descriptions if d.startswith("Die Maßnahmen"))
    assert "Kostenplan je Haushaltsjahr" in measures and "Förderungen" in measures
    keywords = {str(k) for k in graph.objects(None, DCAT.keyword)}
    assert {"Haushalt", "Förderung"} <= keywords


def test_the_measures_file_distributions_name_the_cost_plan_and_funding(catalogue, client):
    _, graph = catalogue
    by_format = {
        str(graph.value(d, DCTERMS.format)).rsplit("/", 1)[-1]: d
        for d in graph.subjects(RDF.type, DCAT.Distribution)
        if str(graph.value(d, DCTERMS.title)).startswith("Maßnahmen als")
    }
    xlsx, archive = by_format["XLSX"], by_format["ZIP"]
    assert "„Kostenplan“" in str(graph.value(xlsx, DCTERMS.description))
    assert "„Förderung“" in str(graph.value(xlsx, DCTERMS.description))
    assert "Kostenplan je Haushaltsjahr" in str(graph.value(archive, DCTERMS.description))
    assert "Förderungen" in str(graph.value(by_format["JSON"], DCTERMS.description))
    # The public can download them: the published measures with their plan and funding.
    response = client.get(str(graph.value(archive, DCAT.downloadURL)))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as files:
        names = files.namelist()
    assert any(n.endswith("_kostenplan.csv") for n in names)
    assert any(n.endswith("_foerderung.csv") for n in names)
    response = client.get(str(graph.value(xlsx, DCAT.downloadURL)))
    assert response.status_code == 200

"""Open-data catalogue of the published data in DCAT-AP.de (Turtle and JSON-LD).

Datasets: the published measures, the indicators' measurement series (CSV), and each
published strategy draft (PDF). Everything described is readable without login; nothing
internal is listed. Licence: Datenlizenz Deutschland – Namensnennung 2.0.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from drafts.permissions import visible_drafts
from evaluation.models import Measurement
from measures.models import Measure
from municipalities.models import Municipality, MunicipalityKind

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
THEME_GOVERNMENT = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
LANGUAGE_DE = URIRef("http://publications.europa.eu/resource/authority/language/DEU")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"


class _Catalogue:
    def __init__(self, request):
        self.request = request
        self.graph = Graph()
        for prefix, namespace in (
            ("dcat", DCAT),
            ("dct", DCTERMS),
            ("foaf", FOAF),
            ("dcatde", DCATDE),
            ("vcard", VCARD),
            ("spdx", SPDX),
        ):
            self.graph.bind(prefix, namespace)
        self.district = Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).first()
        self.modified = []

    def url(self, name, *args, query=""):
        return URIRef(self.request.build_absolute_uri(reverse(name, args=args)) + query)

    def add(self, subject, predicate, obj):
        self.graph.add((subject, predicate, obj))

    def build(self):
        catalogue = URIRef(self.request.build_absolute_uri("/opendata/catalog"))
        self.publisher = self.agent()
        drafts = list(
            visible_drafts(AnonymousUser()).defer("snapshot").filter(pdf__gt="").order_by("pk")
        )
        datasets = [self.measures_dataset(), self.series_dataset()]
        datasets += [self.draft_dataset(d) for d in drafts if d.has_pdf]
        self.add(catalogue, RDF.type, DCAT.Catalog)
        self.add(catalogue, DCTERMS.title, Literal("Offene Daten der Digitalstrategie", lang="de"))
        self.add(
            catalogue,
            DCTERMS.description,
            Literal(
                "Veröffentlichte Daten der interkommunalen Digitalisierungsstrategie "
                f"({settings.OPENDATA_PUBLISHER_NAME}): Maßnahmen, Messwerte der Indikatoren "
                "und die dem Kreistag vorgelegten Strategieentwürfe.",
                lang="de",
            ),
        )
        self.add(catalogue, DCTERMS.publisher, self.publisher)
        self.add(catalogue, FOAF.homepage, URIRef(self.request.build_absolute_uri("/")))
        self.add(catalogue, DCTERMS.language, LANGUAGE_DE)
        self.add(catalogue, DCTERMS.license, LICENCE)
        self.add(catalogue, DCTERMS.spatial, self.spatial())
        # The catalogue changes when one of its datasets does.
        if self.modified:
            self.add(catalogue, DCTERMS.modified, self.datetime(max(self.modified)))
        for dataset in datasets:
            self.add(catalogue, DCAT.dataset, dataset)
        return self.graph

    # --- parts ------------------------------------------------------------------------

    def agent(self):
        agent = URIRef(self.request.build_absolute_uri("/opendata/catalog#publisher"))
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, Literal(settings.OPENDATA_PUBLISHER_NAME, lang="de"))
        return agent

    def ars12(self):
        ars = self.district.ars if self.district else settings.PORTAL_DISTRICT_AGS[:5]
        return ars.ljust(12, "0")

    def spatial(self):
        return URIRef(f"{GEOCODING}regionalKey/{self.ars12()}")

    def contact(self):
        contact = BNode()
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(
            contact,
            VCARD.fn,
            Literal(f"{settings.OPENDATA_PUBLISHER_NAME}, Koordinierungsstelle Digitalisierung"),
        )
        self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPENDATA_CONTACT_EMAIL}"))
        return contact

    @staticmethod
    def datetime(value):
        return Literal(value.isoformat(), datatype=XSD.dateTime)

    def dataset(self, slug, title, description, keywords, modified):
        dataset = URIRef(self.request.build_absolute_uri(f"/opendata/catalog#{slug}"))
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, DCTERMS.identifier, Literal(str(dataset)))
        self.add(dataset, DCTERMS.title, Literal(title, lang="de"))
        self.add(dataset, DCTERMS.description, Literal(description, lang="de"))
        self.add(dataset, DCTERMS.publisher, self.publisher)
        self.add(dataset, DCATDE.contributorID, URIRef(self.contributor_id()))
        self.add(dataset, DCAT.contactPoint, self.contact())
        self.add(dataset, DCAT.theme, THEME_GOVERNMENT)
        self.add(dataset, DCTERMS.language, LANGUAGE_DE)
        self.add(dataset, DCTERMS.spatial, self.spatial())
        self.add(dataset, DCATDE.politicalGeocodingURI, self.spatial())
        self.add(
            dataset,
            DCATDE.politicalGeocodingLevelURI,
            URIRef(f"{GEOCODING}Level/administrativeDistrict"),
        )
        for keyword in keywords:
            self.add(dataset, DCAT.keyword, Literal(keyword, lang="de"))
        if modified:
            self.add(dataset, DCTERMS.modified, self.datetime(modified))
            self.modified.append(modified)
        return dataset

    def contributor_id(self):
        return settings.OPENDATA_CONTRIBUTOR_ID or self.request.build_absolute_uri("/")

    def distribution(self, dataset, key, url, media_type, file_type, title, modified=None, **extra):
        distribution = URIRef(f"{dataset}-{key}")
        self.add(dataset, DCAT.distribution, distribution)
        self.add(distribution, RDF.type, DCAT.Distribution)
        self.add(distribution, DCTERMS.title, Literal(title, lang="de"))
        self.add(distribution, DCAT.accessURL, url)
        self.add(distribution, DCAT.downloadURL, url)
        self.add(distribution, DCAT.mediaType, URIRef(MEDIA_TYPE + media_type))
        self.add(distribution, DCTERMS.format, URIRef(FILE_TYPE + file_type))
        self.add(distribution, DCTERMS.license, LICENCE)
        self.add(
            distribution,
            DCATDE.licenseAttributionByText,
            Literal(f"{settings.OPENDATA_PUBLISHER_NAME}, Digitalstrategie-Portal", lang="de"),
        )
        if modified:
            self.add(distribution, DCTERMS.modified, self.datetime(modified))
        if extra.get("description"):
            self.add(distribution, DCTERMS.description, Literal(extra["description"], lang="de"))
        if extra.get("byte_size"):
            self.add(
                distribution,
                DCAT.byteSize,
                Literal(extra["byte_size"], datatype=XSD.nonNegativeInteger),
            )
        if extra.get("sha256"):
            checksum = BNode()
            self.add(distribution, SPDX.checksum, checksum)
            self.add(checksum, RDF.type, SPDX.Checksum)
            self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            self.add(checksum, SPDX.checksumValue, Literal(extra["sha256"], datatype=XSD.hexBinary))
        return distribution

    def measures_dataset(self):
        modified = Measure.objects.filter(public_since__isnull=False).aggregate(
            last=Max("public_since")
        )["last"]
        dataset = self.dataset(
            "massnahmen",
            "Maßnahmen der interkommunalen Digitalisierungsstrategie",
            "Die Maßnahmen der dem Kreistag vorgelegten Strategieentwürfe in ihrer "
            "veröffentlichten Fassung: Handlungsfeld, federführende und beteiligte Kommunen, "
            "Umsetzungsstand, Zeitraum und Budget, Kostenplan je Haushaltsjahr (Investition, "
            "laufender Aufwand, Personal, Folgekosten; geplant und Ist), Förderungen, "
            "Pflichtaufgabe oder freiwillige Leistung.",
            ["Digitalisierung", "Maßnahmen", "Strategie", "Haushalt", "Förderung"],
            modified,
        )
        self.distribution(
            dataset,
            "json",
            self.url("api:measure-list"),
            "application/json",
            "JSON",
            "Maßnahmen als JSON (REST-API, seitenweise)",
            modified,
            description="Je Maßnahme auch der Kostenplan je Haushaltsjahr (geplant und Ist) und "
            "die Förderungen.",
        )
        # The exchange format of the portal (measures.exchange), in its published version.
        self.distribution(
            dataset,
            "xlsx",
            self.url("measures:export", "excel"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
            "Maßnahmen als Excel-Arbeitsmappe",
            modified,
            description="Blätter „Maßnahmen“, „Beteiligte“ (Kostenanteile), „Kostenplan“ (je "
            "Maßnahme und Haushaltsjahr: Investition, laufender Aufwand und Personal, geplant "
            "und Ist, Folgekosten) und „Förderung“ (Programm, Haushaltsjahr, Quote, Betrag, "
            "Stand, Fälligkeit des Verwendungsnachweises).",
        )
        self.distribution(
            dataset,
            "csv-zip",
            self.url("measures:export", "csv-paket"),
            "application/zip",
            "ZIP",
            "Maßnahmen als CSV-Dateien (Zip-Archiv)",
            modified,
            description="Vier CSV-Dateien (Semikolon, UTF-8): Maßnahmen, Beteiligte, "
            "Kostenplan je Haushaltsjahr und Förderungen, in denselben Spalten wie die "
            "Excel-Arbeitsmappe.",
        )
        return dataset

    def series_dataset(self):
        modified = Measurement.objects.filter(
            indicator__measure__public_since__isnull=False
        ).aggregate(last=Max("updated_at"))["last"]
        dataset = self.dataset(
            "messwerte",
            "Messwerte der Indikatoren",
            "Die Zeitreihen der Indikatoren veröffentlichter Maßnahmen: je Indikator und "
            "Zeitraum ein Wert, mit Ausgangs- und Zielwert.",
            ["Digitalisierung", "Indikatoren", "Evaluierung"],
            modified,
        )
        self.distribution(
            dataset,
            "csv",
            self.url("evaluation:export"),
            "text/csv",
            "CSV",
            "Messwerte als CSV (Semikolon-getrennt, UTF-8)",
            modified,
        )
        self.distribution(
            dataset,
            "json",
            self.url("api:indicator-list"),
            "application/json",
            "JSON",
            "Indikatoren mit Status und Messwerten als JSON (REST-API, seitenweise)",
            modified,
        )
        return dataset

    def draft_dataset(self, draft):
        dataset = self.dataset(
            f"entwurf-{draft.pk}",
            f"{draft.title} ({draft.version_label})",
            f"Der dem Kreistag am {draft.published_at:%d.%m.%Y} vorgelegte Strategieentwurf "
            "als barrierefreies PDF (PDF/UA-1).",
            ["Digitalisierung", "Strategie", "Kreistag"],
            draft.rendered_at,
        )
        if draft.published_at:
            self.add(dataset, DCTERMS.issued, self.datetime(draft.published_at))
        self.distribution(
            dataset,
            "pdf",
            self.url("drafts:pdf", draft.pk),
            "application/pdf",
            "PDF",
            f"{draft.title} ({draft.version_label}) als PDF",
            draft.rendered_at,
            byte_size=draft.pdf_size,
            sha256=draft.pdf_sha256,
        )
        return dataset


def build_catalogue(request):
    return _Catalogue(request).build()

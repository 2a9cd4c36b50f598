"""Source adapters against a local HTTP server serving files in the real formats."""

import datetime
import io
import time
import zipfile
from decimal import Decimal as D

import pytest
from werkzeug import Response

from evaluation.sources import SourceError, TransientSourceError, source_for
from measures.models import Status
from tests.factories import MeasureFactory

from .conftest import data_file
from .factories import IndicatorFactory

Y = datetime.date


def indicator_for(measure, url, kind, frequency="yearly", **options):
    return IndicatorFactory(
        measure=measure,
        source_kind=kind,
        source_url=url,
        frequency=frequency,
        source_options=options,
    )


# CSV


def test_csv_picks_the_rows_of_the_bodys_ags(httpserver, measure):
    httpserver.expect_request("/breitband.csv").respond_with_data(
        data_file("breitband_anteil.csv"), content_type="text/csv"
    )
    indicator = indicator_for(measure, httpserver.url_for("/breitband.csv"), "csv_url")
    assert source_for(indicator).values() == {
        Y(2023, 1, 1): D("71.5"),
        Y(2024, 1, 1): D("78.25"),
        Y(2025, 1, 1): D("84"),
    }


def test_csv_skips_empty_values_and_uses_ags_option(httpserver, measure):
    httpserver.expect_request("/breitband.csv").respond_with_data(data_file("breitband_anteil.csv"))
    indicator = indicator_for(
        measure, httpserver.url_for("/breitband.csv"), "csv_url", ags="03354004"
    )
    assert source_for(indicator).values() == {Y(2023, 1, 1): D("65"), Y(2024, 1, 1): D("70.1")}


def test_csv_semicolon_with_decimal_comma_and_monthly_periods(httpserver, measure):
    httpserver.expect_request("/antraege.csv").respond_with_data(
        data_file("antraege_monatlich.csv")
    )
    indicator = indicator_for(measure, httpserver.url_for("/antraege.csv"), "csv_url", "monthly")
    assert source_for(indicator).values() == {
        Y(2025, 1, 1): D("12"),
        Y(2025, 2, 1): D("15.5"),
        Y(2025, 3, 1): D("19"),
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"period,value\n2024,12\n2025,zwoelf\n", "Zeile 3: „zwoelf“ ist keine Zahl"),
        (b"period,value\n2024,12\nletztes Jahr,13\n", "Zeile 3: Unbekanntes Zeitraum-Format"),
        (b"period,value\n2024,12\n2024,13\n", "kommt mehrfach vor"),
        (b"jahr,wert\n2024,12\n", "braucht die Spalten"),
        (b"period,value\n2024,NaN\n", "keine endliche Zahl"),
        (b"period,value\n2024,1e30\n", "zu groß"),
        (b"\xff\xfeperiod", "nicht UTF-8"),
    ],
)
def test_csv_bad_data_is_a_clear_error(httpserver, measure, body, message):
    httpserver.expect_request("/bad.csv").respond_with_data(body)
    indicator = indicator_for(measure, httpserver.url_for("/bad.csv"), "csv_url")
    with pytest.raises(SourceError, match=message):
        source_for(indicator).values()


def test_csv_without_a_row_for_the_body(httpserver, measure):
    httpserver.expect_request("/other.csv").respond_with_data(
        b"ags,period,value\n03354007,2024,1\n"
    )
    indicator = indicator_for(measure, httpserver.url_for("/other.csv"), "csv_url")
    with pytest.raises(SourceError, match="keine Werte für den AGS 03354009"):
        source_for(indicator).values()


# HTTP failures


def test_http_404_is_a_permanent_error(httpserver, measure):
    httpserver.expect_request("/missing.csv").respond_with_data("weg", status=404)
    indicator = indicator_for(measure, httpserver.url_for("/missing.csv"), "csv_url")
    with pytest.raises(SourceError, match="HTTP-Fehler 404") as info:
        source_for(indicator).values()
    assert not isinstance(info.value, TransientSourceError)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_http_5xx_and_429_are_transient(httpserver, measure, status):
    httpserver.expect_request("/busy.csv").respond_with_data("später", status=status)
    indicator = indicator_for(measure, httpserver.url_for("/busy.csv"), "csv_url")
    with pytest.raises(TransientSourceError, match=f"HTTP-Fehler {status}"):
        source_for(indicator).values()


def test_timeout_is_transient(httpserver, measure, settings):
    settings.EVALUATION_HTTP_TIMEOUT = 0.3

    def slow(request):
        time.sleep(1)  # the server is slow, not the test waiting for something
        return Response("period,value\n2024,1\n")

    httpserver.expect_request("/slow.csv").respond_with_handler(slow)
    indicator = indicator_for(measure, httpserver.url_for("/slow.csv"), "csv_url")
    with pytest.raises(TransientSourceError, match="Zeitüberschreitung"):
        source_for(indicator).values()


def test_connection_refused_is_transient(measure):
    indicator = indicator_for(measure, "http://127.0.0.1:9/nothing.csv", "csv_url")
    with pytest.raises(TransientSourceError, match="Keine Verbindung"):
        source_for(indicator).values()


def test_oversized_response_is_refused(httpserver, measure, settings):
    settings.EVALUATION_MAX_RESPONSE_BYTES = 1000
    body = b"period,value\n" + b"".join(b"%d,1\n" % year for year in range(1900, 2200))
    httpserver.expect_request("/big.csv").respond_with_data(body)
    indicator = indicator_for(measure, httpserver.url_for("/big.csv"), "csv_url")
    with pytest.raises(SourceError, match="zu groß"):
        source_for(indicator).values()


def test_oversized_response_without_length_is_refused(httpserver, measure, settings):
    settings.EVALUATION_MAX_RESPONSE_BYTES = 1000

    def stream(request):
        return Response((b"2024,1\n" for _ in range(1000)), direct_passthrough=True)

    httpserver.expect_request("/stream.csv").respond_with_handler(stream)
    indicator = indicator_for(measure, httpserver.url_for("/stream.csv"), "csv_url")
    with pytest.raises(SourceError, match="zu groß"):
        source_for(indicator).values()


def test_only_http_urls_are_fetched(measure):
    indicator = indicator_for(measure, "file:///etc/passwd", "csv_url")
    with pytest.raises(SourceError, match="Nur http"):
        source_for(indicator).values()


def test_redirect_to_a_file_url_is_not_followed(httpserver, measure):
    httpserver.expect_request("/redirect.csv").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    indicator = indicator_for(measure, httpserver.url_for("/redirect.csv"), "csv_url")
    with pytest.raises(SourceError):
        source_for(indicator).values()


# JSON


def test_json_list_at_a_path_filtered_by_ags(httpserver, measure):
    httpserver.expect_request("/series.json").respond_with_data(
        data_file("govdata_like.json"), content_type="application/json"
    )
    indicator = indicator_for(
        measure, httpserver.url_for("/series.json"), "json_url", "quarterly", path="data.series"
    )
    assert source_for(indicator).values() == {Y(2025, 1, 1): D("120"), Y(2025, 4, 1): D("135.5")}


def test_json_top_level_list(httpserver, measure):
    httpserver.expect_request("/list.json").respond_with_json(
        [{"period": "2024", "value": 3}, {"period": "2025", "value": "4,5"}]
    )
    indicator = indicator_for(measure, httpserver.url_for("/list.json"), "json_url")
    assert source_for(indicator).values() == {Y(2024, 1, 1): D("3"), Y(2025, 1, 1): D("4.5")}


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (b"{not json", "", "Ungültiges JSON"),
        (b'{"data": []}', "items", "passt nicht"),
        (b'{"data": {"a": 1}}', "data", "keine Liste"),
        (b'[{"period": "2025", "value": "viel"}]', "", "Eintrag 1: „viel“ ist keine Zahl"),
        (b'[{"period": "2025", "value": true}]', "", "ist keine Zahl"),
        (b'[{"period": "irgendwann", "value": 1}]', "", "Unbekanntes Zeitraum-Format"),
        (b'[{"zeit": "2025", "wert": 1}]', "", "erwartet ein Objekt"),
    ],
)
def test_json_bad_data_is_a_clear_error(httpserver, measure, body, path, message):
    httpserver.expect_request("/bad.json").respond_with_data(body)
    indicator = indicator_for(measure, httpserver.url_for("/bad.json"), "json_url", path=path)
    with pytest.raises(SourceError, match=message):
        source_for(indicator).values()


# GENESIS


@pytest.fixture
def genesis_token(settings):
    settings.GENESIS_API_TOKEN = "0123456789abcdef"
    return settings.GENESIS_API_TOKEN


def test_genesis_posts_with_token_in_headers_and_reads_ffcsv(httpserver, measure, genesis_token):
    httpserver.expect_request(
        "/genesisws/rest/2020/data/tablefile",
        method="POST",
        headers={"username": genesis_token, "password": ""},
        data=(
            "name=12411-01-01-5&area=all&format=ffcsv&compress=false&regionalvariable=GEMEIN"
            "&regionalkey=03354009&language=de&startyear=2021"
        ),
    ).respond_with_data(data_file("12411-01-01-5_ffcsv.csv"), content_type="text/csv")
    indicator = indicator_for(
        measure,
        httpserver.url_for("/genesisws/rest/2020/"),
        "genesis",
        table="12411-01-01-5",
        startyear=2021,
    )
    assert source_for(indicator).values() == {
        Y(2021, 1, 1): D("4911"),
        Y(2022, 1, 1): D("4987"),
        Y(2023, 1, 1): D("5012"),
    }
    assert "0123456789abcdef" not in str(indicator.source_options)


def test_genesis_skips_quality_markers(httpserver, measure, genesis_token):
    httpserver.expect_request("/rest/data/tablefile", method="POST").respond_with_data(
        data_file("12411-01-01-5_ffcsv.csv")
    )
    indicator = indicator_for(
        measure, httpserver.url_for("/rest/"), "genesis", table="12411-01-01-5", ags="03354004"
    )
    # 2023 is "-" (no value) for Dannenberg.
    assert source_for(indicator).values() == {Y(2021, 1, 1): D("7934"), Y(2022, 1, 1): D("8012")}


def test_genesis_zipped_table(httpserver, measure, genesis_token):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("12411-01-01-5_flat.csv", data_file("12411-01-01-5_ffcsv.csv"))
    httpserver.expect_request("/rest/data/tablefile", method="POST").respond_with_data(
        buffer.getvalue(), content_type="application/zip"
    )
    indicator = indicator_for(measure, httpserver.url_for("/rest/"), "genesis", table="12411")
    assert len(source_for(indicator).values()) == 3


def test_genesis_api_error_message(httpserver, measure, genesis_token):
    httpserver.expect_request("/rest/data/tablefile", method="POST").respond_with_json(
        {
            "Status": {
                "Code": 104,
                "Content": "Es gibt keine Objekte zum angegebenen Selektionskriterium.",
            }
        }
    )
    indicator = indicator_for(measure, httpserver.url_for("/rest/"), "genesis", table="99999")
    with pytest.raises(SourceError, match="GENESIS meldet: Es gibt keine Objekte"):
        source_for(indicator).values()


def test_genesis_without_token_is_an_error(measure, settings):
    settings.GENESIS_API_TOKEN = ""
    indicator = indicator_for(measure, "http://127.0.0.1:9/", "genesis", table="12411-01-01-5")
    with pytest.raises(SourceError, match="GENESIS_API_TOKEN"):
        source_for(indicator).values()


def test_genesis_for_a_body_without_ags(district, fields_of_action, genesis_token):
    measure = MeasureFactory(lead_municipality=district["elbtalaue"])
    indicator = indicator_for(measure, "http://127.0.0.1:9/", "genesis", table="12411-01-01-5")
    with pytest.raises(SourceError, match="keinen AGS"):
        source_for(indicator).values()


# Portal


def test_portal_share_of_completed_measures(measure, district):
    MeasureFactory(lead_municipality=district["hitzacker"], status=Status.COMPLETED)
    MeasureFactory(lead_municipality=district["hitzacker"], status=Status.DROPPED)
    MeasureFactory(lead_municipality=district["gorleben"], status=Status.COMPLETED)
    indicator = indicator_for(measure, "", "portal", metric="share_completed")
    values = source_for(indicator).values()
    assert list(values.values()) == [D("50")]
    assert list(values)[0].month == 1 and list(values)[0].day == 1


def test_manual_source_gathers_nothing(measure):
    assert source_for(indicator_for(measure, "", "manual")).values() == {}


def test_unreadable_csv_is_a_clear_error(httpserver, measure):
    body = b"period,value\n2024," + b"1" * 200_000 + b"\n"
    httpserver.expect_request("/huge-field.csv").respond_with_data(body)
    indicator = indicator_for(measure, httpserver.url_for("/huge-field.csv"), "csv_url")
    with pytest.raises(SourceError, match="nicht lesbar"):
        source_for(indicator).values()


def test_zip_bomb_is_refused(httpserver, measure, genesis_token, settings):
    settings.EVALUATION_MAX_RESPONSE_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("table.csv", b"0" * 1_000_000)
    httpserver.expect_request("/rest/data/tablefile", method="POST").respond_with_data(
        buffer.getvalue()
    )
    indicator = indicator_for(measure, httpserver.url_for("/rest/"), "genesis", table="1")
    with pytest.raises(SourceError, match="zu groß"):
        source_for(indicator).values()


class TestInternalAddressesAreRefused:
    """SSRF: editors type source addresses, and the worker fetches them from inside."""

    @pytest.fixture(autouse=True)
    def no_allowed_private_hosts(self, settings):
        settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = []

    @pytest.mark.parametrize(
        "url",
        [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/werte.csv",
            "http://127.0.0.1:5432/",
            "http://localhost:6379/",
            "http://[::1]/x",
        ],
    )
    def test_fetching_an_internal_address_is_refused(self, url):
        from evaluation.sources.base import SourceError
        from evaluation.sources.http import http_request

        with pytest.raises(SourceError, match="internen Netz"):
            http_request(url)

    def test_a_redirect_into_the_internal_network_is_refused(self, httpserver, settings):
        from evaluation.sources.base import SourceError
        from evaluation.sources.http import http_request

        settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
        httpserver.expect_request("/weiter").respond_with_data(
            "", status=302, headers={"Location": "http://10.0.0.7/geheim"}
        )
        with pytest.raises(SourceError, match="10.0.0.7 liegt in einem internen Netz"):
            http_request(httpserver.url_for("/weiter"))

    def test_the_indicator_form_refuses_an_internal_address(self, as_role, measure):
        from django.urls import reverse

        response = as_role("editor_own").post(
            reverse("evaluation:indicator_create", args=[measure.pk]),
            {
                "name": "Metadaten",
                "unit": "Anzahl",
                "kind": "output",
                "direction": "increase",
                "target_value": "1",
                "target_date": "2028-12-31",
                "frequency": "yearly",
                "source_kind": "csv_url",
                "source_url": "http://169.254.169.254/latest/meta-data/",
            },
        )
        assert response.status_code == 200
        assert "liegt in einem internen Netz" in response.content.decode()
        assert not measure.indicators.exists()

"""The measurements export streams in chunks with flat queries (issue 13)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.csv_io import export_csv, export_lines
from evaluation.models import Measurement
from tests.factories import publish_now

from .factories import IndicatorFactory, MeasurementFactory


def test_export_is_the_same_in_small_chunks(measure):
    indicator = IndicatorFactory(measure=measure, frequency="monthly")
    for month in range(1, 13):
        MeasurementFactory(indicator=indicator, period=datetime.date(2025, month, 1), value=month)
    measurements = Measurement.objects.order_by("indicator_id", "period")
    chunks = list(export_lines(measurements, chunk_rows=5))
    assert len(chunks) >= 3
    assert "".join(chunks) == export_csv(measurements)
    assert export_csv(measurements).count("\r\n") == 13


def test_export_streams_with_flat_queries_and_no_snapshot_columns(
    as_role, measure, django_assert_max_num_queries
):
    indicator = IndicatorFactory(measure=measure)
    MeasurementFactory(indicator=indicator)
    publish_now(measure)  # with the indicator: the public exports published indicators only
    few = {}
    for role in ("coordinator", "anonymous"):
        client = as_role(role)
        with django_assert_max_num_queries(8) as few[role]:
            response = client.get(reverse("evaluation:export"))
            body = b"".join(response.streaming_content)
        assert body.count(b"\r\n") == 2
        client.logout()
    for year in range(1980, 2020):
        MeasurementFactory(indicator=indicator, period=datetime.date(year, 1, 1))
    for role in ("coordinator", "anonymous"):
        client = as_role(role)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("evaluation:export"))
            body = b"".join(response.streaming_content)
        assert body.count(b"\r\n") == 42
        assert len(queries.captured_queries) <= len(few[role].captured_queries)
        for query in queries.captured_queries:
            assert '"accepted_snapshot"' not in query["sql"]
            # No measure row is loaded: only the columns of the file.
            assert '"measures_measure"."summary"' not in query["sql"]
        client.logout()

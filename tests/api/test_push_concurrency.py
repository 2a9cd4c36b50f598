"""Two clients push the same value at the same moment: one row, one 201, one 200."""

import threading

import pytest
from django.db import connection, connections

from evaluation.models import Measurement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Zeilensperren (select_for_update) prüft nur PostgreSQL; SQLite sperrt die ganze "
    "Datenbank. CI führt diesen Test im zweiten Lauf auf PostgreSQL aus.",
)
def test_simultaneous_pushes_store_one_value_and_report_one_creation(data, tokens):
    from django.test import Client

    url = f"/api/v1/indicators/{data['indicator'].pk}/measurements/"
    secret = tokens["token_own"][1]
    barrier = threading.Barrier(2)
    statuses = []

    def push():
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
            barrier.wait()
            response = client.post(
                url, {"period": "2026", "value": "7"}, content_type="application/json"
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert Measurement.objects.filter(indicator=data["indicator"], period="2026-01-01").count() == 1

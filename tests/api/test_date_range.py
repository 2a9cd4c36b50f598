"""The API refuses periods outside 1900–2100 with a German message (no error 500)."""

import pytest

from evaluation.models import Measurement


@pytest.mark.parametrize("period", ["0001", "0001-01-01", "2101", "1899-12"])
def test_push_refuses_a_period_outside_the_range(api_as, data, period):
    before = Measurement.objects.count()
    response = api_as("token_own").post(
        f"/api/v1/indicators/{data['indicator'].pk}/measurements/",
        {"period": period, "value": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unplausibel" in str(response.json())
    assert Measurement.objects.count() == before

"""Dates outside 1900–2100 in the evaluation: indicator form, value import, API push."""

import pytest
from django.urls import reverse

from core.validators import validate_date_range
from evaluation.models import Indicator, Measurement
from evaluation.periods import PeriodError, parse_period

from .factories import IndicatorFactory
from .test_csv_io import upload
from .test_views import indicator_post

MESSAGE = "außerhalb der Jahre 1900 bis 2100"


@pytest.mark.parametrize("field", ["baseline_date", "target_date"])
@pytest.mark.parametrize("day", ["0001-01-01", "2101-01-01", "01.01.1899"])
def test_indicator_form_refuses_a_date_outside_the_range(as_role, measure, field, day):
    response = as_role("editor_own").post(
        reverse("evaluation:indicator_create", args=[measure.pk]), indicator_post(**{field: day})
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("period", ["0001", "0001-01-01", "2101-Q1", "1899"])
def test_value_import_refuses_a_period_outside_the_range(as_role, measure, period):
    indicator = IndicatorFactory(measure=measure, frequency="quarterly")
    response = upload(
        as_role("editor_own"), f"indikator_id;zeitraum;wert;notiz\n{indicator.pk};{period};1;\n"
    )
    assert response.status_code == 400
    assert "unplausibel" in dict(response.context["result"].errors)[2]
    assert not Measurement.objects.exists()


def test_a_period_given_as_a_date_is_checked_too():
    import datetime

    with pytest.raises(PeriodError, match="0001"):
        parse_period(datetime.date(1, 1, 1), "yearly")


def test_the_validator_names_the_date_with_four_digits():
    import datetime

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        validate_date_range(datetime.date(1, 3, 1))
    assert "01.03.0001" in refusal.value.messages[0]
    validate_date_range(None)
    validate_date_range(datetime.date(2100, 12, 31))

"""The status method (docs/evaluierung.md), its thresholds and its edge cases."""

import datetime
from decimal import Decimal as D

import pytest

from evaluation.periods import PeriodError, add_periods, parse_period, period_start
from evaluation.status import IndicatorStatus as S
from evaluation.status import compute_status, last_due_period, worst_status

TODAY = datetime.date(2027, 6, 15)


def status(**kwargs):
    defaults = {
        "direction": "increase",
        "frequency": "yearly",
        "baseline_value": D("10"),
        "baseline_date": datetime.date(2025, 1, 1),
        "target_value": D("50"),
        "target_date": datetime.date(2028, 12, 31),
        "today": TODAY,
    }
    defaults.update(kwargs)
    latest = defaults.pop("latest", None)
    if latest is not None:
        defaults.setdefault("latest_period", latest[0])
        defaults.setdefault("latest_value", D(latest[1]))
        defaults.setdefault("first_period", latest[0])
        defaults.setdefault("first_value", D(latest[1]))
    return compute_status(**defaults)


Y2026 = datetime.date(2026, 1, 1)


def test_linear_expectation_on_track_at_risk_off_track():
    # 2026 ends 2026-12-31: (730 days of 1460) -> half of the way (20 of 40) is expected.
    assert status(latest=(Y2026, "30")).status == S.ON_TRACK
    assert status(latest=(Y2026, "29.5")).status == S.ON_TRACK  # 97.5 % of expected
    assert status(latest=(Y2026, "25")).status == S.AT_RISK  # 75 %
    assert status(latest=(Y2026, "19")).status == S.OFF_TRACK  # 45 %
    assert status(latest=(Y2026, "8")).status == S.OFF_TRACK  # moved away


def test_result_carries_expected_and_actual_share():
    result = status(latest=(Y2026, "30"))
    assert result.expected == D("0.5")
    assert result.actual == D("0.5")


def test_target_reached_is_on_track_even_early():
    assert status(latest=(Y2026, "60")).status == S.ON_TRACK


def test_lower_is_better():
    kwargs = {
        "direction": "decrease",
        "baseline_value": D("40"),
        "target_value": D("20"),
    }  # e.g. processing time in days
    assert status(latest=(Y2026, "30"), **kwargs).status == S.ON_TRACK
    assert status(latest=(Y2026, "35"), **kwargs).status == S.AT_RISK
    assert status(latest=(Y2026, "45"), **kwargs).status == S.OFF_TRACK
    assert status(latest=(Y2026, "15"), **kwargs).status == S.ON_TRACK


def test_target_equals_baseline_means_hold_the_level():
    kwargs = {"baseline_value": D("100"), "target_value": D("100")}
    assert status(latest=(Y2026, "100"), **kwargs).status == S.ON_TRACK
    assert status(latest=(Y2026, "104"), **kwargs).status == S.ON_TRACK
    assert status(latest=(Y2026, "96"), **kwargs).status == S.AT_RISK
    assert status(latest=(Y2026, "90"), **kwargs).status == S.OFF_TRACK
    lower = {**kwargs, "direction": "decrease"}
    assert status(latest=(Y2026, "96"), **lower).status == S.ON_TRACK
    assert status(latest=(Y2026, "104"), **lower).status == S.AT_RISK


def test_target_equals_baseline_zero_does_not_divide_by_zero():
    kwargs = {"baseline_value": D("0"), "target_value": D("0"), "direction": "decrease"}
    assert status(latest=(Y2026, "0"), **kwargs).status == S.ON_TRACK
    assert status(latest=(Y2026, "1"), **kwargs).status == S.OFF_TRACK


def test_no_baseline_date_uses_the_first_measurement():
    result = status(
        baseline_date=None,
        latest_period=Y2026,
        latest_value=D("30"),
        first_period=datetime.date(2024, 1, 1),
        first_value=D("12"),
    )
    # The way (from the baseline value 10) starts at the end of 2024, the first value's
    # period; by the end of 2026, 2 of 4 years have passed: half of the way is expected.
    assert result.expected == D("0.5")
    assert result.actual == D("0.5")
    assert result.status == S.ON_TRACK
    slower = status(
        baseline_date=None,
        latest_period=Y2026,
        latest_value=D("25"),
        first_period=datetime.date(2024, 1, 1),
        first_value=D("12"),
    )
    assert slower.status == S.AT_RISK


def test_no_baseline_at_all_uses_the_first_value():
    only_value = status(baseline_value=None, baseline_date=None, latest=(Y2026, "20"))
    assert only_value.status == S.ON_TRACK  # nothing expected yet at the start of the way
    assert only_value.actual == 0


def test_target_date_passed_and_missed_is_off_track():
    result = status(target_date=datetime.date(2026, 6, 30), latest=(Y2026, "45"))
    assert result.status == S.OFF_TRACK


def test_no_data_and_stale():
    # No value at all, none due yet (baseline this year).
    assert status(baseline_date=datetime.date(2027, 1, 1)).status == S.NO_DATA
    # No value although the 2025 value was due (yearly: one year of grace after period end).
    assert status().status == S.STALE
    # The latest value is older than the last due period (2025).
    assert status(latest=(datetime.date(2024, 1, 1), "30")).status == S.STALE
    # Monthly: the May value is not due before mid-July, so April is current in June.
    monthly = {"frequency": "monthly", "baseline_date": datetime.date(2027, 1, 1)}
    assert status(latest=(datetime.date(2027, 4, 1), "30"), **monthly).status != S.STALE
    assert status(latest=(datetime.date(2027, 2, 1), "30"), **monthly).status == S.STALE


def test_last_due_period():
    assert last_due_period("yearly", TODAY) == datetime.date(2025, 1, 1)
    assert last_due_period("quarterly", TODAY) == datetime.date(2026, 10, 1)
    assert last_due_period("monthly", TODAY) == datetime.date(2027, 4, 1)


def test_worst_status():
    assert worst_status([S.ON_TRACK, S.AT_RISK]) == S.AT_RISK
    assert worst_status([S.ON_TRACK, S.STALE]) == S.STALE
    assert worst_status([]) == S.NO_DATA


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2025", "yearly", datetime.date(2025, 1, 1)),
        ("2025-12-31", "yearly", datetime.date(2025, 1, 1)),
        ("31.12.2025", "yearly", datetime.date(2025, 1, 1)),
        ("2025-05", "quarterly", datetime.date(2025, 4, 1)),
        ("2025-Q3", "quarterly", datetime.date(2025, 7, 1)),
        ("Q4/2025", "quarterly", datetime.date(2025, 10, 1)),
        ("03.2025", "monthly", datetime.date(2025, 3, 1)),
        (" 2025-03-17 ", "monthly", datetime.date(2025, 3, 1)),
    ],
)
def test_parse_period(text, frequency, expected):
    assert parse_period(text, frequency) == expected


@pytest.mark.parametrize("text", ["", "März 2025", "2025-13", "25", "2025/2026", "1750"])
def test_parse_period_refuses_unknown_formats(text):
    with pytest.raises(PeriodError):
        parse_period(text, "monthly")


def test_period_arithmetic():
    assert add_periods(datetime.date(2025, 11, 1), "quarterly", 1) == datetime.date(2026, 2, 1)
    assert add_periods(datetime.date(2025, 1, 1), "monthly", -1) == datetime.date(2024, 12, 1)
    assert period_start(datetime.date(2025, 6, 30), "quarterly") == datetime.date(2025, 4, 1)

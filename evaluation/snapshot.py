"""Indicators as the frozen strategy draft stores them (used by drafts.snapshot)."""

from django.utils import formats

from .models import Indicator
from .rollup import indicators_with_status
from .templatetags.evaluation_tags import num


def _value(value, unit):
    return f"{num(value)} {unit}".strip() if value is not None else ""


def _month(day):
    return formats.date_format(day, "m/Y") if day else ""


def indicators_for_drafts(measure_ids, today=None):
    """{measure id: [indicator dicts]} with values formatted for print and the status then."""
    indicators = Indicator.objects.filter(measure_id__in=measure_ids).order_by("measure_id", "pk")
    result = {}
    for indicator in indicators_with_status(indicators, today):
        result.setdefault(indicator.measure_id, []).append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "kind": str(indicator.get_kind_display()),
                "baseline": _value(indicator.baseline_value, indicator.unit),
                "baseline_date": _month(indicator.baseline_date),
                "target": _value(indicator.target_value, indicator.unit),
                "target_date": _month(indicator.target_date),
                "latest": _value(indicator.latest_value, indicator.unit),
                "latest_period": _month(indicator.latest_period),
                "status": indicator.status.status,
                "status_label": str(indicator.status.label),
            }
        )
    return result

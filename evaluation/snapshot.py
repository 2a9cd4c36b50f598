"""Indicators as the frozen strategy draft stores them (used by drafts.snapshot)."""

from django.db.models.fields.json import KeyTransform
from django.utils import formats

from measures.models import Measure

from .models import Indicator
from .published import PART
from .rollup import indicators_with_status
from .templatetags.evaluation_tags import with_unit


def _value(value, unit):
    return with_unit(value, unit) if value is not None else ""


def _month(day):
    return formats.date_format(day, "m/Y") if day else ""


def _accepted_texts(measure_ids):
    """{measure id: {indicator id as text: texts}} of the accepted versions (evaluation.published).
    A version accepted before the texts were reviewed has none: its indicators print as they are.
    """
    rows = (
        Measure.objects.filter(pk__in=measure_ids)
        .annotate(part=KeyTransform(PART, "accepted_snapshot"))
        .values_list("pk", "part")
    )
    return {pk: part.get("indicators") or {} for pk, part in rows if isinstance(part, dict)}


def indicators_for_drafts(measure_ids, today=None):
    """{measure id: [indicator dicts]} with values formatted for print and the status then.

    Names and units as accepted with the measure; an indicator added since its acceptance is
    left out until the coordinator accepts the measure again (the numbers are current).
    """
    indicators = Indicator.objects.filter(measure_id__in=measure_ids).order_by("measure_id", "pk")
    accepted = _accepted_texts(measure_ids)
    result = {}
    for indicator in indicators_with_status(indicators, today):
        name, unit = indicator.name, indicator.unit
        if indicator.measure_id in accepted:
            texts = accepted[indicator.measure_id].get(str(indicator.pk))
            if texts is None:
                continue
            name, unit = texts.get("name", name), texts.get("unit", unit)
        result.setdefault(indicator.measure_id, []).append(
            {
                "id": indicator.pk,
                "name": name,
                "unit": unit,
                "kind": str(indicator.get_kind_display()),
                "baseline": _value(indicator.baseline_value, unit),
                "baseline_date": _month(indicator.baseline_date),
                "target": _value(indicator.target_value, unit),
                "target_date": _month(indicator.target_date),
                "latest": _value(indicator.latest_value, unit),
                "latest_period": _month(indicator.latest_period),
                "status": indicator.status.status,
                "status_label": str(indicator.status.label),
            }
        )
    return result

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

from municipalities import rules

from .. import permissions, published
from ..models import Indicator
from ..rollup import indicators_with_status
from ..timeline import measure_timeline as timeline
from ..units import unit_suffix

register = template.Library()


@register.inclusion_tag("evaluation/includes/measure_evaluation.html", takes_context=True)
def measure_evaluation(context, measure):
    """Indicators, their status and the assessments of a measure (for its detail page)."""
    user = context["request"].user
    indicators = Indicator.objects.filter(measure=measure)
    assessments = measure.assessments.select_related("assessed_by")
    if not rules.is_internal(user):
        # The public reads the texts of the published version only (evaluation.published).
        indicators = published.show_published(
            indicators_with_status(published.published_indicators(indicators))
        )
        assessments = published.show_published_assessments(
            published.published_assessments(assessments)[:5]
        )
    else:
        indicators = indicators_with_status(indicators)
        assessments = list(assessments[:5])
    return {
        "measure": measure,
        "indicators": indicators,
        "assessments": assessments,
        "can_edit": permissions.can_edit_indicators(user, measure),
        "can_assess": permissions.can_assess(user, measure),
    }


@register.inclusion_tag("evaluation/includes/measure_timeline.html", takes_context=True)
def measure_timeline(context, measure):
    """The measure's timeline (evaluation.timeline) for internal readers; nothing otherwise."""
    user = context["request"].user
    if not rules.is_internal(user):
        return {"entries": None}
    return {
        "measure": measure,
        "entries": timeline(measure),
        "can_write": permissions.can_write_progress(user, measure),
        "can_write_on_behalf": permissions.can_write_progress_on_behalf(user, measure),
    }


@register.filter
def num(value):
    """A Decimal as people read it: no trailing zeros, German separators (12,5; 1.234)."""
    if value is None or value == "":
        return "–"
    try:
        plain = Decimal(f"{Decimal(value).normalize():f}")
    except (InvalidOperation, ValueError, TypeError):
        return value
    return formats.number_format(plain, force_grouping=True)


@register.filter
def with_unit(value, unit):
    """A value with its unit as people read it: "45 %", "12 Tage", "80" (unit "Anzahl")."""
    if value is None or value == "":
        return "–"
    return f"{num(value)}{unit_suffix(unit)}"

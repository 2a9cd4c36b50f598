"""Saving one budget year of a measure's cost plan outside the measure form (the REST API).

The same rules as the form (CostPlanYearForm), the same lock and version as every change of
a measure (review.lock / after_part_edit: an open edit form then gets the conflict page, and a
change of planned figures sends an accepted measure back to review), the totals stored with it.
"""

from django.db import transaction

from .costs import PLAN_FIELDS, totals
from .forms import CostPlanYearForm
from .models import CostPlanYear, Measure
from .review import after_part_edit, lock


class CostPlanError(Exception):
    """Refused input: ``errors`` is {field: [German messages]}."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _text(value):
    if value is None:
        return ""
    return str(value)


def store_year(measure, values, user):
    """Create or change the year ``values["year"]``; fields not given keep their stored value,
    a given null clears one. Returns (row, "created" | "updated" | "unchanged")."""
    with transaction.atomic():
        current = lock(measure)
        year = values.get("year")
        row = None
        if isinstance(year, int) or (isinstance(year, str) and year.isdigit()):
            row = CostPlanYear.objects.filter(measure=current, year=int(year)).first()
        data = {"year": _text(year)}
        for name in PLAN_FIELDS:
            if name in values:
                data[name] = _text(values[name])
            elif row is not None:
                data[name] = _text(getattr(row, name))
        form = CostPlanYearForm(data=data, instance=row or CostPlanYear(measure=current))
        if not form.is_valid() or form.cleaned_data.get("year") is None:
            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            if not errors:
                errors = {"year": ["Bitte geben Sie das Haushaltsjahr an, z. B. 2027."]}
            raise CostPlanError(errors)
        if row is not None and not form.has_changed():
            return row, "unchanged"
        saved = form.save(commit=False)
        saved.measure = current
        saved._history_user = user  # None for an API key: no person to name
        saved.save()
        planned, actual = totals(CostPlanYear.objects.filter(measure=current))
        Measure.objects.filter(pk=current.pk).update(budget_planned=planned, budget_spent=actual)
        current.budget_planned, current.budget_spent = planned, actual
        after_part_edit(current, user)
        return saved, "created" if row is None else "updated"

"""Querysets and predicates for measures, built on municipalities.rules."""

from municipalities import rules

from .models import Measure


def visible_measures(user):
    """Measures the user may read.

    Members of the kommunale Familie and the Kreistag read everything. The public reads only
    published measures; publication arrives with the strategy draft, so until then: none.
    """
    if rules.is_internal(user):
        return Measure.objects.all()
    return Measure.objects.none()


def editable_measures(user):
    return Measure.objects.filter(lead_municipality__in=rules.editable_municipalities(user))


def can_create_measure(user):
    return rules.is_coordinator(user) or rules.is_editor(user)


def can_edit_measure(user, measure):
    return rules.can_edit_for(user, measure.lead_municipality)

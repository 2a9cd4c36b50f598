"""Who may see and change what in the evaluation; built on measures.permissions and rules."""

from measures.models import Measure
from measures.permissions import can_edit_measure, editable_measures, visible_measures
from municipalities import acting, rules

from .models import Indicator


def visible_indicators(user):
    return Indicator.objects.filter(measure__in=visible_measures(user))


def editable_indicators(user):
    """Indicators whose definition and manual values the user maintains."""
    return Indicator.objects.filter(measure__in=editable_measures(user))


def can_edit_indicators(user, measure):
    """Editors of the lead municipality (and its Samtgemeinde) and the coordinator."""
    return can_edit_measure(user, measure)


def can_assess(user, measure):
    return can_edit_measure(user, measure)


def can_manage_gathering(user):
    """Triggering gathering runs and reading their logs is the coordinator's job."""
    return rules.is_coordinator(user)


def can_manage_rounds(user):
    return rules.is_coordinator(user)


def can_enter_values_for(user, municipality):
    """May the user enter a body's values in a data-collection round?"""
    return rules.can_edit_for(user, municipality)


def can_import(user):
    return rules.is_coordinator(user) or rules.is_editor(user)


def can_write_progress(user, measure):
    """A Sachstand comes from the lead body itself: its editors, or its Samtgemeinde's
    (municipalities.acting). The coordinator's general right to edit does not count."""
    return acting.answers_for(user, measure.lead_municipality)


def can_write_progress_on_behalf(user, measure):
    """The coordinator writes a Sachstand on the lead body's behalf, with its source, where it
    does not answer for the body itself (a Sachstand by letter, council decision or e-mail)."""
    return rules.is_coordinator(user) and not can_write_progress(user, measure)


def progress_measures(user):
    """Measures whose Sachstand the user may write (``can_write_progress`` in SQL)."""
    return Measure.objects.filter(lead_municipality__in=acting.bodies_answered_by(user))


def can_read_all_reporting(user):
    """The completeness of every body in a Berichtsrunde: the coordinator and the Kreistag."""
    return rules.is_coordinator(user) or rules.is_council_member(user)


def can_read_reporting(user):
    """Editors see their own bodies' part of a Berichtsrunde."""
    return can_read_all_reporting(user) or acting.bodies_answered_by(user).exists()

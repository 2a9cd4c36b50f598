"""Querysets and predicates for measures, built on municipalities.rules."""

from municipalities import rules

from .models import Measure


def visible_measures(user):
    """Measures the user may read.

    Members of the kommunale Familie and the Kreistag read everything. The public reads the
    measures contained in a published strategy draft: on publication the drafts app sets
    ``public_since`` and ``public_snapshot`` (the published version, without personal data),
    which the detail page shows the public instead of the current, perhaps unreviewed, data.
    """
    if rules.is_internal(user):
        return Measure.objects.all()
    return Measure.objects.filter(public_since__isnull=False)


def editable_measures(user):
    return Measure.objects.filter(lead_municipality__in=rules.editable_municipalities(user))


def can_create_measure(user):
    return rules.is_coordinator(user) or rules.is_editor(user)


def can_edit_measure(user, measure):
    return rules.can_edit_for(user, measure.lead_municipality)


def can_submit(user, measure):
    """Editors of the lead municipality (and the coordinator) submit measures for review."""
    return can_edit_measure(user, measure)


def can_review(user):
    """Only the coordinator accepts measures or requests changes."""
    return rules.is_coordinator(user)


def can_comment(user, measure):
    """The review thread is between the measure's editors and the coordinator."""
    return can_review(user) or can_edit_measure(user, measure)


def reviewable_measures(user):
    """The coordinator's review queue: submitted measures, oldest first."""
    from .review import ReviewState

    if not can_review(user):
        return Measure.objects.none()
    return Measure.objects.filter(review_state=ReviewState.SUBMITTED).order_by("updated_at", "pk")

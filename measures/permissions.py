"""Querysets and predicates for measures, built on municipalities.rules."""

from municipalities import acting, rules

from .models import Measure, PartnershipState, ReviewState


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
    """The review thread is between the measure's editors, its partners' editors (asked or
    confirmed) and the coordinator."""
    return can_review(user) or can_edit_measure(user, measure) or is_partner_editor(user, measure)


def edits_as_member(user, municipality):
    """Is the user an editor *of* this body (or of its Samtgemeinde)? The coordinator's
    general right to edit does not count: consent must come from the body itself."""
    return acting.answers_for(user, municipality)


def can_answer_partnership(user, partnership):
    """Only an editor of the partner body confirms or declines a request to take part."""
    return edits_as_member(user, partnership.municipality)


def can_record_on_behalf(user, partnership):
    """Only the coordinator records a body's answer on its behalf, and only with its source
    (``partnerships.clean_source``); without one the coordinator cannot answer for a body."""
    return rules.is_coordinator(user)


def is_partner_editor(user, measure):
    """Editor of a body that is asked to take part in, or takes part in, the measure."""
    return any(
        edits_as_member(user, p.municipality)
        for p in measure.partnerships.all()
        if p.state != PartnershipState.DECLINED
    )


def can_propose_join(user, joint):
    """The coordinator, or an editor of the measure that is to become the joint one."""
    return can_edit_measure(user, joint)


def can_see_clusters(user):
    """The cluster overview of similar measures across bodies is the coordinator's tool."""
    return rules.is_coordinator(user)


def reviewable_measures(user):
    """The coordinator's review queue: submitted measures, oldest first."""
    if not can_review(user):
        return Measure.objects.none()
    return Measure.objects.filter(review_state=ReviewState.SUBMITTED).order_by("updated_at", "pk")

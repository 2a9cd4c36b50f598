"""Who may see and manage strategy drafts; built on municipalities.rules.

- coordinator: creates, edits, freezes, renders, publishes drafts and records decisions;
- council members (Kreistag): read every frozen draft and download its PDF;
- editors: published drafts, frozen drafts whose Abstimmung they take part in, and frozen
  drafts on which a body they answer for decides (its Beschlussverfahren, drafts.adoption);
- the public: published drafts only.
"""

from django.db.models import Q

from municipalities import acting, rules

from .models import DraftState, StrategyDraft


def can_manage_drafts(user):
    return rules.is_coordinator(user)


def visible_drafts(user):
    if can_manage_drafts(user):
        return StrategyDraft.objects.all()
    if rules.is_council_member(user):
        return StrategyDraft.objects.exclude(state=DraftState.EDITING)
    public = Q(state__in=[DraftState.PUBLISHED, DraftState.DECIDED])
    if rules.is_internal(user):
        # The bodies read the version they are asked to take a position on or to decide.
        deciding = StrategyDraft.objects.filter(
            decision_procedures__municipality__in=acting.bodies_answered_by(user)
        ).values("pk")
        return StrategyDraft.objects.filter(
            public | Q(consultation__isnull=False) | Q(pk__in=deciding)
        )
    return StrategyDraft.objects.filter(public)


def can_download_pdf(user, draft):
    return draft.has_pdf and visible_drafts(user).filter(pk=draft.pk).exists()

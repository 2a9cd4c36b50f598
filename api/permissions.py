"""Who manages a body's API keys: that body's editors (a Samtgemeinde's also for its members)
and the coordinator; the same rule as for maintaining the body's measures."""

from municipalities import rules

from .models import ApiToken


def can_manage_tokens(user, municipality):
    # A key never manages keys, even though it acts as an editor of its body.
    if getattr(user, "token", None) is not None:
        return False
    return rules.can_edit_for(user, municipality)


def tokens_of(municipality):
    return ApiToken.objects.filter(municipality=municipality).select_related(
        "created_by", "revoked_by"
    )

"""Role and membership changes go to the security log (``portal.security``).

Receivers of this app's own model signals, so that every way of changing a membership is
recorded: the admin (also "delete selected"), the portal's views, management commands and
cascades when a person or body is deleted. The acting person is ``instance._changed_by`` when
the caller sets it, else the user of the current request (simple_history's request context).
"""

from simple_history.models import HistoricalRecords

from core.security import log_event


def _actor(instance):
    user = getattr(instance, "_changed_by", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.get_username()
    return None


def _describe(user_id, municipality_id, role):
    return {"member_id": user_id, "municipality_id": municipality_id, "role": role}


def remember_previous(sender, instance, raw=False, **kwargs):
    instance._previous_membership = None
    if instance.pk and not raw:
        instance._previous_membership = (
            sender.objects.filter(pk=instance.pk)
            .values("user_id", "municipality_id", "role")
            .first()
        )


def log_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    current = _describe(instance.user_id, instance.municipality_id, instance.role)
    previous = getattr(instance, "_previous_membership", None)
    if created or previous is None:
        event, what = "membership_created", f"membership {instance.pk} created"
    else:
        previous = _describe(previous["user_id"], previous["municipality_id"], previous["role"])
        if previous == current:
            return
        event, what = "membership_changed", f"membership {instance.pk} changed"
    username = instance.user.get_username()
    log_event(
        event,
        f"{what}: {username!r} as {instance.role} of municipality {instance.municipality_id}",
        actor=_actor(instance),
        membership_id=instance.pk,
        member=username,
        **current,
        previous=previous if event == "membership_changed" else None,
    )


def log_deleted(sender, instance, **kwargs):
    try:
        username = instance.user.get_username()
    except sender.user.RelatedObjectDoesNotExist:
        username = None
    log_event(
        "membership_deleted",
        f"membership {instance.pk} deleted: {username!r} as {instance.role} of municipality "
        f"{instance.municipality_id}",
        actor=_actor(instance),
        membership_id=instance.pk,
        member=username,
        **_describe(instance.user_id, instance.municipality_id, instance.role),
    )


# Account flags that amount to a role: a superuser acts as the coordinator (rules.py), staff
# reach /admin/, inactive accounts cannot log in.
ACCOUNT_FLAGS = ("is_superuser", "is_staff", "is_active")


def log_account_flags(request, user, before):
    """Called by the user admin after a save: log changed role-like flags of the account."""
    changed = {
        flag: {"from": before.get(flag), "to": getattr(user, flag)}
        for flag in ACCOUNT_FLAGS
        if before.get(flag) != getattr(user, flag)
    }
    if not changed:
        return
    username = user.get_username()
    log_event(
        "account_flags_changed",
        f"account {username!r}: " + ", ".join(f"{k} -> {v['to']}" for k, v in changed.items()),
        request=request,
        member=username,
        changes=changed,
    )

"""Every change of a person's access goes through these functions: one place that checks the
rules, writes the change, records who did it (PeopleEvent) and tells the security log."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Membership, Role

from .models import Action, Invitation, PeopleEvent, hash_token

security_log = logging.getLogger("portal.security")
logger = logging.getLogger(__name__)


class PeopleError(Exception):
    """A refused change; the message is German and meant for the coordinator."""


def display_name(user):
    return user.get_full_name() or user.username


def _record(actor, person, action, detail="", *, logged_by_signal=False):
    """Keep the change in the people log and tell the security log, unless the Membership
    signals (municipalities.signals) already do: once per change there."""
    PeopleEvent.objects.create(actor=actor, person=person, action=action, detail=detail[:300])
    if logged_by_signal:
        return
    security_log.info(
        "people.%s person=%s actor=%s detail=%s",
        action,
        person.username,
        actor.username if actor else "-",
        detail,
        extra={"event": f"people.{action}", "person": person.username},
    )


def _role_text(role, municipality):
    return f"{Role(role).label} – {municipality}"


def _check_role(municipality, role):
    membership = Membership(municipality=municipality, role=role)
    try:
        membership.clean()
    except ValidationError as error:
        raise PeopleError(" ".join(error.messages)) from error


def _new_invitation(user, actor):
    """Revoke the person's open links and create a new one; returns the secret token."""
    now = timezone.now()
    Invitation.objects.open().filter(user=user).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        token_hash=hash_token(token),
        created_by=actor,
        expires_at=now + timedelta(hours=settings.PEOPLE_INVITATION_HOURS),
    )
    return token


def invitation_link(token):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("people:accept", args=[token])


@transaction.atomic
def invite(*, actor, first_name, last_name, email, municipality, role):
    """Create the account (without a usable password) and its role; returns (user, token)."""
    _check_role(municipality, role)
    email = email.strip().lower()
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
        raise PeopleError(
            "Für diese E-Mail-Adresse gibt es schon ein Konto. Vergeben Sie die Rolle "
            "auf der Seite der Person."
        )
    user = users.model(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=role)
    token = _new_invitation(user, actor)
    _record(actor, user, Action.INVITED, _role_text(role, municipality))
    return user, token


@transaction.atomic
def resend_invitation(*, actor, user):
    if not user.is_active:
        raise PeopleError("Die Person ist deaktiviert. Aktivieren Sie sie zuerst wieder.")
    token = _new_invitation(user, actor)
    _record(actor, user, Action.INVITATION_RESENT)
    return token


def send_invitation(user, token, actor):
    """E-mail the link; False when the mail server refused (the coordinator can resend)."""
    hours = settings.PEOPLE_INVITATION_HOURS
    roles = ", ".join(
        _role_text(m.role, m.municipality) for m in user.memberships.select_related("municipality")
    )
    body = (
        f"Guten Tag {display_name(user)},\n\n"
        f"{display_name(actor)} hat Sie in das Digitalstrategie-Portal des Landkreises "
        f"Lüchow-Dannenberg eingeladen (Rolle: {roles}).\n\n"
        "Bitte legen Sie über diesen Link Ihr Passwort fest. Der Link gilt "
        f"{hours} Stunden und nur einmal:\n{invitation_link(token)}\n\n"
        f"Ihr Benutzername ist Ihre E-Mail-Adresse: {user.username}\n\n"
        "Wenn Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.\n\n"
        "-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    )
    try:
        send_mail(
            "Einladung in das Digitalstrategie-Portal",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except OSError:  # SMTP errors are OSErrors; the invitation itself stays valid
        logger.exception("Invitation e-mail to user %s failed", user.pk)
        return False
    return True


def find_invitation(token):
    """The open invitation for a token from a link, or None (expired, used, revoked, wrong)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.open()
        .select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )


@transaction.atomic
def accept_invitation(invitation, password):
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise PeopleError("Dieser Link wurde inzwischen verwendet oder ist abgelaufen.")
    user = locked.user
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    _record(user, user, Action.PASSWORD_SET)
    return user


def _active_coordinators():
    return (
        Membership.objects.select_for_update()
        .filter(role=Role.COORDINATOR, user__is_active=True)
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def add_role(*, actor, user, municipality, role):
    _check_role(municipality, role)
    try:
        with transaction.atomic():
            membership = Membership(user=user, municipality=municipality, role=role)
            membership._changed_by = actor  # the security log names who gave the role
            membership.save()
    except IntegrityError as error:
        raise PeopleError("Die Person hat diese Rolle bei dieser Kommune schon.") from error
    _record(actor, user, Action.ROLE_ADDED, _role_text(role, municipality), logged_by_signal=True)


@transaction.atomic
def remove_role(*, actor, membership):
    if membership.role == Role.COORDINATOR and set(_active_coordinators()) <= {membership.user_id}:
        raise PeopleError(
            "Das ist die letzte aktive Person der Koordinierungsstelle. Vergeben Sie die Rolle "
            "zuerst an eine andere Person."
        )
    text = _role_text(membership.role, membership.municipality)
    person = membership.user
    deleted, _ = Membership.objects.filter(pk=membership.pk).delete()
    if deleted:
        _record(actor, person, Action.ROLE_REMOVED, text, logged_by_signal=True)


@transaction.atomic
def deactivate(*, actor, user):
    if user.pk == actor.pk:
        raise PeopleError("Sie können sich nicht selbst deaktivieren.")
    if set(_active_coordinators()) == {user.pk}:
        raise PeopleError(
            "Das ist die letzte aktive Person der Koordinierungsstelle und kann nicht "
            "deaktiviert werden."
        )
    changed = get_user_model().objects.filter(pk=user.pk, is_active=True).update(is_active=False)
    Invitation.objects.open().filter(user=user).update(revoked_at=timezone.now())
    if changed:
        _record(actor, user, Action.DEACTIVATED)


@transaction.atomic
def reactivate(*, actor, user):
    changed = get_user_model().objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    if changed:
        _record(actor, user, Action.REACTIVATED)

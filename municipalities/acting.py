"""Who acts for whom: one answer for every step that asks a body for something.

In the district only the Landkreis and the Samtgemeinden have staff; a member Gemeinde keeps
its own council but is run by its Samtgemeinde's administration. For every body (Municipality):

- *who may answer for it*: its own editors and, for a member of a Samtgemeinde, the
  Samtgemeinde's editors;
- *who gets its notices*: its own editors; where it has none, the Samtgemeinde's editors;
  where there are none either, nobody;
- *nobody can answer for it*: neither its own editors nor its Samtgemeinde's.

An editor counts only while the account can be used: active and with a password set (an
invited person who has not yet followed the link cannot answer yet; the people pages list the
open invitation). The coordinator's general right to edit does not make it answer for a body.

Two shapes of the same rule: ``acting_for(body)`` / ``acting_map(bodies)`` (Python, two
queries for any number of bodies) and, in SQL, ``Municipality.objects.with_acting()`` /
``.nobody_can_answer()`` and ``bodies_answered_by(user)``. Tests hold them equal.
"""

from dataclasses import dataclass

from django.db.models import Q

from .models import Membership, Municipality, MunicipalityKind, Role

_CACHE_ATTR = "_portal_memberships"


def memberships(user):
    """The user's memberships with their municipality, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("municipality"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def can_act(user):
    """Can this account act at all (active, password set)? A principal without a password
    of its own (an API key acting for its body, api/authentication.py) acts while active."""
    if not (user.is_authenticated and user.is_active):
        return False
    has_usable_password = getattr(user, "has_usable_password", None)
    return has_usable_password is None or has_usable_password()


def acting_editors():
    """Editor memberships whose person can act (``can_act`` in SQL)."""
    return Membership.objects.acting_editors()


def answers_for(user, body):
    """May the user answer for the body as its own editor or its Samtgemeinde's?"""
    if body is None or not can_act(user):
        return False
    for m in memberships(user):
        if m.role != Role.EDITOR:
            continue
        if m.municipality_id == body.pk:
            return True
        if m.municipality.kind == MunicipalityKind.SAMTGEMEINDE and (
            body.parent_id == m.municipality_id
        ):
            return True
    return False


def bodies_answered_by(user):
    """``answers_for`` in SQL: the bodies the user may answer for (no query of its own
    beyond the cached memberships)."""
    if not can_act(user):
        return Municipality.objects.none()
    editor_of = [m for m in memberships(user) if m.role == Role.EDITOR]
    if not editor_of:
        return Municipality.objects.none()
    samtgemeinden = [
        m.municipality_id for m in editor_of if m.municipality.kind == MunicipalityKind.SAMTGEMEINDE
    ]
    return Municipality.objects.filter(
        Q(pk__in=[m.municipality_id for m in editor_of]) | Q(parent_id__in=samtgemeinden)
    )


def administration_of(body):
    """The Samtgemeinde whose administration runs a member body, else None."""
    parent = body.parent if body.parent_id else None
    if parent is not None and parent.kind == MunicipalityKind.SAMTGEMEINDE:
        return parent
    return None


@dataclass(frozen=True)
class Acting:
    """Who acts for one body. Editors in tuples sorted by name."""

    body: Municipality
    administration: Municipality | None
    own_editors: tuple
    administration_editors: tuple

    @property
    def answerers(self):
        """Everyone who may answer for the body (own editors first, no one twice)."""
        seen = {u.pk for u in self.own_editors}
        return self.own_editors + tuple(u for u in self.administration_editors if u.pk not in seen)

    @property
    def nobody_can_answer(self):
        return not self.own_editors and not self.administration_editors

    @property
    def notified_via(self):
        """The body whose editors get the notices: the body itself, its Samtgemeinde, or
        None when nobody can be told."""
        if _reachable(self.own_editors):
            return self.body
        if _reachable(self.administration_editors):
            return self.administration
        return None

    @property
    def notice_recipients(self):
        """The people (with an e-mail address) to tell about anything asked of the body."""
        if _reachable(self.own_editors):
            return _reachable(self.own_editors)
        return _reachable(self.administration_editors)

    @property
    def acts_through_administration(self):
        """No own editor, but the Samtgemeinde's administration answers for the body."""
        return not self.own_editors and bool(self.administration_editors)


def _reachable(users):
    return tuple(u for u in users if u.email)


def _with_parents(bodies):
    """The bodies with ``parent`` loaded (one query for those that lack it)."""
    bodies = list(bodies)
    missing = {b.parent_id for b in bodies if b.parent_id and not Municipality.parent.is_cached(b)}
    if missing:
        parents = Municipality.objects.in_bulk(missing)
        for body in bodies:
            if body.parent_id in parents:
                body.parent = parents[body.parent_id]
    return bodies


def acting_map(bodies=None):
    """{body pk: Acting} for the bodies (all when None), in at most three queries."""
    if bodies is None:
        bodies = Municipality.objects.select_related("parent").order_by("tree_path")
    bodies = _with_parents(bodies)
    administrations = {b.pk: administration_of(b) for b in bodies}
    ids = {b.pk for b in bodies} | {a.pk for a in administrations.values() if a is not None}
    editors = {}
    for membership in (
        acting_editors()
        .filter(municipality_id__in=ids)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "user_id")
    ):
        editors.setdefault(membership.municipality_id, []).append(membership.user)
    result = {}
    for body in bodies:
        administration = administrations[body.pk]
        result[body.pk] = Acting(
            body=body,
            administration=administration,
            own_editors=tuple(editors.get(body.pk, ())),
            administration_editors=tuple(editors.get(administration.pk, ()))
            if administration
            else (),
        )
    return result


def acting_for(body):
    """Who acts for one body (see the module docstring)."""
    return acting_map([body])[body.pk]


def notice_plan(bodies):
    """(by recipient, untold) for notices about ``bodies``: {user: [bodies]} with each
    recipient's bodies in the given order, and the bodies nobody can be told about."""
    bodies = list(bodies)
    acting = acting_map(bodies)
    by_user, users, untold = {}, {}, []
    for body in bodies:
        recipients = acting[body.pk].notice_recipients
        if not recipients:
            untold.append(body)
        for user in recipients:
            users.setdefault(user.pk, user)
            by_user.setdefault(user.pk, []).append(body)
    return {users[pk]: own for pk, own in by_user.items()}, untold

"""Who may do what: the portal's permission rules in one place.

Views, forms (choice fields), admin and exports call these functions instead of checking
roles themselves. A user's memberships are read once per request object and cached on it.

- coordinator (district): edits everything, reviews, maintains goals;
- council member (district): reads everything;
- editor of a municipality: edits that municipality's measures; an editor of a Samtgemeinde
  also those of its member Gemeinden (``acting.answers_for``: who acts for whom);
- anonymous: reads only what is published.
"""

from .acting import answers_for, bodies_answered_by, memberships
from .models import Municipality, Role


def has_role(user, role):
    return any(m.role == role for m in memberships(user))


def is_coordinator(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.COORDINATOR))


def is_council_member(user):
    return has_role(user, Role.COUNCIL)


def is_editor(user):
    return has_role(user, Role.EDITOR)


def is_internal(user):
    """Members of the kommunale Familie and the Kreistag see everything, published or not."""
    return user.is_authenticated and (user.is_superuser or bool(memberships(user)))


def can_edit_for(user, municipality):
    """May the user maintain measures led by this municipality?"""
    if municipality is None or not user.is_authenticated:
        return False
    return is_coordinator(user) or answers_for(user, municipality)


def editable_municipalities(user):
    """Queryset of the municipalities for which the user may maintain measures."""
    if is_coordinator(user):
        return Municipality.objects.all()
    return bodies_answered_by(user)


def can_maintain_goals(user):
    return is_coordinator(user)


def home_municipality(user):
    """The municipality whose dashboard a user sees first (the district for district roles)."""
    for role in (Role.COORDINATOR, Role.COUNCIL, Role.EDITOR):
        for m in memberships(user):
            if m.role == role:
                return m.municipality
    return None

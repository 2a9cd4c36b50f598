"""Who may read and maintain the register, built on municipalities.rules.

- all internal roles (editors, coordinator, council) read every body's entries;
- editors maintain their body's entries, a Samtgemeinde editor also its members';
- the coordinator imports and exports the whole register;
- the public sees only aggregate counts per category and product.
"""

from municipalities import rules

from .models import ProcedureEntry, ServiceOffer


def can_read_register(user):
    return rules.is_internal(user)


def can_edit_register(user, municipality):
    return rules.can_edit_for(user, municipality)


def can_search_catalogue(user):
    """The service search behind the LeiKa field of the measure and register forms: the roles
    that fill in those forms."""
    return rules.is_coordinator(user) or rules.is_editor(user)


def can_transfer(user):
    """Import and export of the whole register (contains costs and contract dates)."""
    return rules.is_coordinator(user)


def editable_entries(user):
    return ProcedureEntry.objects.filter(municipality__in=rules.editable_municipalities(user))


def editable_offers(user):
    return ServiceOffer.objects.filter(municipality__in=rules.editable_municipalities(user))

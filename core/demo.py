"""Whether demo content may be created here (``manage.py seed_demo`` and the other demo
commands): it sets up logins with the published password "demo"."""

from django.conf import settings

REFUSAL = (
    "Die Demo-Inhalte werden hier nicht angelegt: Sie richten Zugänge mit dem bekannten "
    "Passwort „demo“ ein, in einer produktiven Datenbank wäre das ein Sicherheitsrisiko. Sie "
    "entstehen nur mit den Entwicklungs-Settings (make run) und deren lokaler SQLite-Datenbank, "
    "oder wenn PORTAL_DEMO_ALLOWED=true ausdrücklich gesetzt ist; die Produktions-Settings "
    "verweigern sie immer. "
    "(Demo content refused: it creates logins with the known password 'demo'. Allowed only by "
    "PORTAL_DEMO_ALLOWED, which the development settings set for their local SQLite database "
    "and the production settings never do.)"
)


def demo_refusal():
    """The reason (German, then English) why demo content must not be created, or None."""
    if getattr(settings, "PORTAL_DEMO_ALLOWED", False) is True:
        return None
    return REFUSAL

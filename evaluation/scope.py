"""Which body the evaluation opens on, and the bodies a page links to."""

from municipalities import rules
from municipalities.models import Municipality

# ``?alle=1`` on the overview: the whole district, also for an editor of one body.
ALL_PARAM = "alle"


def own_body(user):
    """The body an editor's evaluation opens on; None for district roles and the public."""
    if not user.is_authenticated or not rules.is_editor(user):
        return None
    home = rules.home_municipality(user)
    return home if home is not None and not home.is_district else None


def member_bodies(municipality):
    """The members of a Samtgemeinde, shown as links on its page and its members' pages."""
    if municipality is None or municipality.is_district:
        return []
    samtgemeinde = municipality if municipality.is_samtgemeinde else municipality.parent
    if samtgemeinde is None or not samtgemeinde.is_samtgemeinde:
        return []
    return list(Municipality.objects.filter(parent=samtgemeinde).order_by("tree_path"))

from django.urls import reverse

from municipalities import rules


def _nav_items(request, home):
    """Main navigation; `active` marks the section the current page belongs to."""
    match = request.resolver_match
    namespace = match.namespace if match else ""
    url_name = match.url_name if match else ""
    review_pages = ("review_queue", "review_overview")
    synergy_pages = ("synergies", "join")
    items = []
    if home is not None:
        items.append(
            ("Übersicht", reverse("measures:dashboard", args=[home.slug]), url_name == "dashboard")
        )
    items += [
        (
            "Maßnahmen",
            reverse("measures:list"),
            namespace == "measures"
            and url_name not in ("dashboard", *review_pages, *synergy_pages),
        ),
        ("Handlungsfelder", reverse("fields_of_action:list"), namespace == "fields_of_action"),
        ("Evaluierung", reverse("evaluation:overview"), namespace == "evaluation"),
        ("Kommunen", reverse("municipalities:list"), namespace == "municipalities"),
    ]
    if rules.is_coordinator(request.user):
        items.append(("Prüfung", reverse("measures:review_queue"), url_name in review_pages))
        # Grouped under one entry so that the coordinator's menu fits on one line at 1280 px.
        items.append(
            (
                "Verwaltung",
                None,
                [
                    ("Personen", reverse("people:list"), namespace == "people"),
                    (
                        "Anmeldesperren",
                        reverse("lockout_list"),
                        url_name in ("lockout_list", "lockout_release"),
                    ),
                ],
            )
        )
        items.append(("Synergien", reverse("measures:synergies"), url_name in synergy_pages))
    items.append(("Entwürfe", reverse("drafts:list"), namespace == "drafts"))
    return [_item(*item) for item in items]


def _item(label, url, active):
    """One menu entry; a group (``url`` None) is active when one of its entries is."""
    if url is None:
        children = [_item(*child) for child in active]
        return {
            "label": label,
            "url": None,
            "children": children,
            "active": any(child["active"] for child in children),
        }
    return {"label": label, "url": url, "active": active}


def portal(request):
    """Role flags and navigation; cheap because memberships are cached on the user."""
    user = request.user
    home = rules.home_municipality(user)
    return {
        "is_coordinator": rules.is_coordinator(user),
        "is_internal": rules.is_internal(user),
        "home_municipality": home,
        "nav_items": _nav_items(request, home),
    }

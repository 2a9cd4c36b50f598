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
        items.append(("Personen", reverse("people:list"), namespace == "people"))
        items.append(
            (
                "Anmeldesperren",
                reverse("lockout_list"),
                url_name in ("lockout_list", "lockout_release"),
            )
        )
        items.append(("Synergien", reverse("measures:synergies"), url_name in synergy_pages))
    items.append(("Entwürfe", reverse("drafts:list"), namespace == "drafts"))
    return [{"label": label, "url": url, "active": active} for label, url, active in items]


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

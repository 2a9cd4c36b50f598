from municipalities import rules


def portal(request):
    """Role flags for the navigation; cheap because memberships are cached on the user."""
    user = request.user
    return {
        "is_coordinator": rules.is_coordinator(user),
        "is_internal": rules.is_internal(user),
        "home_municipality": rules.home_municipality(user),
    }

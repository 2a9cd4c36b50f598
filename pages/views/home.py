"""The front door: the home page, the way to one's own dashboard, the sources page."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render

from drafts.adoption import in_force
from drafts.models import DraftState, StrategyDraft
from drafts.presenting import as_presentation
from fields_of_action.models import FieldOfAction
from measures.permissions import visible_measures
from municipalities import rules


def home(request):
    """Landing page; for the public also the latest draft laid before the Kreistag."""
    fields = FieldOfAction.objects.all()
    latest_published = (
        StrategyDraft.objects.filter(state__in=[DraftState.PUBLISHED, DraftState.DECIDED])
        # Why defer: the frozen snapshot of a draft is megabytes of JSON; the page shows
        # only the draft's title, dates and whether its PDF is ready.
        .defer("snapshot")
        # NULLS LAST as SQLite sorts them: a version without its presentation time (only in
        # hand-made data) is not "the latest" on PostgreSQL either.
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
        .first()
    )
    # The Vorlage's measures, as the list's filter shows them (measures.publication).
    presentation = (
        as_presentation(latest_published)
        if latest_published and latest_published.published_at
        else None
    )
    measures = visible_measures(request.user)
    adopted = sorted(
        in_force().values(), key=lambda d: (d.procedure.municipality.tree_path, d.decided_on)
    )
    return render(
        request,
        "home.html",
        {
            "fields": fields,
            "adopted": adopted,
            "latest_published": latest_published,
            "presentation": presentation,
            "presented_measures": measures.in_latest_presentation(presentation).count()
            if presentation
            else 0,
            "all_measures": measures.count() if rules.is_internal(request.user) else None,
        },
    )


@login_required
def dashboard(request):
    """Send each user to the dashboard of the body they work for."""
    municipality = rules.home_municipality(request.user)
    if municipality is None:
        return render(request, "no_membership.html", status=200)
    return redirect("measures:dashboard", slug=municipality.slug)


def sources(request):
    return render(request, "sources.html")

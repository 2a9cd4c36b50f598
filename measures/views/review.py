"""Views of the review workflow: the coordinator's queue and overview, transitions, thread."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from municipalities.models import Municipality
from municipalities.notices import person_name

from ..forms import review_text
from ..history import changes_since
from ..models import Measure, ReviewComment, ReviewState
from ..permissions import (
    can_comment,
    can_edit_measure,
    can_review,
    editable_measures,
    reviewable_measures,
    visible_measures,
)
from ..review import ReviewError, StaleReviewError, add_comment, allowed_targets, transition_to
from ..tasks import review_recipients

SUCCESS = {
    ReviewState.SUBMITTED: "Die Maßnahme wurde zur Prüfung eingereicht.",
    ReviewState.ACCEPTED: "Die Maßnahme wurde angenommen.",
    ReviewState.CHANGES_REQUESTED: "Die Maßnahme wurde mit der Bitte um Änderungen zurückgegeben.",
}


def latest_comments_prefetch(to_state=None, attr="latest_comments"):
    comments = ReviewComment.objects.select_related("author").order_by("-created_at", "-pk")
    if to_state:
        comments = comments.filter(to_state=to_state)
    return Prefetch("review_comments", queryset=comments, to_attr=attr)


def thread_prefetch():
    """The review thread of a measure, oldest first, as ``measure.thread``."""
    comments = ReviewComment.objects.select_related("author").order_by("created_at", "pk")
    return Prefetch("review_comments", queryset=comments, to_attr="thread")


def returned_measures(user, scope):
    """Measures in ``scope`` returned to this user with a request for changes, and why."""
    return (
        editable_measures(user)
        .filter(pk__in=scope.values("pk"), review_state=ReviewState.CHANGES_REQUESTED)
        .defer("accepted_snapshot", "public_snapshot")
        .select_related("lead_municipality")
        .prefetch_related(latest_comments_prefetch(ReviewState.CHANGES_REQUESTED, "requests"))
        .order_by("-updated_at", "pk")
    )


@login_required
def review_queue(request):
    if not can_review(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle prüft Maßnahmen.")
    # One page of the queue, each measure with only its latest comment (a subquery), never
    # the whole thread or the snapshot columns: the work does not grow with the queue.
    latest = ReviewComment.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-pk")
    measures = (
        reviewable_measures(request.user)
        .select_related("lead_municipality", "field_of_action")
        .defer("accepted_snapshot", "public_snapshot")
        .annotate(latest_comment_text=Subquery(latest.values("text")[:1]))
    )
    page = Paginator(measures, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/review_queue.html", {"page": page})


@login_required
def review_overview(request):
    """Per body: how many measures (led) are in each review state; who has submitted nothing."""
    if not can_review(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle sieht die Prüfübersicht.")
    counts = {
        (row["lead_municipality_id"], row["review_state"]): row["n"]
        for row in Measure.objects.order_by()
        .values("lead_municipality_id", "review_state")
        .annotate(n=Count("pk"))
    }
    states = list(ReviewState)
    rows = []
    for body in Municipality.objects.in_tree_order():
        cells = [counts.get((body.pk, s.value), 0) for s in states]
        submitted_ever = sum(cells) - counts.get((body.pk, ReviewState.DRAFT.value), 0)
        rows.append(
            {"body": body, "cells": cells, "total": sum(cells), "silent": not submitted_ever}
        )
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(states))]
    return render(
        request,
        "measures/review_overview.html",
        {
            "states": states,
            "rows": rows,
            "totals": totals,
            "silent": [row["body"] for row in rows if row["silent"]],
        },
    )


@login_required
@require_POST
def measure_transition(request, pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=pk
    )
    target = request.POST.get("target", "")
    if target not in ReviewState.values:
        messages.error(request, "Unbekannter Prüfschritt.")
        return redirect(measure)
    comment = request.POST.get("comment", "")
    # The version the user decided on. A page without it (or with garbage) counts as seen at
    # version 0, which never matches: the user sees the current text and decides again.
    posted = request.POST.get("version", "")
    seen_version = int(posted) if posted.isdigit() and len(posted) < 10 else 0
    try:
        comment = review_text(comment)
        entry = transition_to(measure, target, request.user, comment, seen_version=seen_version)
    except StaleReviewError as refusal:
        return _stale_decision(request, pk, target, comment, seen_version, refusal)
    except ReviewError as refusal:
        messages.error(request, str(refusal))
        return redirect(f"{measure.get_absolute_url()}#pruefung")
    messages.success(request, SUCCESS[ReviewState(target)] + who_is_told(entry))
    if target != ReviewState.SUBMITTED and request.POST.get("next") == "queue":
        return redirect("measures:review_queue")
    return redirect(f"{measure.get_absolute_url()}#pruefung")


def who_is_told(entry):
    """ " 1 E-Mail wird verschickt: an … (Hitzacker (Elbe))." – or that nobody is told."""
    found = review_recipients(entry)
    if found is None:
        return ""
    _subject, _intro, users, whom = found
    users = [u for u in users if u.email]
    if not users:
        return f" Niemand wird per E-Mail benachrichtigt: für {whom} ist niemand erreichbar."
    names = ", ".join(person_name(u) for u in users)
    mails = "1 E-Mail wird" if len(users) == 1 else f"{len(users)} E-Mails werden"
    return f" {mails} verschickt: an {names} ({whom})."


def _stale_decision(request, pk, target, comment, seen_version, refusal):
    """The measure changed since the user opened it: show what changed, keep the comment."""
    measure = get_object_or_404(
        visible_measures(request.user).with_related().prefetch_related(thread_prefetch()), pk=pk
    )
    changes, record = changes_since(measure, seen_version)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "can_edit": can_edit_measure(request.user, measure),
            "show_contact": True,
            "show_review": True,
            "review_targets": allowed_targets(measure, request.user),
            "can_comment": can_comment(request.user, measure),
            "review_conflict": {"reason": str(refusal), "changes": changes, "record": record},
            "review_draft": {"target": target, "comment": comment},
        },
        status=409,
    )


@login_required
@require_POST
def measure_comment(request, pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=pk
    )
    try:
        add_comment(measure, request.user, review_text(request.POST.get("text", "")))
    except ReviewError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Ihr Kommentar wurde gespeichert.")
    return redirect(f"{measure.get_absolute_url()}#pruefung")

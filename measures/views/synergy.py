"""Synergies: the coordinator's clusters of similar measures, and joining them."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from municipalities import rules

from .. import synergy
from ..models import Measure, Partnership, PartnershipState, ReviewState
from ..partnerships import notify_request, open_requests
from ..permissions import (
    can_answer_partnership,
    can_propose_join,
    can_see_clusters,
    visible_measures,
)
from ..review import ReviewError, after_edit, allowed_targets, may_delete
from ..synergy import recompute_on_commit
from .partnerships import asked_message


def synergy_context(user, measure):
    """What the internal measure page shows about similar measures, consent and withdrawal.

    Reads the stored matches (one query) and the prefetched partnerships.
    """
    targets = allowed_targets(measure, user)
    return {
        "similar": synergy.similar_to(measure),
        "can_join": can_propose_join(user, measure),
        "can_withdraw": ReviewState.WITHDRAWN in targets
        and measure.review_state != ReviewState.DRAFT,
        "can_delete": may_delete(measure, user),
        "my_requests": [
            p
            for p in measure.partnerships.all()
            if p.state == PartnershipState.REQUESTED and can_answer_partnership(user, p)
        ],
        # The measures that went into this joint one, from the prefetched partnerships.
        "joined_partnerships": [
            p for p in measure.partnerships.all() if p.merges_measure_id and p.is_confirmed
        ],
    }


def similar_message(request, measure):
    """After saving: "3 Kommunen planen Ähnliches" (advisory; never blocks saving).

    With a separate worker the new matches may not be stored yet; then the message says so.
    """
    requested = getattr(measure, "_similarity_requested_at", None)
    if requested and not measure.similar.filter(computed_at__gte=requested).exists():
        messages.info(
            request,
            "Das Portal sucht im Hintergrund nach ähnlichen Maßnahmen anderer Kommunen. Gibt "
            "es welche, stehen sie gleich unter „Ähnliche Maßnahmen anderer Kommunen“.",
        )
        return
    count = synergy.similar_bodies_count(measure)
    if not count:
        return
    bodies = "Eine andere Kommune plant" if count == 1 else f"{count} Kommunen planen"
    messages.info(
        request,
        f"{bodies} Ähnliches – siehe „Ähnliche Maßnahmen anderer Kommunen“ auf dieser Seite. "
        "Vielleicht lässt sich die Maßnahme gemeinsam umsetzen.",
    )


# Open requests a dashboard shows; the rest are on the paged list of all requests.
REQUESTS_SHOWN = 10


def partner_requests_context(user, municipality):
    """For a body's dashboard: the first open requests this user may answer, and their total."""
    requests = open_requests(user, municipality)
    shown = list(requests[:REQUESTS_SHOWN])
    count = requests.count() if len(shown) == REQUESTS_SHOWN else len(shown)
    return {"partner_requests": shown, "partner_requests_count": count}


def district_synergy_context(user, municipality):
    """For the district dashboard (internal users): open clusters and the share of joint ones."""
    if municipality is None or not municipality.is_district or not rules.is_internal(user):
        return {}
    joint, total = synergy.joint_share()
    summary = {"clusters": synergy.cluster_count(), "joint": joint, "total": total}
    return {"synergy_summary": summary}


@login_required
def synergies(request):
    if not can_see_clusters(request.user):
        raise PermissionDenied("Die Übersicht der Synergien ist für die Koordinierungsstelle.")
    clusters = synergy.clusters()
    joint, total = synergy.joint_share()
    return render(
        request,
        "measures/synergies.html",
        {"clusters": clusters, "joint": joint, "total": total},
    )


def _ids(raw):
    """Measure ids from ``?measures=1,2,3``; what no database id can be is left out."""
    parts = (part.strip() for part in raw.replace(";", ",").split(","))
    return sorted({int(part) for part in parts if re.fullmatch(r"[0-9]{1,18}", part)})


def _load(request, ids):
    return list(
        visible_measures(request.user)
        .filter(pk__in=ids)
        .exclude(review_state=ReviewState.WITHDRAWN)
        .select_related("lead_municipality")
        .prefetch_related("partnerships")
        .order_by("lead_municipality__tree_path", "pk")
    )


class JoinTitleForm(forms.Form):
    title = forms.CharField(
        label="Neuer Titel der gemeinsamen Maßnahme (optional)",
        max_length=Measure._meta.get_field("title").max_length,
        required=False,
        help_text="Leer lassen, um den bisherigen Titel zu behalten. Der Titel gilt dann für "
        "alle beteiligten Kommunen, zum Beispiel „Dorf-App für die Samtgemeinde Gartow“.",
    )


@login_required
def join(request):
    """Propose to join similar measures: one becomes the joint measure, the other bodies are
    asked to take part; each of their own measures is withdrawn when they confirm."""
    source = request.POST if request.method == "POST" else request.GET
    measures = _load(request, _ids(source.get("measures", "")))
    joint_choices = [m for m in measures if can_propose_join(request.user, m)]
    if not joint_choices:
        raise PermissionDenied(
            "Zusammenlegen kann die Koordinierungsstelle oder die Redaktion der Maßnahme, "
            "die zur gemeinsamen werden soll."
        )
    errors = []
    title_form = JoinTitleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not title_form.is_valid():
            errors.extend(title_form.errors["title"])
        joint = next((m for m in joint_choices if str(m.pk) == source.get("joint")), None)
        chosen = {int(v) for v in source.getlist("others") if v.isdigit()}
        if joint is None:
            errors.append("Bitte wählen Sie die Maßnahme, die zur gemeinsamen wird.")
        else:
            others = [
                m
                for m in measures
                if m.pk in chosen and m.lead_municipality_id != joint.lead_municipality_id
            ]
            if not others:
                errors.append(
                    "Bitte wählen Sie mindestens eine Maßnahme einer anderen Kommune, die in "
                    "der gemeinsamen Maßnahme aufgehen soll."
                )
            elif not errors:
                new_title = title_form.cleaned_data["title"]
                try:
                    asked, title, back_to_review = _ask(joint, others, request.user, new_title)
                except ReviewError as refusal:
                    errors.append(str(refusal))
            if not errors:
                n = len(asked)
                messages.success(
                    request,
                    f"{n} Kommune{'n' if n != 1 else ''} wurde{'n' if n != 1 else ''} "
                    "um Zustimmung gebeten. Sobald sie bestätigen, gehen ihre Maßnahmen in "
                    f"„{title}“ auf."
                    + (
                        " Mit dem neuen Titel geht die Maßnahme erneut in die Prüfung; bis zur "
                        "Annahme verwenden Entwürfe die zuletzt angenommene Fassung."
                        if back_to_review
                        else ""
                    ),
                )
                asked_message(request, asked)
                return redirect(joint)
    return render(
        request,
        "measures/join.html",
        {
            "measures": measures,
            "joint_choices": joint_choices,
            "ids": ",".join(str(m.pk) for m in measures),
            "selected_joint": source.get("joint", str(joint_choices[0].pk)),
            "selected_others": set(source.getlist("others")) or {str(m.pk) for m in measures},
            "errors": errors,
            "title_form": title_form,
        },
        status=400 if errors else 200,
    )


@transaction.atomic
def _ask(joint, others, user, new_title=""):
    """Ask the lead body of each other measure to take part in ``joint``; rename it to
    ``new_title`` if one is given. Returns (bodies asked, title, back to review).

    The measures are locked in the order of their keys (as when a request is answered) and
    must all still be open: a measure withdrawn since the page was loaded cannot join.
    """
    # no_key: comments and requests written meanwhile take a key-share lock on these rows
    # (see partnerships._lock_measures); a full lock would deadlock with a withdrawal.
    locked = Measure.objects.select_for_update(of=("self",), no_key=True).filter(
        pk__in=[joint.pk, *(m.pk for m in others)]
    )
    withdrawn = [m.title for m in locked.order_by("pk") if m.review_state == ReviewState.WITHDRAWN]
    if withdrawn:
        raise ReviewError(
            "Inzwischen zurückgezogen und daher nicht mehr zusammenzulegen: "
            + ", ".join(f"„{title}“" for title in withdrawn)
            + ". Bitte wählen Sie erneut."
        )
    title, back_to_review = joint.title, False
    if new_title and new_title != joint.title:
        title, back_to_review = _rename(joint.pk, new_title, user)
    asked = []
    for other in others:
        partnership, created = Partnership.objects.select_for_update().get_or_create(
            measure=joint,
            municipality=other.lead_municipality,
            defaults={"merges_measure": other},
        )
        if not created:
            if partnership.state == PartnershipState.CONFIRMED:
                continue
            partnership.state = PartnershipState.REQUESTED
            partnership.merges_measure = other
            partnership.decline_reason = ""
            partnership.decided_at = partnership.decided_by = None
            partnership.requested_at = timezone.now()
            partnership.reminded_at = None
            partnership.clear_on_behalf()
            partnership.save(
                update_fields=[
                    "state",
                    "merges_measure",
                    "decline_reason",
                    "decided_at",
                    "decided_by",
                    "requested_at",
                    "reminded_at",
                    "on_behalf_source",
                    "on_behalf_date",
                ]
            )
        notify_request(partnership.pk)
        partnership.municipality = other.lead_municipality
        asked.append(partnership)
    return asked, title, back_to_review


def _rename(pk, title, user):
    """Give the (locked) joint measure its new title as the edit form would: a new version,
    history, review (an accepted measure goes back) and the similarity scored again."""
    # Already locked by _ask (no key): an update of its columns needs no stronger lock.
    measure = Measure.objects.select_for_update(of=("self",), no_key=True).get(pk=pk)
    measure.title = title
    measure.version += 1
    measure.updated_by = user
    measure._history_user = user
    measure.save(update_fields=["title", "version", "updated_by", "updated_at"])
    back_to_review = after_edit(measure, user)
    recompute_on_commit(measure.pk)
    return measure.title, back_to_review

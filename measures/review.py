"""Review of measures by the coordinator: states, allowed transitions, comments, snapshots.

States: draft -> submitted -> accepted, or submitted -> changes requested (with a comment)
-> submitted again. Editors (and the coordinator, who may do everything editors may) submit;
only the coordinator accepts or requests changes. Every other move is refused with a
:class:`ReviewError` that carries a German reason for the UI.

The accepted version of a measure is kept as a JSON snapshot (``Measure.accepted_snapshot``):
strategy drafts are built from it. A *substantive* edit of an accepted measure sends it back
to review (state ``submitted``) while the snapshot stays the accepted one until the coordinator
accepts again. Progress fields (status, money spent, contact function) are not substantive:
they are copied into the accepted snapshot at once, so drafts show the current progress
without another review round.

The states and the thread's model (``ReviewState``, ``ReviewComment``) live in
``measures.models``; this module is the workflow on top of them.
"""

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dispatch
from municipalities.models import Municipality

from . import costs, permissions
from .models import (
    ON_BEHALF_MARK,
    Partnership,
    PartnershipState,
    ReviewComment,
    ReviewState,
    on_behalf_text,
)


class ReviewError(Exception):
    """A refused review transition; ``str(error)`` is the German reason shown to the user."""


# Fields whose change needs a new review. Everything else in the snapshot is progress.
# The actual figures of the cost plan and the state of funding are progress, too.
PROGRESS_FIELDS = (
    "status",
    "status_label",
    "budget_spent",
    "cost_actual",
    "funding",
    "contact_role",
)


def _iso(value):
    return value.isoformat() if value else None


def _money(value):
    return str(value) if value is not None else None


def measure_snapshot(measure):
    """The measure as drafts show it, as JSON-safe data. No personal data (contact name, e-mail).

    Reads ``lead_municipality``, ``field_of_action``, ``partnerships``, ``goals`` and
    ``cost_plan``; use ``Measure.objects.with_related().with_money()`` when snapshotting
    many measures.
    """
    lead = measure.lead_municipality
    plan = list(measure.cost_plan.all())  # one read for the planned and the actual part
    return {
        "id": measure.pk,
        "reference": measure.reference,
        "title": measure.title,
        "summary": measure.summary,
        "description": measure.description,
        "lead": {"id": lead.pk, "name": lead.name, "slug": lead.slug},
        "partners": [
            {
                "id": p.municipality_id,
                "name": p.municipality.name,
                "cost_share_percent": _money(p.cost_share_percent),
                # Consent the coordinator recorded on the body's behalf stays marked, with
                # its source, wherever the snapshot goes (drafts, PDF, API, public).
                **(
                    {"on_behalf": {"source": p.on_behalf_source, "date": _iso(p.on_behalf_date)}}
                    if p.on_behalf
                    else {}
                ),
            }
            # Only partners that agreed; a request never reaches a draft, the PDF or the public.
            for p in sorted(measure.partnerships.all(), key=lambda p: p.municipality.tree_path)
            if p.state == "confirmed"
        ],
        "field_of_action": measure.field_of_action.number,
        "goals": sorted(
            ({"id": g.pk, "title": g.title} for g in measure.goals.all()),
            key=lambda g: (g["title"], g["id"]),
        ),
        "target_groups": [str(group) for group in measure.target_groups],
        "status": measure.status,
        "status_label": str(measure.get_status_display()),
        "priority": measure.priority,
        "priority_label": str(measure.get_priority_display()),
        "planned_start": _iso(measure.planned_start),
        "planned_end": _iso(measure.planned_end),
        "budget_planned": _money(measure.budget_planned),
        "budget_spent": _money(measure.budget_spent),
        "task_kind": measure.task_kind,
        "task_kind_label": str(measure.get_task_kind_display()),
        "budget_product": measure.budget_product,
        "cost_plan": costs.plan_snapshot(plan, "planned"),
        "cost_actual": costs.plan_snapshot(plan, "actual"),
        "funding": costs.funding_snapshot(measure.funding.all()),
        "funding_source": measure.funding_source,
        "contact_role": measure.contact_role,
        "leika_key": measure.leika_key,
    }


# Parts of a measure's reviewed version kept by apps above measures (evaluation: the texts of
# the indicators and the assessments), registered in their AppConfig.ready(): key -> function
# of the measure returning JSON-safe data. measures cannot import those apps.
_parts = {}


def register_part(key, part):
    """Let ``part(measure)`` join every reviewed version under ``key`` (see review_snapshot)."""
    _parts[key] = part
    return part


def review_snapshot(measure):
    """What the coordinator accepts: the measure (measure_snapshot) and the registered parts.

    Stored as ``accepted_snapshot``; drafts freeze it and publication makes it public, so a
    text of an indicator or assessment reaches the public only in the version accepted.
    """
    snapshot = measure_snapshot(measure)
    for key, part in _parts.items():
        snapshot[key] = part(measure)
    return snapshot


def body_labels(snapshots):
    """{pk: label} of the lead and partner bodies named in these snapshots (one query).

    Snapshots store a body's short ``name``; pages show its unambiguous ``label``.
    """
    ids = set()
    for snapshot in snapshots:
        ids.add((snapshot.get("lead") or {}).get("id"))
        ids.update(p.get("id") for p in snapshot.get("partners", []))
    ids.discard(None)
    if not ids:
        return {}
    return dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "label"))


def _labelled(entry, labels):
    return dict(entry, label=labels.get(entry.get("id")) or entry.get("name", ""))


def snapshot_for_display(snapshot, labels=None):
    """A stored snapshot with dates and amounts as Python values, for templates.

    Lead and partners get the body's current ``label`` (``labels`` from ``body_labels``;
    looked up here when not given).
    """
    import datetime
    from decimal import Decimal

    if labels is None:
        labels = body_labels([snapshot])
    shown = dict(snapshot)
    if shown.get("lead"):
        shown["lead"] = _labelled(shown["lead"], labels)
    for key in ("planned_start", "planned_end"):
        shown[key] = datetime.date.fromisoformat(shown[key]) if shown.get(key) else None
    for key in ("budget_planned", "budget_spent"):
        shown[key] = Decimal(shown[key]) if shown.get(key) else None
    shown["partners"] = [
        _labelled(p, labels)
        if not p.get("cost_share_percent")
        else _labelled(dict(p, cost_share_percent=Decimal(p["cost_share_percent"])), labels)
        for p in shown.get("partners", [])
    ]
    for partner in shown["partners"]:
        entry = partner.get("on_behalf")
        if entry:
            partner["on_behalf_text"] = on_behalf_text(entry.get("source"), entry.get("date"))
    return shown


def show_published_version(measures):
    """For public lists: show each measure as published (title, summary, status, dates,
    budget, lead, field of action, partners and the time of the last published change).

    Changes in memory only (never saved). Lead and field come from the columns
    ``public_lead`` and ``public_field``: select them with the measures
    (``Measure.objects.with_related()`` does). Lead and partner names are shown as published
    through ``Measure.lead_name`` and ``Measure.partner_names``.
    """
    measures = list(measures)
    labels = body_labels([m.public_snapshot for m in measures if m.public_snapshot])
    for measure in measures:
        published = measure.public_snapshot
        if not published:
            continue
        shown = snapshot_for_display(published, labels)
        for key in (
            "title",
            "summary",
            "status",
            "planned_start",
            "planned_end",
            "budget_planned",
            "budget_spent",
        ):
            setattr(measure, key, shown.get(key))
        if measure.public_lead_id:
            measure.lead_municipality = measure.public_lead
        if measure.public_field_id:
            measure.field_of_action = measure.public_field
        measure.updated_at = measure.public_changed_at or measure.public_since
        measure._shown_lead_name = (shown.get("lead") or {}).get("label")
        measure._shown_partner_names = [
            p["label"] + (ON_BEHALF_MARK if p.get("on_behalf") else "")
            for p in shown.get("partners", [])
        ]
    return measures


def substantive_part(snapshot):
    return {k: v for k, v in (snapshot or {}).items() if k not in PROGRESS_FIELDS}


# Who may move a measure from one state to another: "editor" (may edit the measure; the
# coordinator included) or "coordinator" (reviews).
TRANSITIONS = {
    (ReviewState.DRAFT, ReviewState.SUBMITTED): "editor",
    (ReviewState.CHANGES_REQUESTED, ReviewState.SUBMITTED): "editor",
    (ReviewState.SUBMITTED, ReviewState.ACCEPTED): "coordinator",
    (ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED): "coordinator",
    **{
        (source, ReviewState.WITHDRAWN): "editor"
        for source in (
            ReviewState.DRAFT,
            ReviewState.SUBMITTED,
            ReviewState.ACCEPTED,
            ReviewState.CHANGES_REQUESTED,
        )
    },
}


def allowed_targets(measure, user):
    """The states this user may move the measure to now (for the buttons on the page)."""
    targets = []
    for (source, target), who in TRANSITIONS.items():
        if source == measure.review_state and _may(user, measure, who):
            targets.append(ReviewState(target))
    return targets


def _may(user, measure, who):
    if who == "coordinator":
        return permissions.can_review(user)
    return permissions.can_submit(user, measure)


def _refusal(measure, user, target):
    """The German reason why this transition is refused, or None when it is allowed."""
    source = ReviewState(measure.review_state)
    target = ReviewState(target)
    if source == target:
        return _("Die Maßnahme ist bereits im Prüfstatus „%(state)s“.") % {"state": target.label}
    who = TRANSITIONS.get((source, target))
    if who is None:
        return _("Vom Prüfstatus „%(source)s“ führt kein Schritt zu „%(target)s“.") % {
            "source": source.label,
            "target": target.label,
        }
    if not user or not user.is_authenticated:
        return _("Bitte melden Sie sich an.")
    if not _may(user, measure, who):
        if who == "coordinator":
            return _("Nur die Koordinierungsstelle kann Maßnahmen annehmen oder zurückgeben.")
        if target == ReviewState.WITHDRAWN:
            return _("Nur die Redaktion der federführenden Kommune kann die Maßnahme zurückziehen.")
        return _("Nur die Redaktion der federführenden Kommune kann diese Maßnahme einreichen.")
    return None


class StaleReviewError(ReviewError):
    """The measure changed after the deciding user loaded it: decide again on what is there."""


def lock(measure):
    """The measure's row, locked until the end of the transaction, as it is now.

    Every change of a measure's state runs under this lock and bumps ``version``, so that an
    edit form or a review decision made on an older version is refused instead of silently
    overwriting or accepting what its user has not seen.
    """
    return (
        type(measure)
        .objects.select_for_update(of=("self",))
        .select_related("lead_municipality", "field_of_action")
        .get(pk=measure.pk)
    )


REVIEW_TEXT_MAX_LENGTH = 10_000


def storable_text(text, what=None):
    """A comment or reason as typed, stripped; ReviewError for what the database cannot store
    (NUL bytes, on PostgreSQL) or nobody types. ``what``: the German subject of the message."""
    what = what or _("Der Text")
    text = (text or "").strip()
    if "\x00" in text:
        raise ReviewError(
            _("%(what)s enthält ein unzulässiges Steuerzeichen (Nullzeichen).") % {"what": what}
        )
    if len(text) > REVIEW_TEXT_MAX_LENGTH:
        raise ReviewError(
            _("%(what)s ist zu lang: höchstens %(max)s Zeichen.")
            % {"what": what, "max": f"{REVIEW_TEXT_MAX_LENGTH:,}".replace(",", ".")}
        )
    return text


@transaction.atomic
def transition_to(measure, target, user, comment="", seen_version=None):
    """Move the measure to ``target`` as ``user``; refuse disallowed moves with ReviewError.

    ``seen_version``: the version the user decided on (posted with the form); when the measure
    has changed since, the move is refused with :class:`StaleReviewError`. Records a comment in
    the review thread, a history entry (the state is a tracked field) and sends the
    notification after the transaction commits. ``measure`` is updated in memory.
    """
    comment = storable_text(comment)
    current = lock(measure)
    reason = _refusal(current, user, target)
    if reason is None and target == ReviewState.CHANGES_REQUESTED and not comment:
        reason = _("Bitte begründen Sie, was an der Maßnahme geändert werden soll.")
    if reason is None and target == ReviewState.WITHDRAWN and not comment:
        reason = _("Bitte geben Sie an, warum die Maßnahme zurückgezogen wird.")
    if reason is not None:
        raise ReviewError(str(reason))
    if seen_version is not None and current.version != seen_version:
        raise StaleReviewError(
            str(
                _(
                    "Die Maßnahme wurde geändert, nachdem Sie sie geöffnet haben. Bitte prüfen "
                    "Sie die aktuelle Fassung und entscheiden Sie erneut; Ihr Kommentar wurde "
                    "nicht gespeichert und steht noch im Formular."
                )
            )
        )
    source = current.review_state
    current.review_state = target
    current.version += 1
    fields = ["review_state", "version", "updated_at"]
    if target == ReviewState.ACCEPTED:
        current.accepted_snapshot = review_snapshot(current)
        current.accepted_at = timezone.now()
        fields += ["accepted_snapshot", "accepted_at"]
    current._history_user = user
    current.save(update_fields=fields)
    for name in (*fields, "updated_at"):
        setattr(measure, name, getattr(current, name))
    entry = ReviewComment.objects.create(
        measure=current, author=user, text=comment, from_state=source, to_state=target
    )
    _notify_on_commit(entry)
    return entry


@transaction.atomic
def withdraw(measure, user, reason, joined_into=None):
    """Withdraw a measure ("zurückgezogen") with a reason; its history and versions stay.

    A withdrawn measure never enters a draft (drafts/snapshot.py) and counts on no dashboard
    (``MeasureQuerySet.concerning``). ``joined_into``: the joint measure it went into.
    """
    entry = transition_to(measure, ReviewState.WITHDRAWN, user, reason)
    if joined_into is not None:
        measure.joined_into = joined_into
        measure._history_user = user
        measure.save(update_fields=["joined_into"])
    end_open_requests(measure, user, entry.text)
    restore_joined(measure, user, entry.text)
    return entry


def joined_measures(measure):
    """The measures that went into ``measure`` by a confirmed join (withdrawn, linked to it)."""
    return (
        measure.joined_measures.filter(review_state=ReviewState.WITHDRAWN)
        .select_related("lead_municipality")
        .order_by("pk")
    )


def restore_joined(joint, user, reason):
    """A withdrawn joint measure gives back the measures that went into it.

    Each returns to the review state it had before the join (its last withdrawal's source),
    unlinked, with an entry in its thread and a notice to its body: a partner's measure never
    vanishes with a measure it no longer controls. Runs under the lock of the joint measure;
    the joined measures are locked in key order, as answering a join does.
    """
    for own in joined_measures(joint).select_for_update(of=("self",)):
        last = (
            own.review_comments.filter(to_state=ReviewState.WITHDRAWN)
            .order_by("-created_at", "-pk")
            .first()
        )
        state = last.from_state if last and last.from_state else ReviewState.DRAFT
        own.review_state = state
        own.joined_into = None
        own.version += 1
        own._history_user = user
        own.save(update_fields=["review_state", "joined_into", "version", "updated_at"])
        entry = ReviewComment.objects.create(
            measure=own,
            author=user,
            text=str(
                _(
                    "Wieder aufgenommen: Die gemeinsame Maßnahme %(ref)s „%(title)s“, in der "
                    "diese Maßnahme aufgegangen war, wurde zurückgezogen (%(reason)s)."
                )
            )
            % {"ref": joint.reference, "title": joint.title, "reason": reason},
            from_state=ReviewState.WITHDRAWN,
            to_state=state,
        )
        _notify_on_commit(entry)


def end_open_requests(measure, user, reason):
    """A withdrawn measure ends the open requests it is part of, with the reason.

    Requests to take part in it, and requests to join it into another body's measure: none
    of them can be confirmed any more (``partnerships.join_refusal``). They count as declined,
    and the partner body finds the reason on the request and in its own measure's thread.
    Runs under the lock of the withdrawn measure, before the requests' rows are locked, the
    same order as answering a request.
    """
    ended = (
        Partnership.objects.select_for_update(of=("self",))
        .filter(state=PartnershipState.REQUESTED)
        .filter(models.Q(measure=measure) | models.Q(merges_measure=measure))
        .select_related("measure", "merges_measure", "municipality")
        .order_by("pk")
    )
    for partnership in ended:
        if partnership.measure_id == measure.pk:
            text = _("Die Maßnahme „%(title)s“ wurde zurückgezogen: %(reason)s")
        else:
            text = _(
                "Die Maßnahme „%(title)s“, die aufgehen sollte, wurde zurückgezogen: %(reason)s"
            )
        text = str(text % {"title": measure.title, "reason": reason})
        partnership.state = PartnershipState.DECLINED
        partnership.decided_at = timezone.now()
        partnership.decided_by = user
        partnership.decline_reason = text
        partnership._history_user = user
        partnership.save(update_fields=["state", "decided_at", "decided_by", "decline_reason"])
        for other in (partnership.measure, partnership.merges_measure):
            if other is not None and other.pk != measure.pk:
                ReviewComment.objects.create(
                    measure=other,
                    author=user,
                    text=str(_("Anfrage an %(body)s beendet. %(text)s"))
                    % {"body": partnership.municipality, "text": text},
                )


def may_delete(measure, user):
    """A measure that was never submitted may be deleted by its editors (with confirmation)."""
    return measure.review_state == ReviewState.DRAFT and permissions.can_edit_measure(user, measure)


def add_comment(measure, user, text):
    """A reply in the review thread without a change of state."""
    text = (text or "").strip()
    if not permissions.can_comment(user, measure):
        raise ReviewError(str(_("Sie dürfen zu dieser Maßnahme keine Prüfkommentare schreiben.")))
    if not text:
        raise ReviewError(str(_("Bitte geben Sie einen Kommentar ein.")))
    return ReviewComment.objects.create(measure=measure, author=user, text=text)


@transaction.atomic
def after_edit(measure, user):
    """Called after every save through the edit form, in its transaction, on the locked row.

    Keeps the accepted snapshot's progress fields current and sends an accepted measure back
    to review when its substance changed. Returns True when it went back to review.
    """
    if measure.accepted_snapshot is None:
        return False
    current = review_snapshot(measure)
    accepted = dict(measure.accepted_snapshot)
    for key in PROGRESS_FIELDS:
        accepted[key] = current.get(key)
    back_to_review = measure.review_state == ReviewState.ACCEPTED and substantive_part(
        current
    ) != substantive_part(accepted)
    if accepted == measure.accepted_snapshot and not back_to_review:
        return False
    measure.accepted_snapshot = accepted
    fields = ["accepted_snapshot", "updated_at"]
    if back_to_review:
        measure.review_state = ReviewState.SUBMITTED
        fields.append("review_state")
    measure._history_user = user
    measure.save(update_fields=fields)
    if back_to_review:
        entry = ReviewComment.objects.create(
            measure=measure,
            author=user,
            text=str(
                _(
                    "Inhaltlich geändert: erneut zur Prüfung vorgelegt. Bis zur Annahme "
                    "verwenden Entwürfe die zuletzt angenommene Fassung."
                )
            ),
            from_state=ReviewState.ACCEPTED,
            to_state=ReviewState.SUBMITTED,
        )
        _notify_on_commit(entry)
    return back_to_review


@transaction.atomic
def after_part_edit(measure, user):
    """Called by the apps of registered parts after their text changed (an indicator created,
    edited or deleted, an assessment added), in their transaction.

    Bumps the measure's version, so that a review decision made on the page before the change
    is refused (StaleReviewError), and sends an accepted measure back to review like an edit
    of its own fields does (after_edit). Returns True when it went back to review.
    """
    current = lock(measure)
    type(current).objects.filter(pk=current.pk).update(version=F("version") + 1)
    current.version += 1
    back_to_review = after_edit(current, user)
    for name in ("version", "review_state", "accepted_snapshot"):
        setattr(measure, name, getattr(current, name))
    return back_to_review


def _notify_on_commit(entry):
    dispatch.on_commit("measures.send_review_notification", entry.pk)

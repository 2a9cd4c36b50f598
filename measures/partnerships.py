"""Consent of partner bodies: requests, confirmation, decline, and what follows from them.

A partnership starts "angefragt" (requested) when the lead's editors name a partner (measure
form) or when a join of similar measures asks another body (``measures/views/synergy.py``).
Only an editor of the partner body answers (``permissions.can_answer_partnership``); the
coordinator may record the body's answer on its behalf only with its source ("Schreiben vom",
"Beschluss des Rates vom", "E-Mail vom" and a date), marked wherever the answer is shown and
logged (history and the security log). On confirmation the partner counts on dashboards,
lists, drafts and, after the next publication, on public pages; a join also withdraws the
partner's own similar measure with a link to the joint one.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dispatch
from core.security import log_event
from municipalities import acting
from municipalities.models import Municipality

from .models import (
    AnswerSource,
    Measure,
    Partnership,
    PartnershipState,
    ReviewComment,
    ReviewState,
    on_behalf_text,
)
from .permissions import can_answer_partnership, can_record_on_behalf, edits_as_member
from .review import ReviewError, measure_snapshot, storable_text, withdraw
from .synergy import recompute_on_commit


def open_requests(user, municipality=None):
    """Open requests the user may answer (a queryset, oldest first), optionally only those
    addressed to ``municipality`` (and, for a Samtgemeinde, its members).

    In SQL what ``permissions.can_answer_partnership`` says (``acting.bodies_answered_by``):
    requests to a body the user is an editor of, or to a member of a Samtgemeinde the user is
    an editor of. The coordinator's general right to edit does not count (consent must come
    from the body itself).
    """
    requests = Partnership.objects.filter(
        state=PartnershipState.REQUESTED, municipality__in=acting.bodies_answered_by(user)
    )
    if municipality is not None and not municipality.is_district:
        requests = requests.filter(
            Q(municipality=municipality) | Q(municipality__parent=municipality)
        )
    return requests.select_related(
        "municipality", "municipality__parent", "measure__lead_municipality", "merges_measure"
    ).order_by("requested_at", "pk")


def all_open_requests(nobody_only=False):
    """Every open request of the district (the coordinator's list), oldest first, each with
    ``nobody_can_answer`` (``Municipality.objects.nobody_can_answer``, in SQL)."""
    nobody = Municipality.objects.nobody_can_answer().filter(pk=OuterRef("municipality_id"))
    requests = Partnership.objects.filter(state=PartnershipState.REQUESTED).annotate(
        nobody_can_answer=Exists(nobody)
    )
    if nobody_only:
        requests = requests.filter(nobody_can_answer=True)
    return requests.select_related(
        "municipality", "municipality__parent", "measure__lead_municipality", "merges_measure"
    ).order_by("requested_at", "pk")


def open_requests_summary():
    """(open requests, of them to bodies nobody can answer for): one query."""
    nobody = Municipality.objects.nobody_can_answer().filter(pk=OuterRef("municipality_id"))
    counts = (
        Partnership.objects.filter(state=PartnershipState.REQUESTED)
        .annotate(nobody_can_answer=Exists(nobody))
        .aggregate(total=Count("pk"), nobody=Count("pk", filter=Q(nobody_can_answer=True)))
    )
    return counts["total"], counts["nobody"]


def nobody_can_answer_among(partnerships):
    """The ids of the bodies asked by these open requests that nobody can answer for (one
    query, none without open requests): the measure page says so next to the request."""
    asked = {p.municipality_id for p in partnerships if p.state == PartnershipState.REQUESTED}
    if not asked:
        return set()
    return set(
        Municipality.objects.nobody_can_answer().filter(pk__in=asked).values_list("pk", flat=True)
    )


def notify_request(partnership_pk):
    dispatch.on_commit("measures.send_partnership_request", partnership_pk)


def refresh_snapshot_partners(measure):
    """Keep the accepted version's partner list equal to the confirmed partners.

    Consent is the partner's answer to a request the lead made, not an edit of the measure:
    it changes the accepted version at once, without another review round.
    """
    if not measure.accepted_snapshot:
        return
    measure = Measure.objects.with_related().get(pk=measure.pk)
    partners = measure_snapshot(measure)["partners"]
    if measure.accepted_snapshot.get("partners") == partners:
        return
    accepted = dict(measure.accepted_snapshot, partners=partners)
    Measure.objects.filter(pk=measure.pk).update(accepted_snapshot=accepted)


def _locked(partnership, user, confirming=False, source=None):
    """The partnership row, locked, after the measures of its join (see ``_lock_measures``).

    ``confirming``: also refuse when the measures can no longer join (``join_refusal``).
    ``source``: the coordinator records the answer on the body's behalf (:class:`Source`).
    """
    measures = _lock_measures(partnership)
    locked = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("municipality", "measure", "merges_measure")
        .get(pk=partnership.pk)
    )
    if source is not None:
        if not can_record_on_behalf(user, locked):
            raise ReviewError(
                _(
                    "Nur die Koordinierungsstelle kann eine Antwort im Auftrag der Kommune "
                    "eintragen."
                )
            )
    elif not can_answer_partnership(user, locked):
        raise ReviewError(
            _("Nur die Redaktion der angefragten Kommune kann die Beteiligung beantworten.")
        )
    if locked.merges_measure_id not in (None, *measures) or locked.measure_id not in measures:
        raise ReviewError(_("Die Anfrage wurde inzwischen geändert. Bitte öffnen Sie sie erneut."))
    joint, own = measures[locked.measure_id], measures.get(locked.merges_measure_id)
    refusal = join_refusal(joint, own) if confirming else None
    if refusal:
        raise ReviewError(refusal)
    if locked.state != PartnershipState.REQUESTED:
        raise ReviewError(
            _("Diese Anfrage ist bereits beantwortet (%(state)s).")
            % {"state": locked.get_state_display()}
        )
    locked.measure = joint
    if own is not None:
        locked.merges_measure = own
    return locked


def _lock_measures(partnership):
    """Lock the joint measure and the partner's own measure, in the order of their keys.

    A withdrawal locks its measure before it ends the open requests of that measure
    (``review.withdraw``); answering locks the measures before the request, in a fixed order,
    so that a withdrawal and a confirmation never cross and never deadlock. ``no_key``: the
    withdrawal of one of them writes a comment referring to the other, which needs only a key
    share lock on it; a plain ``FOR UPDATE`` here would wait for that and that for us.
    """
    ids = (
        Partnership.objects.filter(pk=partnership.pk)
        .values_list("measure_id", "merges_measure_id")
        .first()
    )
    if ids is None:
        raise ReviewError(_("Diese Anfrage gibt es nicht mehr."))
    return {
        m.pk: m
        for m in Measure.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lead_municipality")
        .filter(pk__in=[pk for pk in ids if pk is not None])
        .order_by("pk")
    }


def join_refusal(joint, own):
    """Why the join of ``own`` into ``joint`` cannot be confirmed now (German), or None.

    Both measures must still be open: a withdrawn joint measure would take the partner's
    own measure with it, out of every draft and overview.
    """
    if joint.review_state == ReviewState.WITHDRAWN:
        text = _(
            "Die gemeinsame Maßnahme „%(joint)s“ wurde inzwischen von der federführenden "
            "Kommune zurückgezogen. Eine Beteiligung ist nicht mehr möglich."
        ) % {"joint": joint.title}
        if own is not None:
            text += " " + _("Ihre Maßnahme „%(own)s“ bleibt unverändert bestehen.") % {
                "own": own.title
            }
        return text
    if own is not None and own.review_state == ReviewState.WITHDRAWN:
        return _(
            "Ihre Maßnahme „%(own)s“ ist bereits zurückgezogen und kann daher nicht mehr in "
            "der gemeinsamen Maßnahme „%(joint)s“ aufgehen."
        ) % {"own": own.title, "joint": joint.title}
    return None


@dataclass(frozen=True)
class Source:
    """What the coordinator relies on when answering on a body's behalf: kind and date."""

    kind: str
    date: datetime.date

    @property
    def text(self):
        return on_behalf_text(self.kind, self.date)


#: Sources dated before this year are typing errors (the portal records current decisions).
EARLIEST_SOURCE_YEAR = 1900


def clean_source(kind, day, today=None):
    """A :class:`Source` from what the form gave, or ReviewError with a German reason.

    ``day``: a ``date`` (or None when the form could not read one). Not in the future, not
    before 1900.
    """
    if kind not in AnswerSource.values:
        raise ReviewError(
            _(
                "Bitte geben Sie die Quelle der Antwort an: Schreiben, Beschluss des Rates "
                "oder E-Mail der Kommune."
            )
        )
    if not isinstance(day, datetime.date):
        raise ReviewError(_("Bitte geben Sie das Datum der Quelle an (TT.MM.JJJJ)."))
    today = today or timezone.localdate()
    if day > today:
        raise ReviewError(_("Das Datum der Quelle liegt in der Zukunft. Bitte prüfen Sie es."))
    if day.year < EARLIEST_SOURCE_YEAR:
        raise ReviewError(_("Das Datum der Quelle liegt vor 1900. Bitte prüfen Sie es."))
    return Source(kind=kind, date=day)


def _answer(partnership, user, state, reason="", source=None):
    partnership.state = state
    partnership.decided_at = timezone.now()
    partnership.decided_by = user
    partnership.decline_reason = reason
    partnership.on_behalf_source = source.kind if source else ""
    partnership.on_behalf_date = source.date if source else None
    partnership._history_user = user
    partnership.save(
        update_fields=[
            "state",
            "decided_at",
            "decided_by",
            "decline_reason",
            "on_behalf_source",
            "on_behalf_date",
        ]
    )
    if source is not None:
        log_event(
            "partnership_answered_on_behalf",
            f"partnership {partnership.pk} {state} on behalf of municipality "
            f"{partnership.municipality_id} by {user.get_username()!r}",
            actor=user.get_username(),
            partnership_id=partnership.pk,
            measure_id=partnership.measure_id,
            municipality_id=partnership.municipality_id,
            state=state,
            source=source.kind,
            source_date=source.date.isoformat(),
        )


def _on_behalf_prefix(source):
    """ "Im Auftrag (eingetragen … auf Grund: Schreiben vom …): " for the thread."""
    return f"Im Auftrag ({source.text}): " if source is not None else ""


@transaction.atomic
def confirm(partnership, user, source=None):
    """The partner agrees. A join withdraws the partner's own measure, linking the joint one.

    ``source``: recorded by the coordinator on the body's behalf (:func:`clean_source`).
    """
    partnership = _locked(partnership, user, confirming=True, source=source)
    _answer(partnership, user, PartnershipState.CONFIRMED, source=source)
    joint = partnership.measure
    own = partnership.merges_measure
    ReviewComment.objects.create(
        measure=joint,
        author=user,
        text=_on_behalf_prefix(source)
        + _("%(body)s hat die Beteiligung bestätigt.") % {"body": partnership.municipality},
    )
    if own is not None:
        # On the body's behalf the coordinator (who may edit every measure) withdraws it.
        if source is None and not edits_as_member(user, own.lead_municipality):
            raise ReviewError(_("Die eigene Maßnahme gehört nicht zur angefragten Kommune."))
        withdraw(
            own,
            user,
            _(
                "Aufgegangen in der gemeinsamen Maßnahme %(ref)s „%(title)s“ unter "
                "Federführung von %(lead)s."
            )
            % {"ref": joint.reference, "title": joint.title, "lead": joint.lead_municipality},
            joined_into=joint,
        )
    refresh_snapshot_partners(joint)
    _after_answer(partnership)
    return partnership


@transaction.atomic
def decline(partnership, user, reason, source=None):
    reason = storable_text(reason, _("Die Begründung"))
    if not reason:
        raise ReviewError(
            _("Bitte begründen Sie die Ablehnung, damit die Federführung sie versteht.")
        )
    partnership = _locked(partnership, user, source=source)
    _answer(partnership, user, PartnershipState.DECLINED, reason, source=source)
    ReviewComment.objects.create(
        measure=partnership.measure,
        author=user,
        text=_on_behalf_prefix(source)
        + _("%(body)s hat die Beteiligung abgelehnt: %(reason)s")
        % {"body": partnership.municipality, "reason": reason},
    )
    refresh_snapshot_partners(partnership.measure)
    _after_answer(partnership)
    return partnership


def _after_answer(partnership):

    dispatch.on_commit("measures.send_partnership_answer", partnership.pk)
    recompute_on_commit(partnership.measure_id)
    if partnership.merges_measure_id:
        recompute_on_commit(partnership.merges_measure_id)

"""The Abstimmung of a frozen draft version with the bodies of the district.

Every step checks its rules here and refuses with a :class:`DraftError` (German reason).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone

from core import dispatch
from core.dashboard import Task
from core.security import log_event
from core.validators import MIN_YEAR
from municipalities import acting
from municipalities.models import Municipality, MunicipalityKind, Role

from .models import (
    Consultation,
    DraftState,
    EntryKind,
    MeasureRemark,
    Position,
    SourceKind,
    Stance,
    StrategyDraft,
    source_label,
)
from .permissions import can_manage_drafts
from .workflow import DraftError, request_render

logger = logging.getLogger(__name__)


def consulted_bodies():
    """Every body that gives a position: the Samtgemeinden and the Gemeinden, not the district."""
    return (
        Municipality.objects.exclude(kind=MunicipalityKind.DISTRICT)
        .select_related("parent")
        .order_by("tree_path")
    )


def answerable_bodies(user, consultation):
    """Bodies this user may record a position for: those it answers for (own body; a
    Samtgemeinde's editor also its members, municipalities.acting); the coordinator every
    consulted body, on the body's behalf and with a source only (see ``entry_kind``)."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if can_manage_drafts(user):
        return consulted_bodies()
    return (
        acting.bodies_answered_by(user)
        .exclude(kind=MunicipalityKind.DISTRICT)
        .select_related("parent")
        .order_by("tree_path")
    )


def _own_editor(user, body):
    return acting.can_act(user) and any(
        m.role == Role.EDITOR and m.municipality_id == body.pk for m in acting.memberships(user)
    )


def entry_kind(user, body):
    """How the user enters the body's position: as its own editor, as its Samtgemeinde's
    editor, or as the coordinator on its behalf; None when not at all."""
    if body is None or body.kind == MunicipalityKind.DISTRICT:
        return None
    if _own_editor(user, body):
        return EntryKind.OWN
    if acting.answers_for(user, body):
        return EntryKind.ADMINISTRATION
    if can_manage_drafts(user):
        return EntryKind.COORDINATOR
    return None


def may_replace(existing, kind):
    """A body's own editors may change anything entered for it; anyone else only what was
    entered the same way (a Samtgemeinde never replaces the member's own position, the
    coordinator never one the body or its Samtgemeinde gave)."""
    return existing is None or kind == EntryKind.OWN or existing.entered_as == kind


def kept_reason(position):
    """Why the position stays as it is, in German (for the refusal and the read-only row)."""
    body = position.municipality
    if position.entered_as == EntryKind.OWN:
        who = f"{body} hat selbst Stellung genommen"
    elif position.entered_as == EntryKind.ADMINISTRATION:
        who = f"Die Stellungnahme von {body} hat die {body.parent} eingetragen"
    else:
        who = f"Die Stellungnahme von {body} hat die Koordinierungsstelle eingetragen"
    return f"{who} ({position.get_stance_display()}); sie wird nicht ersetzt."


def check_source(source, today=None):
    """The source of a position entered on a body's behalf: (kind, date), date 1900..today."""
    today = today or timezone.localdate()
    kind, day = source if source else (None, None)
    if kind not in SourceKind.values or day is None:
        raise DraftError(
            "Eine Stellungnahme im Auftrag einer Kommune braucht ihre Quelle: Schreiben, "
            "Ratsbeschluss oder E-Mail der Kommune, mit Datum."
        )
    if day.year < MIN_YEAR or day > today:
        raise DraftError(
            "Das Datum der Quelle muss zwischen 1900 und heute liegen; bitte prüfen Sie es."
        )
    return kind, day


def _store(locked, user, body, kind, stance, text, remarks, *, source=None, follows=False):
    """Create or change the body's position, refusing to replace what ``may_replace`` keeps;
    a Samtgemeinde's change carries over to the members that follow it."""
    existing = (
        Position.objects.select_related("municipality__parent")
        .filter(consultation=locked, municipality=body)
        .first()
    )
    if not may_replace(existing, kind):
        raise DraftError(kept_reason(existing))
    position = existing or Position(consultation=locked, municipality=body)
    position.stance = stance
    position.text = text
    position.submitted_by = user
    position.submitted_at = timezone.now()
    position.entered_as = kind
    position.follows_samtgemeinde = follows
    position.source_kind, position.source_date = source or ("", None)
    position.save()
    position.remarks.all().delete()
    MeasureRemark.objects.bulk_create(
        MeasureRemark(position=position, measure_id=measure_id, text=remark)
        for measure_id, remark in sorted(remarks.items())
    )
    if body.kind == MunicipalityKind.SAMTGEMEINDE:
        for follower in Position.objects.filter(
            consultation=locked, municipality__parent=body, follows_samtgemeinde=True
        ).exclude(stance=stance):
            follower.stance = stance
            follower.save(update_fields=["stance", "updated_at"])
    return position


def _lock_open(consultation):
    # The consultation row is the lock: closing and submitting never interleave.
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.accepts_positions():
        raise DraftError(
            "Die Abstimmung ist abgeschlossen oder die Frist ist abgelaufen; Stellungnahmen "
            "können nicht mehr geändert werden."
        )
    return locked


def _check_stance(stance):
    if stance not in Stance.values:
        raise DraftError("Bitte wählen Sie Zustimmung, Zustimmung mit Anmerkungen oder Ablehnung.")


def _count(number, one, many):
    return f"{number} {one if number == 1 else many}"


def _person(user):
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class MailPlan:
    """Who gets which e-mail about an Abstimmung (municipalities.acting.notice_plan): one
    e-mail for each set of people told about the same bodies (a Samtgemeinde's editors
    together), and the bodies nobody can be told about."""

    mails: tuple  # ((users, bodies), ...)
    untold: tuple

    @classmethod
    def for_bodies(cls, bodies):
        by_user, untold = acting.notice_plan(bodies)
        groups = {}
        for user, own in by_user.items():
            key = tuple(body.pk for body in own)
            groups.setdefault(key, ([], own))[0].append(user)
        return cls(
            mails=tuple((tuple(users), tuple(own)) for users, own in groups.values()),
            untold=tuple(untold),
        )

    @property
    def people(self):
        return sum(len(users) for users, _ in self.mails)

    @property
    def told(self):
        return sum(len(own) for _, own in self.mails)

    def summary(self, done=True):
        """„3 E-Mails an 5 Personen für 28 von 30 Kommunen: …“; then the untold bodies
        (``done``: after sending, else as a preview on a confirmation page)."""
        total = self.told + len(self.untold)
        if not self.mails:
            text = f"keine E-Mail, denn für keine der {_count(total, 'Kommune', 'Kommunen')} "
            text += "ist jemand erreichbar."
        else:
            of = f"{self.told} von {total}" if self.untold else str(total)
            parts = [
                f"an {', '.join(_person(u) for u in users)} für {', '.join(str(b) for b in own)}"
                for users, own in self.mails
            ]
            text = (
                f"{_count(len(self.mails), 'E-Mail', 'E-Mails')} an "
                f"{_count(self.people, 'Person', 'Personen')} für {of} "
                f"{'Kommune' if total == 1 else 'Kommunen'}: {'; '.join(parts)}."
            )
        if self.untold:
            text += (
                f" Niemand {'wurde' if done else 'wird'} benachrichtigt für "
                f"{', '.join(str(b) for b in self.untold)}: "
                "Diese Kommunen haben keine Redaktion, auch nicht bei ihrer Samtgemeinde. "
                "Bitte laden Sie dort jemanden ein oder bitten Sie die Kommune auf anderem Weg "
                "um ihre Stellungnahme."
            )
        return text

    @property
    def preview(self):
        return self.summary(done=False)


def missing_bodies(consultation):
    """The consulted bodies without a position yet, in tree order."""
    return [body for body, position in status_rows(consultation) if position is None]


def latest_deadline(draft):
    """The last day the Abstimmung may run without a confirmation, and why:
    (day, reason) or (None, "") when the draft sets no date.

    The positions must be in before the first meeting of the Beratungsfolge (Kreisausschuss,
    then Kreistag) and by the day the draft is due at the Kreistag.
    """
    limits = []
    meetings = [
        (draft.committee_meeting_date, "der Sitzung des Kreisausschusses"),
        (draft.council_meeting_date, "der Sitzung des Kreistags"),
    ]
    meetings = [(day, name) for day, name in meetings if day]
    if meetings:
        day, name = min(meetings)
        limits.append(
            (
                day - datetime.timedelta(days=1),
                f"vor {name} am {formats.date_format(day, 'j. F Y')}",
            )
        )
    if draft.deadline:
        limits.append(
            (
                draft.deadline,
                "bis zur Vorlage beim Kreistag (Frist: "
                f"{formats.date_format(draft.deadline, 'j. F Y')})",
            )
        )
    return min(limits) if limits else (None, "")


def default_deadline(draft=None, today=None):
    """DRAFTS_CONSULTATION_DEFAULT_DAYS from today, but ending by ``latest_deadline``
    (where that still lies ahead)."""
    today = today or timezone.localdate()
    usual = today + datetime.timedelta(days=settings.DRAFTS_CONSULTATION_DEFAULT_DAYS)
    limit, _reason = latest_deadline(draft) if draft is not None else (None, "")
    if limit is not None and today <= limit < usual:
        return limit
    return usual


@transaction.atomic
def open_consultation(draft, user, deadline):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle eröffnet eine Abstimmung.")
    draft = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=draft.pk)
    if draft.state != DraftState.FROZEN:
        raise DraftError(
            "Eine Abstimmung gibt es nur für einen eingefrorenen, noch nicht vorgelegten Entwurf."
        )
    if Consultation.objects.filter(draft=draft).exists():
        raise DraftError("Zu diesem Entwurf gibt es schon eine Abstimmung.")
    if deadline < timezone.localdate():
        raise DraftError("Die Frist kann nicht in der Vergangenheit liegen.")
    consultation = Consultation.objects.create(draft=draft, deadline=deadline, opened_by=user)
    consultation.mail_plan = MailPlan.for_bodies(consulted_bodies())
    consultation.mail_dispatch = dispatch.on_commit(
        "drafts.send_consultation_opened", consultation.pk
    )
    return consultation


@transaction.atomic
def remind_now(consultation, user):
    """The coordinator reminds the bodies without a position now: (MailPlan, Dispatch); the
    dispatch says after the commit whether the mails were queued."""
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle erinnert an die Abstimmung.")
    locked = _lock_open(consultation)
    missing = missing_bodies(locked)
    if not missing:
        raise DraftError("Alle Kommunen haben Stellung genommen; niemand muss erinnert werden.")
    plan = MailPlan.for_bodies(missing)
    dispatch_ = dispatch.on_commit(
        "drafts.send_consultation_reminder", locked.pk, [b.pk for b in missing]
    )
    return plan, dispatch_


@transaction.atomic
def submit_position(consultation, user, municipality, stance, text, remarks, source=None):
    """Record or change one body's position; ``remarks`` maps snapshot measure ids to text.

    The coordinator enters it on the body's behalf only with ``source`` = (SourceKind, date),
    and never replaces a position the body or its Samtgemeinde gave; the entry is logged.
    """
    kind = entry_kind(user, municipality)
    if kind is None:
        raise DraftError("Für diese Kommune dürfen Sie keine Stellungnahme abgeben.")
    locked = _lock_open(consultation)
    _check_stance(stance)
    source = check_source(source) if kind == EntryKind.COORDINATOR else None
    position = _store(locked, user, municipality, kind, stance, text, remarks, source=source)
    if kind == EntryKind.COORDINATOR:
        log_event(
            "position_on_behalf",
            f"position of body {municipality.pk} entered on its behalf",
            actor=user.get_username(),
            consultation=locked.pk,
            municipality=municipality.pk,
            stance=stance,
            source=source_label(*source),
        )
    return position


@transaction.atomic
def submit_group(consultation, user, samtgemeinde, stance, text, remarks, members):
    """A Samtgemeinde's position and its members' in one save, all or nothing.

    ``members`` maps member ids to None ("wie die Samtgemeinde") or (stance, text); members
    left out keep their position. A member's position that its own editors (or the
    coordinator, from a source) gave is never replaced: the form shows it read-only.
    """
    if samtgemeinde.kind != MunicipalityKind.SAMTGEMEINDE or not _own_editor(user, samtgemeinde):
        raise DraftError(
            "Gemeinsam für die Mitgliedsgemeinden antwortet nur die Redaktion der Samtgemeinde."
        )
    bodies = {
        b.pk: b for b in Municipality.objects.filter(parent=samtgemeinde).select_related("parent")
    }
    if set(members) - set(bodies):
        raise DraftError(
            f"Das Formular nennt eine Kommune, die nicht zur {samtgemeinde} gehört. Bitte laden "
            "Sie die Seite neu."
        )
    locked = _lock_open(consultation)
    _check_stance(stance)
    for choice in members.values():
        if choice is not None:
            _check_stance(choice[0])
    own = _store(locked, user, samtgemeinde, EntryKind.OWN, stance, text, remarks)
    for pk, choice in sorted(members.items()):
        body = bodies[pk]
        kind = entry_kind(user, body)
        if choice is None:
            _store(locked, user, body, kind, stance, "", {}, follows=True)
        else:
            _store(locked, user, body, kind, choice[0], choice[1], {})
    return own


def status_rows(consultation):
    """(body, position or None) for every consulted body, in tree order; two queries."""
    positions = {
        p.municipality_id: p
        for p in consultation.positions.select_related(
            "submitted_by", "municipality__parent"
        ).prefetch_related("remarks")
    }
    return [(body, positions.get(body.pk)) for body in consulted_bodies()]


def counts(rows):
    result = dict.fromkeys(Stance.values, 0)
    result["none"] = 0
    for _, position in rows:
        result[position.stance if position else "none"] += 1
    return result


def measure_titles(draft):
    """{snapshot measure id: (reference, title, lead body)} of the consulted version."""
    snapshot = draft.snapshot or {}
    return {
        m["id"]: (m["reference"], m["title"], m["lead"].get("label") or m["lead"]["name"])
        for m in snapshot.get("measures", [])
    }


REMOVED_MEASURE = ("", "Maßnahme entfernt", "")


def build_result(consultation, rows, titles):
    """The frozen result: what the PDF annex and the public page show (no personal data)."""
    return {
        "deadline": consultation.deadline.isoformat(),
        "closed_at": consultation.closed_at.isoformat(),
        "counts": counts(rows),
        "bodies": [
            {
                "id": body.pk,
                "name": str(body),
                "stance": position.stance if position else None,
                "stance_label": str(position.get_stance_display()) if position else None,
                "text": position.text if position else "",
                "submitted_on": (
                    timezone.localdate(position.submitted_at).isoformat() if position else None
                ),
                "entered": position.entry_note() if position else "",
                "follows_samtgemeinde": bool(position and position.follows_samtgemeinde),
                "remarks": [
                    {
                        "measure_id": remark.measure_id,
                        "reference": titles.get(remark.measure_id, REMOVED_MEASURE)[0],
                        "title": titles.get(remark.measure_id, REMOVED_MEASURE)[1],
                        "lead": titles.get(remark.measure_id, REMOVED_MEASURE)[2],
                        "text": remark.text,
                    }
                    for remark in (position.remarks.all() if position else [])
                ],
            }
            for body, position in rows
        ],
    }


@transaction.atomic
def close(consultation, user):
    """Make every position final, freeze the result and render the PDF again with it."""
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle schließt eine Abstimmung ab.")
    locked = (
        Consultation.objects.select_for_update().select_related("draft").get(pk=consultation.pk)
    )
    if locked.is_closed:
        raise DraftError("Diese Abstimmung ist bereits abgeschlossen.")
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.result = build_result(locked, status_rows(locked), measure_titles(locked.draft))
    locked.save(update_fields=["closed_at", "closed_by", "result", "updated_at"])
    # Supersede: a render still running shows the open Abstimmung; its file is thrown away.
    locked.render_dispatch = request_render(locked.draft, user, supersede=True).render_dispatch
    return locked


def dashboard_tasks(user, municipality):
    """An open Abstimmung on the dashboard of a body the user answers for (one query)."""
    if municipality.kind == MunicipalityKind.DISTRICT or not acting.answers_for(user, municipality):
        return []
    today = timezone.localdate()
    answered = Position.objects.filter(consultation=OuterRef("pk"), municipality=municipality)
    open_ones = (
        Consultation.objects.filter(closed_at__isnull=True, deadline__gte=today)
        .annotate(answered=Exists(answered))
        .select_related("draft")
        .only("pk", "deadline", "draft_id", "draft__version_label")
    )
    tasks = []
    for consultation in open_ones:
        deadline = formats.date_format(consultation.deadline, "j. F Y")
        done = consultation.answered
        tasks.append(
            Task(
                title=f"Abstimmung zum Strategieentwurf ({consultation.draft.version_label})",
                text=(
                    f"Die Stellungnahme von {municipality} liegt vor; Sie können sie bis zum "
                    f"{deadline} ändern."
                    if done
                    else f"Bitte geben Sie bis zum {deadline} die Stellungnahme von "
                    f"{municipality} ab."
                ),
                url=reverse("drafts:consultation", args=[consultation.draft_id])
                + f"?kommune={municipality.pk}",
                link_text="Stellungnahme ändern" if done else "Stellungnahme abgeben",
                deadline=consultation.deadline,
            )
        )
    return tasks

"""The Abstimmung of a frozen draft version with the bodies of the district.

Every step checks its rules here and refuses with a :class:`DraftError` (German reason).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone

from core import dispatch
from core.dashboard import Task
from municipalities import acting, rules
from municipalities.models import Municipality, MunicipalityKind

from .models import Consultation, DraftState, MeasureRemark, Position, Stance, StrategyDraft
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
    """Bodies this user may record a position for (own body; a Samtgemeinde also its members)."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    return rules.editable_municipalities(user).exclude(kind=MunicipalityKind.DISTRICT)


def default_deadline(today=None):
    return (today or timezone.localdate()) + datetime.timedelta(
        days=settings.DRAFTS_CONSULTATION_DEFAULT_DAYS
    )


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
    dispatch.on_commit("drafts.send_consultation_opened", consultation.pk)
    return consultation


@transaction.atomic
def submit_position(consultation, user, municipality, stance, text, remarks):
    """Record or change the body's position; ``remarks`` maps snapshot measure ids to text."""
    if not answerable_bodies(user, consultation).filter(pk=municipality.pk).exists():
        raise DraftError("Für diese Kommune dürfen Sie keine Stellungnahme abgeben.")
    # The consultation row is the lock: closing and submitting never interleave.
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.accepts_positions():
        raise DraftError(
            "Die Abstimmung ist abgeschlossen oder die Frist ist abgelaufen; Stellungnahmen "
            "können nicht mehr geändert werden."
        )
    if stance not in Stance.values:
        raise DraftError("Bitte wählen Sie Zustimmung, Zustimmung mit Anmerkungen oder Ablehnung.")
    position, _ = Position.objects.update_or_create(
        consultation=locked,
        municipality=municipality,
        defaults={
            "stance": stance,
            "text": text,
            "submitted_by": user,
            "submitted_at": timezone.now(),
        },
    )
    position.remarks.all().delete()
    MeasureRemark.objects.bulk_create(
        MeasureRemark(position=position, measure_id=measure_id, text=remark)
        for measure_id, remark in sorted(remarks.items())
    )
    return position


def status_rows(consultation):
    """(body, position or None) for every consulted body, in tree order; two queries."""
    positions = {
        p.municipality_id: p
        for p in consultation.positions.select_related("submitted_by").prefetch_related("remarks")
    }
    return [(body, positions.get(body.pk)) for body in consulted_bodies()]


def counts(rows):
    result = dict.fromkeys(Stance.values, 0)
    result["none"] = 0
    for _, position in rows:
        result[position.stance if position else "none"] += 1
    return result


def measure_titles(draft):
    """{snapshot measure id: (reference, title)} of the consulted version."""
    snapshot = draft.snapshot or {}
    return {m["id"]: (m["reference"], m["title"]) for m in snapshot.get("measures", [])}


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
                "remarks": [
                    {
                        "measure_id": remark.measure_id,
                        "reference": titles.get(remark.measure_id, ("", ""))[0],
                        "title": titles.get(remark.measure_id, ("", "Maßnahme entfernt"))[1],
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
    try:
        locked.render_dispatch = request_render(locked.draft, user).render_dispatch
    except DraftError:
        # Still rendering the previous file: the coordinator renders again from the page.
        logger.info("Consultation %s closed while its draft was rendering.", locked.pk)
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

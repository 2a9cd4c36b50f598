"""The drafts' part of the coordinator's cockpit (core.dashboard.register_cockpit): the
current draft's deadline, its Abstimmung and the decisions to record.

Built on the computations the draft pages use (consultation.status_rows and counts,
adoption.open_procedures and decision_due); a constant number of queries.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone

from core.dashboard import CockpitItem, days_text

from .adoption import ADOPTION_STATES, decision_due, open_procedures
from .adoption_models import DeliberationStep
from .consultation import counts, status_rows
from .models import DraftState, StrategyDraft

# Days before a deadline from which an item is highlighted.
DRAFT_SOON_DAYS = 14
CONSULTATION_SOON_DAYS = 3
# Bodies named in a text before "und N weitere".
LISTED = 3


def _day(value):
    return formats.date_format(value, "j. F Y")


def current_draft():
    """The newest version the Kreistag has not decided yet, with its Abstimmung (one query)."""
    return (
        StrategyDraft.objects.exclude(state=DraftState.DECIDED)
        .select_related("consultation")
        .defer("snapshot")
        .order_by("-created_at", "-pk")
        .first()
    )


def _draft_item(draft, today):
    if draft is None:
        return CockpitItem(
            title="Strategieentwurf",
            text="Zurzeit ist kein Entwurf in Arbeit; jede Version ist vom Kreistag beschlossen "
            "oder es gibt noch keine.",
            url=reverse("drafts:list"),
            link_text="Zu den Entwürfen",
            order=20,
            waiting=False,
        )
    name = f"„{draft.title}“ ({draft.version_label})"
    meeting = ""
    if draft.council_meeting_date and draft.council_meeting_date >= today:
        days = (draft.council_meeting_date - today).days
        meeting = (
            f" Sitzung des Kreistags am {_day(draft.council_meeting_date)} ({days_text(days)})."
        )
    if draft.state == DraftState.PUBLISHED:
        met = bool(draft.council_meeting_date and draft.council_meeting_date < today)
        if met:
            meeting = (
                f" Der Kreistag hat am {_day(draft.council_meeting_date)} beraten; sein "
                "Beschluss ist noch nicht eingetragen."
            )
        return CockpitItem(
            title="Strategieentwurf",
            text=f"{name} liegt dem Kreistag seit dem "
            f"{_day(timezone.localdate(draft.published_at))} vor.{meeting}",
            url=draft.get_absolute_url(),
            link_text="Beschluss eintragen" if met else "Zum Entwurf",
            order=20,
            urgent=met,
        )
    days = (draft.deadline - today).days
    state = (
        "ist in Bearbeitung"
        if draft.state == DraftState.EDITING
        else "ist eingefroren und noch nicht vorgelegt"
    )
    return CockpitItem(
        title="Strategieentwurf",
        text=f"{name} {state}. Vorlage beim Kreistag bis {_day(draft.deadline)} "
        f"({days_text(days)}).{meeting}",
        url=draft.get_absolute_url(),
        link_text="Zum Entwurf",
        order=20,
        urgent=days <= DRAFT_SOON_DAYS,
    )


def _consultation_item(draft, today):
    title = "Abstimmung mit den Kommunen"
    consultation = getattr(draft, "consultation", None) if draft else None
    if draft is None or (consultation is None and draft.state == DraftState.EDITING):
        return CockpitItem(
            title=title,
            text="Keine Abstimmung offen. Sie beginnt, wenn ein Entwurf eingefroren ist.",
            url=draft.get_absolute_url() if draft else reverse("drafts:list"),
            link_text="Zum Entwurf" if draft else "Zu den Entwürfen",
            order=30,
            waiting=False,
        )
    if consultation is None:
        return CockpitItem(
            title=title,
            text=f"Zum {draft.version_label} gibt es noch keine Abstimmung mit den Kommunen.",
            url=reverse("drafts:consultation_open", args=[draft.pk]),
            link_text="Abstimmung eröffnen",
            order=30,
        )
    url = reverse("drafts:consultation", args=[draft.pk])
    if consultation.is_closed:
        # The result frozen on closing holds the counts (consultation.build_result).
        tally = (consultation.result or {}).get("counts", {})
        total = sum(tally.values())
        answered = total - tally.get("none", 0)
        return CockpitItem(
            title=title,
            text=f"Abgeschlossen am {_day(timezone.localdate(consultation.closed_at))}: "
            f"{answered} von {total} Kommunen haben Stellung genommen.",
            url=url,
            link_text="Zum Ergebnis",
            order=30,
            waiting=False,
        )
    rows = status_rows(consultation)
    total = len(rows)
    answered = total - counts(rows)["none"]
    days = (consultation.deadline - today).days
    if days < 0:
        return CockpitItem(
            title=title,
            text=f"Die Frist ist am {_day(consultation.deadline)} abgelaufen; {answered} von "
            f"{total} Kommunen haben Stellung genommen. Schließen Sie die Abstimmung ab, damit "
            "ihr Ergebnis in die Vorlage kommt.",
            url=reverse("drafts:consultation_close", args=[draft.pk]),
            link_text="Abstimmung abschließen",
            order=30,
            urgent=True,
        )
    return CockpitItem(
        title=title,
        text=f"Offen bis {_day(consultation.deadline)} ({days_text(days)}): {answered} von "
        f"{total} Kommunen haben Stellung genommen.",
        url=url,
        link_text="Zur Abstimmung",
        order=30,
        urgent=days <= CONSULTATION_SOON_DAYS and answered < total,
    )


def _names(names):
    shown = ", ".join(names[:LISTED])
    rest = len(names) - LISTED
    return f"{shown} und {rest} weitere" if rest > 0 else shown


def _decisions_item(draft, today):
    """Councils (the Kreistag among them) that have met on the strategy without their
    decision recorded (adoption.open_procedures, decision_due; three queries)."""
    procedures = list(
        open_procedures()
        .filter(draft__state__in=ADOPTION_STATES)
        .select_related("draft", "municipality__parent")
        .defer("draft__snapshot")
        .prefetch_related(Prefetch("steps", queryset=DeliberationStep.objects.order_by("position")))
        .order_by("municipality__tree_path", "pk")
    )
    due = [p for p in procedures if decision_due(list(p.steps.all()), today)]
    if due:
        bodies = [p.municipality.label for p in due]
        who = "1 Rat hat" if len(due) == 1 else f"{len(due)} Räte haben"
        return CockpitItem(
            title="Beschlüsse",
            text=f"{who} über die Strategie beraten, der Beschluss ist noch nicht eingetragen: "
            f"{_names(bodies)}.",
            url=reverse("drafts:adoption", args=[due[0].draft_id]),
            link_text="Beschlüsse eintragen",
            order=40,
            urgent=True,
        )
    text = "Kein Beschluss ist einzutragen."
    if procedures:
        text += (
            f" {len(procedures)} Beschlussverfahren "
            f"{'läuft' if len(procedures) == 1 else 'laufen'} noch."
        )
        url = reverse("drafts:adoption", args=[procedures[0].draft_id])
        link = "Zu den Beschlussverfahren"
    else:
        url = draft.get_absolute_url() if draft else reverse("drafts:list")
        link = "Zum Entwurf" if draft else "Zu den Entwürfen"
    return CockpitItem(
        title="Beschlüsse", text=text, url=url, link_text=link, order=40, waiting=False
    )


def cockpit_items(user):
    today = timezone.localdate()
    draft = current_draft()
    return [
        _draft_item(draft, today),
        _consultation_item(draft, today),
        _decisions_item(draft, today),
    ]

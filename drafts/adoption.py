"""The adoption of a frozen version by the councils (issue 20): who decides, in which
Beratungsfolge, and what each council decided.

The coordinator sets which bodies decide (by default the Kreistag and the Samtgemeinderäte;
any Gemeinderat can be added); the coordinator or the body's editors (those who answer for it,
municipalities.acting) keep its Vorlage number and Beratungsfolge. Every step checks its rules
here and refuses with a :class:`DraftError` (German reason).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from municipalities import acting
from municipalities.models import Municipality, MunicipalityKind

from .adoption_models import (
    IN_FORCE,
    CouncilDecision,
    DecisionProcedure,
    DeliberationStep,
    StepRole,
)
from .models import StrategyDraft
from .permissions import can_manage_drafts
from .workflow import DraftError


def can_keep(user, body):
    """May the user keep the body's Vorlage, Beratungsfolge and decisions?"""
    return can_manage_drafts(user) or acting.answers_for(user, body)


def default_bodies():
    """The district and the Samtgemeinden: the councils that decide by default."""
    return Municipality.objects.filter(
        kind__in=[MunicipalityKind.DISTRICT, MunicipalityKind.SAMTGEMEINDE]
    ).order_by("tree_path")


def addable_bodies(draft):
    """Bodies the coordinator can add as deciding: every body not yet deciding."""
    return (
        Municipality.objects.exclude(
            pk__in=DecisionProcedure.objects.filter(draft=draft).values("municipality_id")
        )
        .select_related("parent")
        .order_by("tree_path")
    )


def default_steps(draft, body):
    """The usual Beratungsfolge under the NKomVG: the main committee (Kreisausschuss,
    Samtgemeindeausschuss, Verwaltungsausschuss; not public) before the council; for the
    Kreistag first the Fachausschuss, with the meeting dates the draft already names."""
    if body.kind == MunicipalityKind.DISTRICT:
        return [
            ("Fachausschuss", None, True, StepRole.ADVISES),
            ("Kreisausschuss", draft.committee_meeting_date, False, StepRole.ADVISES),
            ("Kreistag", draft.council_meeting_date, True, StepRole.DECIDES),
        ]
    if body.kind == MunicipalityKind.SAMTGEMEINDE:
        return [
            ("Samtgemeindeausschuss", None, False, StepRole.ADVISES),
            ("Samtgemeinderat", None, True, StepRole.DECIDES),
        ]
    council = "Rat der Stadt" if body.kind == MunicipalityKind.TOWN else "Rat der Gemeinde"
    return [
        ("Verwaltungsausschuss", None, False, StepRole.ADVISES),
        (council, None, True, StepRole.DECIDES),
    ]


def _create(draft, body):
    procedure = DecisionProcedure.objects.create(
        draft=draft,
        municipality=body,
        document_number=draft.council_document_number if body.is_district else "",
    )
    for position, (committee, day, public, role) in enumerate(default_steps(draft, body), 1):
        DeliberationStep.objects.create(
            procedure=procedure,
            position=position,
            committee=committee,
            meeting_date=day,
            public=public,
            role=role,
        )
    return procedure


def _lock_frozen(draft):
    locked = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=draft.pk)
    if not locked.is_frozen:
        raise DraftError(
            "Ein Beschlussverfahren gibt es erst für eine eingefrorene Version; bitte frieren "
            "Sie den Entwurf zuerst ein."
        )
    return locked


@transaction.atomic
def set_up(draft, user):
    """Create the default deciding bodies that are missing; returns the new procedures."""
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = _lock_frozen(draft)
    present = set(
        DecisionProcedure.objects.filter(draft=locked).values_list("municipality_id", flat=True)
    )
    return [_create(locked, body) for body in default_bodies() if body.pk not in present]


@transaction.atomic
def add_body(draft, user, body):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = _lock_frozen(draft)
    if DecisionProcedure.objects.filter(draft=locked, municipality=body).exists():
        raise DraftError(f"{body} beschließt bereits über diese Version.")
    return _create(locked, body)


@transaction.atomic
def remove_body(procedure, user):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = (
        DecisionProcedure.objects.select_for_update()
        .select_related("municipality")
        .get(pk=procedure.pk)
    )
    if locked.municipality.is_district:
        raise DraftError("Der Kreistag beschließt über jede Version; er bleibt in der Liste.")
    if CouncilDecision.objects.filter(procedure=locked).exists():
        raise DraftError(
            f"Für {locked.municipality} ist schon ein Beschluss eingetragen; das "
            "Beschlussverfahren bleibt bestehen."
        )
    locked.delete()


def check_steps(steps):
    """The Beratungsfolge as typed: at least one step, exactly one that decides, and no
    advising meeting after the deciding one."""
    if not steps:
        raise DraftError("Bitte tragen Sie mindestens das Gremium ein, das entscheidet.")
    deciding = [s for s in steps if s["role"] == StepRole.DECIDES]
    if len(deciding) != 1:
        raise DraftError(
            "Genau ein Gremium entscheidet (in der Regel der Rat); die anderen beraten vor."
        )
    decides_on = deciding[0]["meeting_date"]
    if decides_on and any(
        s["meeting_date"] and s["meeting_date"] > decides_on for s in steps if s not in deciding
    ):
        raise DraftError(
            "Eine vorberatende Sitzung liegt nach der entscheidenden; bitte prüfen Sie die Daten."
        )


@transaction.atomic
def save_procedure(procedure, user, document_number, proposed_resolution, steps):
    """Store the Vorlage number, the Beschlussvorschlag and the Beratungsfolge (``steps``: a
    list of dicts with committee, meeting_date, public, role, in their order)."""
    locked = (
        DecisionProcedure.objects.select_for_update()
        .select_related("municipality")
        .get(pk=procedure.pk)
    )
    if not can_keep(user, locked.municipality):
        raise DraftError(f"Das Beschlussverfahren von {locked.municipality} führen Sie nicht.")
    check_steps(steps)
    locked.document_number = document_number
    locked.proposed_resolution = proposed_resolution
    locked.save(update_fields=["document_number", "proposed_resolution", "updated_at"])
    existing = list(locked.steps.order_by("position"))
    for position, values in enumerate(steps, 1):
        step = existing[position - 1] if position <= len(existing) else None
        step = step or DeliberationStep(procedure=locked, position=position)
        for name in ("committee", "meeting_date", "public", "role"):
            setattr(step, name, values[name])
        step.save()
    for step in existing[len(steps) :]:
        step.delete()
    return locked


@dataclass(frozen=True)
class Row:
    """One deciding body on the overview."""

    procedure: DecisionProcedure
    steps: list
    decisions: list

    @property
    def body(self):
        return self.procedure.municipality

    @property
    def deciding_step(self):
        return next((s for s in self.steps if s.decides), None)

    @property
    def latest(self):
        return self.decisions[-1] if self.decisions else None

    @property
    def in_force(self):
        return self.latest is not None and self.latest.outcome in IN_FORCE


def overview(draft):
    """A Row per deciding body in tree order; three queries for any number of bodies."""
    procedures = (
        DecisionProcedure.objects.filter(draft=draft)
        .select_related("municipality__parent")
        .prefetch_related(
            Prefetch("steps", queryset=DeliberationStep.objects.order_by("position")),
            Prefetch("decisions", queryset=CouncilDecision.objects.order_by("decided_on", "pk")),
        )
        .order_by("municipality__tree_path")
    )
    return [Row(p, list(p.steps.all()), list(p.decisions.all())) for p in procedures]

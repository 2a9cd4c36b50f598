"""Fortschreibung per body (issue 20 §7): what changed for a deciding body since the version
its council adopted.

The version compared against is the one of the body's latest decision "beschlossen" or "mit
Änderungen beschlossen" on an earlier frozen version. Both versions' snapshots are compared
as the Kreistag's change annex does (``snapshot.compare``), restricted to the measures that
concern the body: those it leads or takes part in, for a Samtgemeinde also its members', and
for the Kreistag all of them.
"""

from dataclasses import dataclass, field

from django.utils import formats

from .adoption import own_body_ids
from .adoption_models import IN_FORCE, CouncilDecision, Outcome
from .models import StrategyDraft
from .snapshot import compare


@dataclass
class BodyChanges:
    """The changes for one body; ``decision`` is None when its council adopted no earlier
    version (then there is nothing to compare)."""

    decision: CouncilDecision | None = None
    new: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)

    @property
    def adopted(self):
        return self.decision is not None

    @property
    def is_empty(self):
        return not (self.new or self.removed or self.changed)

    @property
    def adopted_on(self):
        return formats.date_format(self.decision.decided_on, "j. F Y") if self.decision else ""

    @property
    def adopted_version(self):
        return self.decision.procedure.draft.version_label if self.decision else ""

    @property
    def with_changes(self):
        return bool(self.decision and self.decision.outcome == Outcome.ADOPTED_WITH_CHANGES)

    @property
    def heading(self):
        """„Änderungen seit dem Beschluss vom 10. März 2027“."""
        return f"Änderungen seit dem Beschluss vom {self.adopted_on}" if self.decision else ""


def _concerns(measure, ids):
    if ids is None:
        return True
    return measure["lead"]["id"] in ids or any(p["id"] in ids for p in measure.get("partners", []))


def compare_for(ids, before, after):
    """{"new", "removed", "changed"} between two snapshots for the bodies ``ids`` (None: all
    measures). A measure that stays in the strategy but no longer concerns the bodies counts as
    removed ("nicht mehr beteiligt"), one that newly concerns them as new ("jetzt beteiligt")."""
    mine_before = [m for m in before.get("measures", []) if _concerns(m, ids)]
    mine_after = [m for m in after.get("measures", []) if _concerns(m, ids)]
    diff = compare({"measures": mine_before}, mine_after)
    all_before = {m["id"] for m in before.get("measures", [])}
    all_after = {m["id"] for m in after.get("measures", [])}
    for entry in diff["new"]:
        entry["note"] = "jetzt beteiligt" if entry["id"] in all_before else "neu in der Strategie"
    for entry in diff["removed"]:
        entry["note"] = "nicht mehr beteiligt" if entry["id"] in all_after else "entfallen"
    return diff


def adopted_decisions(draft, bodies):
    """{body pk: CouncilDecision} the latest adoption of an earlier version per body (with
    ``procedure.draft`` without its snapshot); one query (none for a version without its
    freeze time, which has no earlier version to compare with)."""
    if draft.frozen_at is None:
        return {}
    decisions = (
        CouncilDecision.objects.filter(
            outcome__in=IN_FORCE,
            procedure__municipality__in=[body.pk for body in bodies],
            procedure__draft__frozen_at__lt=draft.frozen_at,
        )
        .exclude(procedure__draft=draft)
        .select_related("procedure__draft")
        .defer("procedure__draft__snapshot")
        .order_by("decided_on", "pk")
    )
    return {d.procedure.municipality_id: d for d in decisions}


def body_changes(draft, procedures):
    """{body pk: BodyChanges} for the deciding bodies' procedures of the frozen ``draft``
    (``procedure.municipality`` loaded); two queries for any number of bodies and versions."""
    snapshot = draft.snapshot
    decisions = adopted_decisions(draft, [p.municipality for p in procedures])
    adopted = dict(
        StrategyDraft.objects.filter(
            pk__in={d.procedure.draft_id for d in decisions.values()}
        ).values_list("pk", "snapshot")
    )
    result = {}
    for procedure in procedures:
        body = procedure.municipality
        decision = decisions.get(body.pk)
        if decision is None:
            result[body.pk] = BodyChanges()
            continue
        ids = None if body.is_district else own_body_ids(procedure, snapshot)
        diff = compare_for(ids, adopted[decision.procedure.draft_id] or {}, snapshot)
        result[body.pk] = BodyChanges(decision=decision, **diff)
    return result

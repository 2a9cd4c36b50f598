"""Writing the published version of measures (what the public reads).

The published version of a measure is ``public_snapshot`` (measures.review.measure_snapshot(),
no personal data) plus columns derived from it, so that the public's filters, sorts and counts
run in SQL: ``public_lead``, ``public_field``, ``public_partners``, ``public_changed_at``
(when the published version last changed; the public's "zuletzt geändert") and
``public_presented_at`` (when it was last laid before the Kreistag). This module is the only
writer of these fields; the drafts app calls it when a draft is laid before the Kreistag.

Which versions were laid before the Kreistag (Vorlagen: "Entwurf 1, vorgelegt am …") is the
drafts app's knowledge; it registers the source of :func:`presentations` here, so that the
measure list and a measure's page can name the Vorlage without importing drafts.

Apps above measures that keep a part of the reviewed version (measures.review.register_part)
register a publisher here: it writes their published columns from the same snapshots, in the
same transaction.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone

from core import data_version
from fields_of_action.models import FieldOfAction
from municipalities.models import Municipality

from .models import Measure

_publishers = []
_presentation_sources = []


@dataclass(frozen=True)
class Presentation:
    """A version of the strategy laid before the Kreistag (a Vorlage)."""

    version_label: str
    presented_at: datetime
    #: When the version was frozen: its measures are as they were then.
    frozen_at: datetime | None
    url: str = ""

    @property
    def presented_on(self):
        return timezone.localdate(self.presented_at)

    @property
    def label(self):
        """ "Entwurf 1, vorgelegt am 01.12.2026" """
        day = formats.date_format(self.presented_on, "d.m.Y")
        return f"{self.version_label}, vorgelegt am {day}"


def register_presentations(source):
    """``source()`` returns the Presentations, newest first, in one query."""
    if source not in _presentation_sources:
        _presentation_sources.append(source)
    return source


def presentations():
    """Every version laid before the Kreistag, newest first (one query; [] without any)."""
    found = [p for source in _presentation_sources for p in source()]
    return sorted(found, key=lambda p: p.presented_at, reverse=True)


def latest_presentation():
    """The Vorlage the Kreistag has now, or None."""
    found = presentations()
    return found[0] if found else None


def presentation_of(measure, known):
    """The Vorlage whose version of ``measure`` is its published one (from ``known``,
    newest first), or None."""
    if measure.public_presented_at is None:
        return None
    return next((p for p in known if p.presented_at <= measure.public_presented_at), None)


def register_publisher(publisher):
    """``publisher(snapshots, now)`` runs with every write_public_versions (same arguments)."""
    if publisher not in _publishers:
        _publishers.append(publisher)
    return publisher


@transaction.atomic
def write_public_versions(snapshots, now):
    """Store ``{measure pk: snapshot}`` as the published versions; returns the number stored.

    ``public_since`` is kept from the first publication; ``public_changed_at`` moves only when
    the published version really changed; ``public_presented_at`` is ``now`` for all of them
    (the time the version is laid before the Kreistag). Rows are locked while they are
    rewritten.
    """
    fields = {f.number: f.pk for f in FieldOfAction.objects.all()}
    named = {(s.get("lead") or {}).get("id") for s in snapshots.values()}
    named |= {p.get("id") for s in snapshots.values() for p in s.get("partners", [])}
    # A body deleted since the snapshot was taken is named in the text but not linked.
    existing = set(Municipality.objects.filter(pk__in=named - {None}).values_list("pk", flat=True))
    measures = list(
        Measure.objects.filter(pk__in=list(snapshots))
        .select_for_update()
        .only("pk", "public_since", "public_snapshot", "public_changed_at", "public_presented_at")
        .order_by("pk")
    )
    through = Measure.public_partners.through
    for measure in measures:
        snapshot = snapshots[measure.pk]
        if measure.public_since is None:
            measure.public_since = now
        if measure.public_snapshot != snapshot or measure.public_changed_at is None:
            measure.public_changed_at = now
        measure.public_snapshot = snapshot
        measure.public_presented_at = now
        lead = (snapshot.get("lead") or {}).get("id")
        measure.public_lead_id = lead if lead in existing else None
        measure.public_field_id = fields.get(snapshot.get("field_of_action"))
    Measure.objects.bulk_update(
        measures,
        [
            "public_since",
            "public_snapshot",
            "public_changed_at",
            "public_presented_at",
            "public_lead",
            "public_field",
        ],
        batch_size=500,
    )
    pks = [m.pk for m in measures]
    through.objects.filter(measure_id__in=pks).delete()
    through.objects.bulk_create(
        [
            through(measure_id=measure.pk, municipality_id=partner)
            for measure in measures
            for partner in {p.get("id") for p in snapshots[measure.pk].get("partners", [])}
            if partner in existing
        ],
        batch_size=500,
    )
    for publisher in _publishers:
        publisher(snapshots, now)
    data_version.changed()  # bulk writes send no signals
    return len(measures)

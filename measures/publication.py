"""Writing the published version of measures (what the public reads).

The published version of a measure is ``public_snapshot`` (measures.review.measure_snapshot(),
no personal data) plus columns derived from it, so that the public's filters, sorts and counts
run in SQL: ``public_lead``, ``public_field``, ``public_partners`` and ``public_changed_at``
(when the published version last changed; the public's "zuletzt geändert"). This module is the
only writer of these fields; the drafts app calls it when a draft is laid before the Kreistag.

Apps above measures that keep a part of the reviewed version (measures.review.register_part)
register a publisher here: it writes their published columns from the same snapshots, in the
same transaction.
"""

from django.db import transaction

from core import data_version
from fields_of_action.models import FieldOfAction
from municipalities.models import Municipality

from .models import Measure

_publishers = []


def register_publisher(publisher):
    """``publisher(snapshots, now)`` runs with every write_public_versions (same arguments)."""
    if publisher not in _publishers:
        _publishers.append(publisher)
    return publisher


@transaction.atomic
def write_public_versions(snapshots, now):
    """Store ``{measure pk: snapshot}`` as the published versions; returns the number stored.

    ``public_since`` is kept from the first publication; ``public_changed_at`` moves only when
    the published version really changed. Rows are locked while they are rewritten.
    """
    fields = {f.number: f.pk for f in FieldOfAction.objects.all()}
    named = {(s.get("lead") or {}).get("id") for s in snapshots.values()}
    named |= {p.get("id") for s in snapshots.values() for p in s.get("partners", [])}
    # A body deleted since the snapshot was taken is named in the text but not linked.
    existing = set(Municipality.objects.filter(pk__in=named - {None}).values_list("pk", flat=True))
    measures = list(
        Measure.objects.filter(pk__in=list(snapshots))
        .select_for_update()
        .only("pk", "public_since", "public_snapshot", "public_changed_at")
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
        lead = (snapshot.get("lead") or {}).get("id")
        measure.public_lead_id = lead if lead in existing else None
        measure.public_field_id = fields.get(snapshot.get("field_of_action"))
    Measure.objects.bulk_update(
        measures,
        ["public_since", "public_snapshot", "public_changed_at", "public_lead", "public_field"],
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

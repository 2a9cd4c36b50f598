"""The published texts of indicators and assessments: what the public reads of them.

The free texts of an indicator (name, description, unit, source note) and the justification of
an assessment belong to the measure's reviewed version: ``measures.review.review_snapshot()``
adds them under ``PART`` when the coordinator accepts the measure, a strategy draft freezes the
accepted version, and its publication (``measures.publication``) copies them into the
``public_*`` columns here. Public pages, the API for the public and the public CSV read only
those columns: text typed after publication stays internal until the measure is accepted and
published again, and an indicator or assessment added since has nothing public.

Numbers stay live (baseline and target, measured values, the status): the evaluation is
continuous, and a number cannot carry a name or an address.

A change of such a text calls ``measures.review.after_part_edit``: an accepted measure goes
back to review, like an edit of its own fields, so the coordinator sees it in the queue.
"""

from .models import Assessment, Indicator

PART = "evaluation"
INDICATOR_TEXTS = ("name", "description", "unit", "source_note")
_PUBLIC_INDICATOR_COLUMNS = ("public_since", *(f"public_{name}" for name in INDICATOR_TEXTS))


def review_part(measure):
    """The texts of the measure's indicators and assessments, JSON-safe (keys: ids as text,
    as they come back from a JSON column). Two queries."""
    indicators = (
        Indicator.objects.filter(measure=measure).order_by("pk").values_list("pk", *INDICATOR_TEXTS)
    )
    assessments = (
        Assessment.objects.filter(measure=measure).order_by("pk").values_list("pk", "justification")
    )
    return {
        "indicators": {
            str(pk): dict(zip(INDICATOR_TEXTS, texts, strict=True)) for pk, *texts in indicators
        },
        "assessments": {str(pk): text for pk, text in assessments},
    }


def texts_changed(form):
    """Did this indicator form change a text under review?"""
    return bool(set(form.changed_data) & set(INDICATOR_TEXTS))


def write_published(snapshots, now):
    """Copy the texts of the published versions ``{measure pk: snapshot}`` into the public
    columns of their indicators and assessments (called by measures.publication).

    A version accepted before these texts were reviewed has no ``PART``: its rows keep what
    they had. A row the version does not name (added since the acceptance) is not public.
    """
    parts = {pk: s[PART] for pk, s in snapshots.items() if isinstance(s.get(PART), dict)}
    if not parts:
        return
    indicators = list(
        Indicator.objects.filter(measure_id__in=list(parts))
        .only("pk", "measure_id", "updated_at", *_PUBLIC_INDICATOR_COLUMNS)
        .order_by("pk")
    )
    for indicator in indicators:
        texts = (parts[indicator.measure_id].get("indicators") or {}).get(str(indicator.pk))
        before = [getattr(indicator, column) for column in _PUBLIC_INDICATOR_COLUMNS[1:]]
        for name in INDICATOR_TEXTS:
            setattr(indicator, f"public_{name}", str((texts or {}).get(name) or ""))
        after = [getattr(indicator, column) for column in _PUBLIC_INDICATOR_COLUMNS[1:]]
        public = texts is not None
        if before != after or public != (indicator.public_since is not None):
            indicator.updated_at = now  # what the public reads changed ("geändert seit")
        indicator.public_since = (indicator.public_since or now) if public else None
    Indicator.objects.bulk_update(
        indicators, [*_PUBLIC_INDICATOR_COLUMNS, "updated_at"], batch_size=500
    )
    assessments = list(
        Assessment.objects.filter(measure_id__in=list(parts))
        .only("pk", "measure_id", "updated_at", "public_since", "public_justification")
        .order_by("pk")
    )
    for assessment in assessments:
        text = (parts[assessment.measure_id].get("assessments") or {}).get(str(assessment.pk))
        public = text is not None
        if (text or "") != assessment.public_justification or public != (
            assessment.public_since is not None
        ):
            assessment.updated_at = now
        assessment.public_justification = str(text or "")
        assessment.public_since = (assessment.public_since or now) if public else None
    Assessment.objects.bulk_update(
        assessments, ["public_since", "public_justification", "updated_at"], batch_size=500
    )


def published_indicators(indicators):
    """The indicators of a queryset that the public may read (in a published version)."""
    return indicators.filter(public_since__isnull=False)


def published_assessments(assessments):
    return assessments.filter(public_since__isnull=False)


def show_published(indicators):
    """Indicators with their texts as published (in memory only, never saved)."""
    indicators = list(indicators)
    for indicator in indicators:
        for name in INDICATOR_TEXTS:
            setattr(indicator, name, getattr(indicator, f"public_{name}"))
    return indicators


def show_published_assessments(assessments):
    assessments = list(assessments)
    for assessment in assessments:
        assessment.justification = assessment.public_justification
    return assessments

"""When a measure's implementation status changed, from whom to what.

Read from the measure's history (django-simple-history): one query for one measure.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StatusChange:
    changed_at: datetime
    old_status: str
    new_status: str
    changed_by: object = None


def status_changes_of(measure, limit):
    """The newest ``limit`` status changes of one measure, newest first (one query)."""
    records = measure.history.order_by("history_date", "history_id").select_related("history_user")
    changes, previous = [], None
    for record in records:
        if record.status != previous:
            changes.append(
                StatusChange(
                    record.history_date, previous or "", record.status, record.history_user
                )
            )
            previous = record.status
    return changes[::-1][:limit]

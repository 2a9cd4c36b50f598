"""The measures' part of an editor's "Meine Aufgaben": drafts not submitted, returned ones.

Registered with ``core.dashboard`` in ``MeasuresConfig.ready()``; one query.
"""

from django.db.models import Count, Q
from django.urls import reverse

from core.dashboard import Task
from municipalities import acting

from .models import Measure, ReviewState
from .permissions import editable_measures


def led_here(user, municipality):
    """The measures this editor maintains that the body (or, for a Samtgemeinde, a member)
    leads; empty for anyone who is not an editor of the body, and on the district's page."""
    if municipality.is_district or not acting.answers_for(user, municipality):
        return None
    return editable_measures(user).filter(
        Q(lead_municipality=municipality) | Q(lead_municipality__parent=municipality)
    )


def _count(n, one, many):
    return one if n == 1 else many.format(n=n)


def dashboard_tasks(user, municipality):
    if led_here(user, municipality) is None:
        return []
    # The same measures as the "zurückgegeben" block of the dashboard (returned_measures).
    measures = editable_measures(user).filter(
        pk__in=Measure.objects.concerning(municipality).values("pk")
    )
    counts = measures.aggregate(
        drafts=Count("pk", filter=Q(review_state=ReviewState.DRAFT)),
        returned=Count("pk", filter=Q(review_state=ReviewState.CHANGES_REQUESTED)),
    )
    tasks = []
    list_url = reverse("measures:list") + f"?municipality={municipality.slug}&review="
    if counts["drafts"]:
        tasks.append(
            Task(
                title="Noch nicht eingereicht",
                text=_count(
                    counts["drafts"],
                    "1 Maßnahme ist noch ein Entwurf. Erst eingereicht prüft die "
                    "Koordinierungsstelle sie für die Strategie.",
                    "{n} Maßnahmen sind noch Entwürfe. Erst eingereicht prüft die "
                    "Koordinierungsstelle sie für die Strategie.",
                ),
                url=list_url + ReviewState.DRAFT,
                link_text="Entwürfe anzeigen",
            )
        )
    if counts["returned"]:
        tasks.append(
            Task(
                title="Zurückgegeben",
                text=_count(
                    counts["returned"],
                    "1 Maßnahme hat die Koordinierungsstelle mit Änderungswünschen "
                    "zurückgegeben; die Begründung steht darunter.",
                    "{n} Maßnahmen hat die Koordinierungsstelle mit Änderungswünschen "
                    "zurückgegeben; die Begründungen stehen darunter.",
                ),
                url="#zurueckgegeben-titel",
                link_text="Zu den Begründungen",
            )
        )
    return tasks

"""The measures' part of an editor's "Meine Aufgaben": drafts not submitted, returned ones,
proofs of use of approved funding coming due.

Registered with ``core.dashboard`` in ``MeasuresConfig.ready()``; one query.
"""

from django.db.models import Count, Min, Q
from django.urls import reverse

from core.dashboard import Task
from municipalities import acting

from .funding import proof_due_filter
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
        drafts=Count("pk", filter=Q(review_state=ReviewState.DRAFT), distinct=True),
        returned=Count("pk", filter=Q(review_state=ReviewState.CHANGES_REQUESTED), distinct=True),
        proofs=Count("funding", filter=proof_due_filter(prefix="funding__"), distinct=True),
        next_proof=Min("funding__proof_due", filter=proof_due_filter(prefix="funding__")),
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
    if counts["proofs"]:
        tasks.append(
            Task(
                title="Verwendungsnachweis fällig",
                text=_count(
                    counts["proofs"],
                    "Für 1 bewilligte Förderung ist der Verwendungsnachweis bald oder bereits "
                    "fällig.",
                    "Für {n} bewilligte Förderungen sind Verwendungsnachweise bald oder bereits "
                    "fällig.",
                ),
                url=reverse("measures:funding_due") + f"?kommune={municipality.slug}",
                link_text="Fällige Nachweise anzeigen",
                deadline=counts["next_proof"],
            )
        )
    return tasks

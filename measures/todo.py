"""The measures' part of an editor's "Meine Aufgaben": drafts not submitted, returned ones,
proofs of use of approved funding coming due. And the measures' part of the coordinator's
cockpit: measures waiting for review, partnership requests nobody answers.

Registered with ``core.dashboard`` in ``MeasuresConfig.ready()``; one query (tasks), three
(cockpit).
"""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from core.dashboard import CockpitItem, Task
from municipalities import acting

from .funding import proof_due_filter
from .models import Measure, ReviewState
from .partnerships import open_requests_summary
from .permissions import editable_measures, reviewable_measures


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


def _review_item(user):
    """The review queue (permissions.reviewable_measures, oldest first): its size and how long
    its first has waited, by the date the queue shows ("eingereicht"); two queries."""
    queue = reviewable_measures(user)
    oldest = (
        queue.select_related("lead_municipality")
        .defer("accepted_snapshot", "public_snapshot")
        .first()
    )
    url = reverse("measures:review_queue")
    if oldest is None:
        return CockpitItem(
            title="Prüfung",
            text="Keine Maßnahme wartet auf Prüfung.",
            url=url,
            link_text="Zur Prüfliste",
            order=10,
            waiting=False,
        )
    count = queue.count()
    days = (timezone.localdate() - timezone.localdate(oldest.updated_at)).days
    since = "seit heute" if days == 0 else "seit 1 Tag" if days == 1 else f"seit {days} Tagen"
    return CockpitItem(
        title="Prüfung",
        text=(
            _count(count, "1 Maßnahme wartet", "{n} Maßnahmen warten")
            + f" auf Ihre Prüfung. Die älteste, „{oldest.title}“ "
            f"({oldest.lead_municipality.label_with_kind}), wartet {since}."
        ),
        url=url,
        link_text="Zur Prüfliste",
        order=10,
        urgent=days >= REVIEW_WAIT_DAYS,
    )


# A measure waiting this long for review is highlighted.
REVIEW_WAIT_DAYS = 14


def _requests_item():
    """Open partnership requests and those to bodies nobody can answer for
    (partnerships.open_requests_summary; one query)."""
    total, nobody = open_requests_summary()
    url = reverse("measures:open_requests_all")
    if not total:
        return CockpitItem(
            title="Anfragen zur Beteiligung",
            text="Keine Anfrage zur Beteiligung ist offen.",
            url=url,
            link_text="Zur Liste der Anfragen",
            order=50,
            waiting=False,
        )
    text = _count(total, "1 offene Anfrage zur Beteiligung", "{n} offene Anfragen zur Beteiligung")
    if nobody:
        return CockpitItem(
            title="Anfragen zur Beteiligung",
            text=text + f", davon {nobody} an Kommunen, für die niemand antworten kann.",
            url=url + "?niemand=1",
            link_text="Diese Anfragen anzeigen",
            order=50,
            urgent=True,
        )
    return CockpitItem(
        title="Anfragen zur Beteiligung",
        text=text + "; für jede angefragte Kommune kann jemand antworten.",
        url=url,
        link_text="Alle offenen Anfragen anzeigen",
        order=50,
    )


def cockpit_items(user):
    return [_review_item(user), _requests_item()]

"""Coverage: which responsible bodies offer a catalogue service online.

Everything is computed from three queries (services, bodies, offers), whatever the number of
bodies, services or offers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from municipalities.models import Municipality

from .models import OnlineStatus, Service, ServiceOffer, is_responsible


@dataclass
class ServiceCoverage:
    service: Service
    responsible: list
    cells: list = field(default_factory=list)  # (body, offer or None), None if not responsible
    online: int = 0
    planned: int = 0

    @property
    def total(self):
        return len(self.responsible)

    @property
    def share(self):
        return round(100 * self.online / self.total, 1) if self.total else None


@dataclass
class TopicCoverage:
    topic: str
    services: list
    online: int = 0
    total: int = 0

    @property
    def share(self):
        return round(100 * self.online / self.total, 1) if self.total else None


def _bodies(within=None):
    """All bodies, or those of ``within``'s area: a member Gemeinde's area is its Samtgemeinde
    (which does most of its members' services)."""
    bodies = Municipality.objects.in_tree_order()
    if within is not None and not within.is_district:
        if within.parent is not None and within.parent.is_samtgemeinde:
            within = within.parent
        bodies = bodies.filter(tree_path__startswith=within.tree_path)
    return list(bodies)


def coverage(services=None, within=None):
    """``(bodies, [ServiceCoverage], [TopicCoverage])``; ``within``: a body and its members."""
    services = list(services if services is not None else Service.objects.all())
    bodies = _bodies(within)
    offers = {
        (o.municipality_id, o.service_id): o
        for o in ServiceOffer.objects.filter(
            service__in=[s.pk for s in services], municipality__in=[b.pk for b in bodies]
        ).select_related("procedure")
    }
    rows = []
    for service in services:
        row = ServiceCoverage(service, [])
        for body in bodies:
            if not is_responsible(body, service.responsible_level):
                row.cells.append((body, None, False))
                continue
            row.responsible.append(body)
            offer = offers.get((body.pk, service.pk))
            row.cells.append((body, offer, True))
            if offer and offer.status == OnlineStatus.ONLINE:
                row.online += 1
            elif offer and offer.status == OnlineStatus.PLANNED:
                row.planned += 1
        rows.append(row)
    by_topic = defaultdict(list)
    for row in rows:
        by_topic[row.service.topic or "ohne Themenfeld"].append(row)
    topics = [
        TopicCoverage(
            topic,
            items,
            online=sum(r.online for r in items),
            total=sum(r.total for r in items),
        )
        for topic, items in sorted(by_topic.items())
    ]
    return bodies, rows, topics


def share(*, leika_key=None, topic=None, within=None):
    """``(online, responsible)`` for one service or one Themenfeld; raises LookupError."""
    services = Service.objects.all()
    if leika_key:
        services = services.filter(leika_key=leika_key)
    elif topic:
        services = services.filter(topic=topic)
    else:
        raise LookupError("Weder Leistung noch Themenfeld angegeben.")
    services = list(services)
    if not services:
        raise LookupError("Die Leistung oder das Themenfeld steht nicht im Leistungskatalog.")
    _bodies_, rows, _topics = coverage(services, within=within)
    return sum(r.online for r in rows), sum(r.total for r in rows)


def topics():
    """The Themenfelder of the catalogue, sorted (one query)."""
    return list(
        Service.objects.exclude(topic="")
        .order_by("topic")
        .values_list("topic", flat=True)
        .distinct()
    )

"""factory_boy factories shared by all test modules."""

import datetime

import factory
from django.contrib.auth import get_user_model

from fields_of_action.models import FieldOfAction, Goal
from measures.models import Measure, Partnership, PartnershipState, Priority, Status
from municipalities.models import Membership, Municipality, MunicipalityKind, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-123")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("ars",)

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    official_name = factory.LazyAttribute(lambda m: m.name)
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    kind = MunicipalityKind.MUNICIPALITY
    ars = factory.Sequence(lambda n: f"0335499{n:05d}")
    ags = factory.LazyAttribute(lambda m: m.ars[:5] + m.ars[-3:] if len(m.ars) == 12 else None)
    population = 1000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.EDITOR


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    field_of_action = factory.LazyFunction(lambda: FieldOfAction.objects.get(number=1))
    title = factory.Sequence(lambda n: f"Ziel {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    lead_municipality = factory.SubFactory(MunicipalityFactory)
    field_of_action = factory.LazyFunction(lambda: FieldOfAction.objects.get(number=1))
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    summary = "Kurzbeschreibung der Maßnahme."
    description = "Ausführliche Beschreibung."
    status = Status.PLANNED
    priority = Priority.MEDIUM
    planned_start = datetime.date(2027, 1, 1)
    planned_end = datetime.date(2027, 12, 1)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    measure = factory.SubFactory(MeasureFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    # Most tests are about agreed joint measures; consent tests ask for "requested".
    state = PartnershipState.CONFIRMED


def publish_now(measure, when=None):
    """Publish the measure's current version as a draft laid before the Kreistag would."""
    from django.utils import timezone

    from measures.publication import write_public_versions
    from measures.review import review_snapshot

    measure = Measure.objects.with_related().get(pk=measure.pk)
    write_public_versions({measure.pk: review_snapshot(measure)}, when or timezone.now())
    return Measure.objects.get(pk=measure.pk)

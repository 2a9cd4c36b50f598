"""Each saved version of a measure records the goals it had then (core.history)."""

import pytest

from measures.models import Measure
from tests.factories import GoalFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def goals_per_version(measure):
    """(history type, sorted goal ids, sorted link ids) of every version, oldest first."""
    return [
        (
            record.history_type,
            sorted(row.goal_id for row in record.goals.all()),
            sorted(row.id for row in record.goals.all()),
        )
        for record in measure.history.order_by("history_date", "history_id")
    ]


def test_every_version_keeps_the_goals_of_its_time(district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    first, second = GoalFactory(), GoalFactory()
    measure.goals.add(first)
    measure.goals.add(second)
    measure.title = "Neuer Titel"
    measure.save()
    measure.goals.remove(first)
    through = Measure.goals.through
    link_of = {row.goal_id: row.id for row in through.objects.filter(measure=measure)}
    link_of.setdefault(first.pk, None)

    versions = goals_per_version(measure)
    assert [kind for kind, _, _ in versions] == ["+", "~", "~", "~", "~"]
    assert [goals for _, goals, _ in versions] == [
        [],
        [first.pk],
        sorted([first.pk, second.pk]),
        sorted([first.pk, second.pk]),
        [second.pk],
    ]
    # The link's own id is copied too, as django-simple-history does.
    assert versions[-1][2] == [link_of[second.pk]]
    # The record of the title change shows the title and the goals of that moment.
    titled = measure.history.order_by("history_date", "history_id")[3]
    assert titled.title == "Neuer Titel"


def test_a_version_costs_one_query_for_its_goals(district, django_assert_num_queries):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    measure.goals.add(*GoalFactory.create_batch(3))
    measure.refresh_from_db()
    measure.title = "Noch ein Titel"
    # The update, the history row, the ids of the links and the copied links.
    with django_assert_num_queries(4) as captured:
        measure.save()
    assert sum("measure_goals" in q["sql"] for q in captured.captured_queries) == 2

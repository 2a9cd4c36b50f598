"""Large imports: many new measures queue one full synergy recompute, not one task each.

Each task of ``measures.recompute_similarity`` reads and scores every measure; 5,000 of them
after one import kept the worker (or, without Redis, the request) busy for minutes.
"""

import pytest

from core import dispatch
from measures.exchange.importer import RESCORE_ONE_BY_ONE
from measures.models import Measure
from tests.measures.exchange_helpers import plan_csv

from .exchange_helpers import export_csv


def new_measures_csv(district, count):
    from fields_of_action.models import FieldOfAction

    header = export_csv(Measure.objects.none())[0].decode("utf-8").rstrip("\r\n")
    columns = header.lstrip("\ufeff").split(";")
    field = str(FieldOfAction.objects.order_by("pk").first())
    lines = [header]
    for index in range(count):
        row = dict.fromkeys(columns, "")
        row.update(
            {
                "Titel": f"Neue Maßnahme {index}",
                "Kurzbeschreibung": "Aus dem Import",
                "federführende Kommune": district["hitzacker"].label,
                "Handlungsfeld": field,
            }
        )
        lines.append(";".join(row[c] for c in columns))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(dispatch, "on_commit", lambda name, *args: calls.append((name, *args)))
    return calls


@pytest.mark.django_db
def test_many_new_measures_queue_one_full_recompute(district, users, queued):
    count = RESCORE_ONE_BY_ONE + 5
    plan = plan_csv(new_measures_csv(district, count), None, users["editor_own"], apply=True)
    assert plan.applied and plan.created == count
    assert Measure.objects.count() == count
    similarity = [call for call in queued if "similarity" in call[0]]
    assert similarity == [("measures.recompute_all_similarity",)]


@pytest.mark.django_db
def test_a_few_new_measures_are_scored_one_by_one(district, users, queued):
    plan = plan_csv(new_measures_csv(district, 3), None, users["editor_own"], apply=True)
    assert plan.applied and plan.created == 3
    similarity = sorted(call for call in queued if "similarity" in call[0])
    pks = sorted(Measure.objects.values_list("pk", flat=True))
    assert similarity == [("measures.recompute_similarity", pk) for pk in pks]

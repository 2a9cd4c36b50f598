"""Forms of the evaluation against concurrent writers of the same row (PostgreSQL, threads).

An indicator's edit form against gathering (which writes the last_* fields), a manual value
against the deletion of its indicator, a round's entry form against closing the round.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.locking import version_token
from evaluation.models import Assessment, CollectionRound, Indicator, Measurement
from tests.race import Pause, race_test, start, wait_until_blocked_on_lock

from .factories import IndicatorFactory
from .test_views import indicator_post

pytestmark = race_test


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_indicator_edit_keeps_what_gathering_recorded_meanwhile(measure, users):
    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    client = _client(users["editor_own"])
    url = reverse("evaluation:indicator_update", args=[indicator.pk])
    post = indicator_post(name="Neuer Name", loaded_version=indicator.updated_at.isoformat())
    with Pause("evaluation.views.indicators.IndicatorForm", "editor", after=True) as pause:
        editor = start(lambda: client.post(url, post), "editor")
        pause.wait_reached()  # the form is bound to the row loaded before
        failed_at = timezone.now()
        Indicator.objects.filter(pk=indicator.pk).update(
            last_attempt_at=failed_at, last_error="Quelle nicht erreichbar", last_error_at=failed_at
        )
        pause.resume()
        assert editor.outcome().status_code == 302

    indicator.refresh_from_db()
    assert indicator.name == "Neuer Name"
    assert indicator.last_error == "Quelle nicht erreichbar"
    assert indicator.last_error_at == failed_at


def test_value_for_an_indicator_deleted_meanwhile_is_not_an_error(measure, users):
    indicator = IndicatorFactory(measure=measure)
    client = _client(users["editor_own"])
    url = reverse("evaluation:measurement_save", args=[indicator.pk])
    with Pause("evaluation.views.indicators.MeasurementForm", "editor", after=True) as pause:
        editor = start(lambda: client.post(url, {"period": "2025", "value": "17"}), "editor")
        pause.wait_reached()
        Indicator.objects.filter(pk=indicator.pk).delete()
        pause.resume()
        response = editor.outcome()
    assert response.status_code == 404
    assert not Measurement.objects.exists()


@pytest.fixture
def collection_round(users):
    return CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )


def test_round_closed_while_a_body_enters_values_stores_nothing(measure, users, collection_round):
    indicator = IndicatorFactory(measure=measure)
    client = _client(users["editor_own"])
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    data = {f"value_{indicator.pk}": "42", f"note_{indicator.pk}": "Zählung"}
    with Pause("evaluation.views.rounds.RoundEntryForm", "editor", after=True) as pause:
        editor = start(lambda: client.post(url, data), "editor")
        pause.wait_reached()  # the page loaded the round while it was open
        closed = _client(users["coordinator"]).post(
            reverse("evaluation:round_close", args=[collection_round.pk])
        )
        assert closed.status_code == 302
        pause.resume()
        response = editor.outcome()
    assert response.status_code == 409
    assert "inzwischen abgeschlossen" in response.content.decode()
    assert 'value="42"' in response.content.decode()  # typed value kept
    assert not Measurement.objects.exists()


def test_closing_waits_for_an_entry_in_progress(measure, users, collection_round):
    indicator = IndicatorFactory(measure=measure)
    client = _client(users["editor_own"])
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    with Pause("evaluation.views.rounds.upsert_values", "editor", after=True) as pause:
        editor = start(lambda: client.post(url, {f"value_{indicator.pk}": "42"}), "editor")
        pause.wait_reached()  # inside the entry's transaction, the round locked
        coordinator = _client(users["coordinator"])
        closing = start(
            lambda: coordinator.post(reverse("evaluation:round_close", args=[collection_round.pk])),
            "coordinator",
        )
        wait_until_blocked_on_lock()
        pause.resume()
        assert editor.outcome().status_code == 302
        assert closing.outcome().status_code == 302
    assert Measurement.objects.get().value == 42
    collection_round.refresh_from_db()
    assert not collection_round.is_open


def test_figures_cached_while_a_value_is_being_committed_are_not_kept(measure, users):
    """A dashboard request computed between a write and its commit sees the old data and
    caches it under the version the write had already moved on; the bump after the commit
    makes the next request compute afresh (core.data_version)."""
    from decimal import Decimal

    from django.db import transaction

    from evaluation.gathering import upsert_values
    from evaluation.models import Origin

    indicator = IndicatorFactory(measure=measure, name="Anteil online", frequency="yearly")
    url = reverse("evaluation:overview") + "?alle=1"
    client = _client(users["coordinator"])

    def on_track(html):
        box = html[html.index('id="alle-indikatoren">') :]
        return "ind-status-on_track" in box[: box.index("</ul>")] and (
            box[box.index("ind-status-on_track") :].split("<strong>", 1)[1].startswith("1<")
        )

    assert not on_track(client.get(url).content.decode())
    with transaction.atomic():
        upsert_values(indicator, {datetime.date(2026, 1, 1): Decimal("50")}, origin=Origin.API)
        # Another request, on its own connection, before the commit: the old figures.
        reader = start(lambda: _client(users["council"]).get(url), "reader")
        assert not on_track(reader.outcome().content.decode())
    assert on_track(client.get(url).content.decode())


def test_indicator_edit_during_publication_is_no_deadlock(measure, users):
    """The edit sends the measure back to review (measure row) after writing the indicator;
    publication locks the measure rows, then writes their indicators' published texts. Both
    must take the measure first, or one of them dies in a deadlock (error 500)."""
    from measures.models import Measure, ReviewState
    from measures.publication import write_public_versions
    from measures.review import transition_to

    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    accepted = Measure.objects.get(pk=measure.pk).accepted_snapshot
    client = _client(users["editor_own"])
    url = reverse("evaluation:indicator_update", args=[indicator.pk])
    with Pause("evaluation.views.indicators.after_part_edit", "editor") as pause:
        token = version_token(Indicator.objects.get(pk=indicator.pk))
        data = indicator_post(name="Neuer Name", loaded_version=token)
        editor = start(lambda: client.post(url, data), "editor")
        pause.wait_reached()  # the indicator is written, the measure not yet
        publisher = start(
            lambda: write_public_versions({measure.pk: accepted}, timezone.now()), "publisher"
        )
        wait_until_blocked_on_lock()
        pause.resume()
        assert editor.outcome().status_code == 302
        assert publisher.outcome() == 1
    indicator.refresh_from_db()
    assert (indicator.name, indicator.public_name) == ("Neuer Name", "Alter Name")
    assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("kind", ["indicator", "assessment"])
def test_new_indicator_or_assessment_during_publication_is_no_deadlock(measure, users, kind):
    """A new row holds no lock on its measure until commit (deferred foreign keys): the
    publication goes through, the new row stays unpublished, the measure goes to review."""
    from measures.models import Measure, ReviewState
    from measures.publication import write_public_versions
    from measures.review import transition_to

    IndicatorFactory(measure=measure, name="Alter Name")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    accepted = Measure.objects.get(pk=measure.pk).accepted_snapshot
    client = _client(users["editor_own"])
    if kind == "indicator":
        url = reverse("evaluation:indicator_create", args=[measure.pk])
        data = indicator_post(name="Neuer Indikator")
        hook = "evaluation.views.indicators.after_part_edit"
    else:
        url = reverse("evaluation:assessment_create", args=[measure.pk])
        data = {"assessed_on": "2026-11-30", "verdict": "partly", "justification": "Neu."}
        hook = "evaluation.views.assessments.after_part_edit"
    with Pause(hook, "editor") as pause:
        editor = start(lambda: client.post(url, data), "editor")
        pause.wait_reached()  # the new row is written, the measure not yet
        publisher = start(
            lambda: write_public_versions({measure.pk: accepted}, timezone.now()), "publisher"
        )
        assert publisher.outcome() == 1
        pause.resume()
        assert editor.outcome().status_code == 302
    assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.SUBMITTED
    model = Indicator if kind == "indicator" else Assessment
    assert model.objects.filter(public_since__isnull=True).count() == 1

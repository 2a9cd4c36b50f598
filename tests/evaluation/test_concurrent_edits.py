"""Two people edit the same indicator: the later save is refused, nothing is overwritten unseen.

The second person gets a German message, sees what the first stored and keeps what they
typed; saving again from there takes their version on purpose.
"""

import pytest
from django.urls import reverse

from evaluation.models import Indicator
from tests.race import Pause, logged_in_client, race_test, start, wait_until_blocked_on_lock

from .factories import IndicatorFactory
from .test_views import indicator_post


def _token(content):
    marker = 'name="loaded_version" value="'
    begin = content.index(marker) + len(marker)
    return content[begin : content.index('"', begin)]


def test_second_save_of_an_indicator_is_refused_with_the_first_ones_changes(as_role, measure):
    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    client = as_role("editor_own")
    url = reverse("evaluation:indicator_update", args=[indicator.pk])
    loaded = _token(client.get(url).content.decode())  # both open the form

    first = client.post(url, indicator_post(name="Name der Kollegin", loaded_version=loaded))
    assert first.status_code == 302
    second = client.post(
        url, indicator_post(name="Mein Name", source_note="meine Quelle", loaded_version=loaded)
    )

    assert second.status_code == 409
    content = second.content.decode()
    assert "Der Indikator wurde inzwischen geändert" in content
    assert "meine Quelle" in content and 'value="Mein Name"' in content
    changes = {c["field"]: c for c in second.context["conflict"]["changes"]}
    assert (changes["Bezeichnung"]["stored"], changes["Bezeichnung"]["typed"]) == (
        "Name der Kollegin",
        "Mein Name",
    )
    indicator.refresh_from_db()
    assert indicator.name == "Name der Kollegin"

    again = client.post(url, indicator_post(name="Mein Name", loaded_version=_token(content)))
    assert again.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Mein Name"


def test_a_save_without_the_token_is_refused_not_an_error(as_role, measure):
    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    response = as_role("editor_own").post(
        reverse("evaluation:indicator_update", args=[indicator.pk]),
        indicator_post(name="Neu", loaded_version="kein Datum"),
    )
    assert response.status_code == 409
    assert Indicator.objects.get(pk=indicator.pk).name == "Alter Name"


@pytest.mark.django_db(transaction=True)
@race_test[0]
def test_two_saves_at_once_one_wins_one_is_refused(measure, users):
    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    url = reverse("evaluation:indicator_update", args=[indicator.pk])
    token = indicator.updated_at.isoformat()

    def save(name):
        with logged_in_client(users["editor_own"]) as client:
            return client.post(url, indicator_post(name=name, loaded_version=token)).status_code

    with Pause("evaluation.views.indicators.owned_fields", "first") as pause:
        first = start(lambda: save("Erste"), "first")
        pause.wait_reached()  # holds the row lock, about to write
        second = start(lambda: save("Zweite"), "second")
        wait_until_blocked_on_lock()
        pause.resume()
        assert first.outcome() == 302
        assert second.outcome() == 409
    assert Indicator.objects.get(pk=indicator.pk).name == "Erste"

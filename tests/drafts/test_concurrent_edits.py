"""Two people edit a draft's texts at once: the later save is refused, nothing lost unseen."""

import pytest
from django.urls import reverse

from drafts.models import FieldIntroduction, StrategyDraft
from tests.race import Pause, logged_in_client, race_test, start, wait_until_blocked_on_lock


def _post(draft, token, **overrides):
    data = {
        "title": draft.title,
        "version_label": draft.version_label,
        "resolution_date": "2026-06-18",
        "deadline": "",
        "introduction": draft.introduction,
        "proposed_resolution": "Der Kreistag beschließt.",
        "loaded_version": token,
    }
    data.update(overrides)
    return data


def _token(content):
    marker = 'name="loaded_version" value="'
    begin = content.index(marker) + len(marker)
    return content[begin : content.index('"', begin)]


def test_second_save_of_the_texts_is_refused_and_shows_the_first_ones(as_role, draft):
    client = as_role("coordinator")
    url = reverse("drafts:update", args=[draft.pk])
    loaded = _token(client.get(url).content.decode())  # both open the form

    first = client.post(
        url, _post(draft, loaded, proposed_resolution="Fassung A", intro_1="Einleitung A")
    )
    assert first.status_code == 302
    second = client.post(
        url, _post(draft, loaded, proposed_resolution="Fassung B", intro_1="Einleitung B")
    )

    assert second.status_code == 409
    content = second.content.decode()
    assert "Der Entwurf wurde inzwischen geändert" in content
    assert "Fassung B" in content and "Einleitung B" in content  # typed input kept
    changes = {c["stored"]: c["typed"] for c in second.context["conflict"]["changes"]}
    assert changes["Fassung A"] == "Fassung B"
    assert changes["Einleitung A"] == "Einleitung B"
    draft.refresh_from_db()
    assert draft.proposed_resolution == "Fassung A"
    assert FieldIntroduction.objects.get(draft=draft, field_of_action__number=1).text == (
        "Einleitung A"
    )

    again = client.post(
        url, _post(draft, _token(content), proposed_resolution="Fassung B", intro_1="B")
    )
    assert again.status_code == 302
    assert StrategyDraft.objects.get(pk=draft.pk).proposed_resolution == "Fassung B"


@pytest.mark.django_db(transaction=True)
@race_test[0]
def test_two_saves_of_the_texts_at_once(draft, users):
    url = reverse("drafts:update", args=[draft.pk])
    token = draft.updated_at.isoformat()

    def save(text):
        with logged_in_client(users["coordinator"]) as client:
            return client.post(url, _post(draft, token, proposed_resolution=text)).status_code

    with Pause("drafts.views.draft.owned_fields", "first") as pause:
        first = start(lambda: save("Fassung A"), "first")
        pause.wait_reached()  # holds the draft's row lock, about to write
        second = start(lambda: save("Fassung B"), "second")
        wait_until_blocked_on_lock()
        pause.resume()
        assert first.outcome() == 302
        assert second.outcome() == 409
    assert StrategyDraft.objects.get(pk=draft.pk).proposed_resolution == "Fassung A"


def _frozen(draft, users):
    from drafts.tasks import render_now
    from drafts.workflow import freeze

    freeze(draft, users["coordinator"], render=False)
    return render_now(StrategyDraft.objects.get(pk=draft.pk))


def test_second_save_of_the_council_document_data_is_refused(as_role, measures, draft, users):
    frozen = _frozen(draft, users)
    client = as_role("coordinator")
    loaded = _token(client.get(frozen.get_absolute_url()).content.decode())
    url = reverse("drafts:council_document", args=[frozen.pk])
    data = {"committee_meeting_date": "2027-03-04", "council_meeting_date": "2027-03-18"}

    first = client.post(
        url, {**data, "council_document_number": "2027/1", "loaded_version": loaded}
    )
    assert first.status_code == 302
    second = client.post(
        url, {**data, "council_document_number": "2027/2", "loaded_version": loaded}
    )

    assert second.status_code == 409
    content = second.content.decode()
    assert "Das Deckblatt der Vorlage wurde inzwischen geändert" in content
    assert 'value="2027/2"' in content  # typed input kept
    changes = second.context["conflict"]["changes"]
    assert [(c["stored"], c["typed"]) for c in changes] == [("2027/1", "2027/2")]
    assert StrategyDraft.objects.get(pk=frozen.pk).council_document_number == "2027/1"

    again = client.post(
        url, {**data, "council_document_number": "2027/2", "loaded_version": _token(content)}
    )
    assert again.status_code == 302
    assert StrategyDraft.objects.get(pk=frozen.pk).council_document_number == "2027/2"


def test_second_correction_of_the_decision_is_refused(as_role, measures, draft, users):
    from drafts.workflow import publish

    published = publish(_frozen(draft, users), users["coordinator"], without_consultation=True)
    client = as_role("coordinator")
    loaded = _token(client.get(published.get_absolute_url()).content.decode())
    url = reverse("drafts:decision", args=[published.pk])
    data = {"decision_date": "2026-12-10", "loaded_version": loaded}

    assert client.post(url, {**data, "drucksache_number": "2026/123"}).status_code == 302
    second = client.post(url, {**data, "drucksache_number": "2026/124"})

    assert second.status_code == 409
    content = second.content.decode()
    assert "Der Beschluss wurde inzwischen geändert" in content
    assert 'value="2026/124"' in content
    assert StrategyDraft.objects.get(pk=published.pk).drucksache_number == "2026/123"


def test_a_render_in_between_is_no_conflict_for_the_cover_data(as_role, measures, draft, users):
    """The worker rendering the PDF is not "someone else": the form opened while the PDF was
    queued saves once the render ran (before, its start moved the token: a false 409)."""
    from drafts.tasks import render_draft_pdf
    from drafts.workflow import freeze

    freeze(draft, users["coordinator"], render=False)
    frozen = StrategyDraft.objects.get(pk=draft.pk)
    client = as_role("coordinator")
    loaded = _token(client.get(frozen.get_absolute_url()).content.decode())
    render_draft_pdf(frozen.pk)  # the worker
    response = client.post(
        reverse("drafts:council_document", args=[frozen.pk]),
        {
            "council_document_number": "2027/7",
            "committee_meeting_date": "2027-03-04",
            "council_meeting_date": "2027-03-18",
            "loaded_version": loaded,
        },
    )
    assert response.status_code == 302
    assert StrategyDraft.objects.get(pk=frozen.pk).council_document_number == "2027/7"

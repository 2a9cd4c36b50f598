"""A render that cannot be queued (Redis away) says so and keeps the previous PDF (issue 18/7).

Before: "PDF neu erzeugen" answered 500 after the commit and left the draft "queued" for the
visibility timeout (15 minutes), refusing a new attempt, while its existing PDF answered 404.

Transactional: the views learn whether the render was queued when their transaction commits,
as in production (not when a test's capture replays the callbacks afterwards).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.locking import version_token
from drafts.consultation import open_consultation
from drafts.models import DraftState, RenderState, StrategyDraft
from drafts.workflow import RENDER_NOT_QUEUED, freeze, request_render, store_pdf
from tests.redis_down import redis_down  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_down")]

PDF = b"%PDF-1.7\n% the previous file\n%%EOF\n"


@pytest.fixture
def with_pdf(measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    return store_pdf(StrategyDraft.objects.get(pk=draft.pk), PDF, 1)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_render_not_queued_says_so_and_keeps_the_previous_pdf(as_role, with_pdf):
    client = as_role("coordinator")
    response = client.post(reverse("drafts:render", args=[with_pdf.pk]), follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [RENDER_NOT_QUEUED + " Das bisherige PDF bleibt abrufbar."]
    draft = StrategyDraft.objects.get(pk=with_pdf.pk)
    assert draft.render_state == RenderState.READY and not draft.render_is_busy
    pdf = client.get(reverse("drafts:pdf", args=[draft.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == PDF


def test_freeze_without_a_queue_records_why_and_the_render_can_be_retried(
    as_role, measures, draft, users
):
    client = as_role("coordinator")
    response = client.post(reverse("drafts:freeze", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [f"Der Entwurf ist eingefroren. {RENDER_NOT_QUEUED}"]
    draft = StrategyDraft.objects.get(pk=draft.pk)
    assert draft.state == DraftState.FROZEN
    assert draft.render_state == RenderState.FAILED
    assert draft.render_error == RENDER_NOT_QUEUED
    assert RENDER_NOT_QUEUED in response.content.decode()  # shown with the retry button
    assert "Erneut versuchen" in response.content.decode()
    # Not stuck: a new attempt is accepted at once (and fails again, saying so).
    assert request_render(draft, users["coordinator"]).render_dispatch.failed is True


def test_council_document_is_saved_and_the_missing_render_reported(as_role, with_pdf):
    client = as_role("coordinator")
    response = client.post(
        reverse("drafts:council_document", args=[with_pdf.pk]),
        {"council_document_number": "2026/0815", "loaded_version": version_token(with_pdf)},
        follow=True,
    )
    assert response.status_code == 200
    assert RENDER_NOT_QUEUED in " ".join(messages_of(response))
    draft = StrategyDraft.objects.get(pk=with_pdf.pk)
    assert draft.council_document_number == "2026/0815"
    assert draft.render_state == RenderState.READY


def test_closing_a_consultation_reports_the_render_that_could_not_start(as_role, with_pdf, users):
    consultation = open_consultation(
        with_pdf, users["coordinator"], timezone.localdate() + datetime.timedelta(days=28)
    )
    client = as_role("coordinator")
    response = client.post(reverse("drafts:consultation_close", args=[with_pdf.pk]), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [f"Die Abstimmung ist abgeschlossen. {RENDER_NOT_QUEUED}"]
    consultation.refresh_from_db()
    assert consultation.is_closed
    assert StrategyDraft.objects.get(pk=with_pdf.pk).render_state == RenderState.READY

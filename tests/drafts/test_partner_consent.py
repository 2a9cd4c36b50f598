"""Unconfirmed partners appear nowhere public or in the PDF; withdrawn and dropped measures
never enter a draft."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from drafts.models import StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze, publish
from measures.models import Measure, Partnership, PartnershipState, Status
from measures.review import withdraw
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def asked(measures, district):
    """Küsten is asked (not confirmed) to take part in an accepted measure (led by Gorleben);
    Elbtalaue declined."""
    joint = measures["accepted"][0]
    kuesten = MunicipalityFactory(
        name="Küsten", slug="kuesten", ars="033545401012", ags="03354012", parent=None
    )
    Partnership.objects.create(
        measure=joint, municipality=kuesten, cost_share_percent=Decimal("40")
    )
    Partnership.objects.create(
        measure=joint,
        municipality=district["elbtalaue"],
        cost_share_percent=Decimal("10"),
        state=PartnershipState.DECLINED,
        decline_reason="Kein Bedarf.",
    )
    return joint


@pytest.fixture
def published(asked, draft, users):
    freeze(draft, users["coordinator"], render=False)
    draft = render_now(StrategyDraft.objects.get(pk=draft.pk))
    return publish(draft, users["coordinator"], without_consultation=True)


def _pdf_text(draft):
    with draft.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_snapshot_and_pdf_name_only_confirmed_partners(published, asked):
    snapshot_measure = next(m for m in published.snapshot["measures"] if m["id"] == asked.pk)
    assert [p["name"] for p in snapshot_measure["partners"]] == ["Dannenberg (Elbe)"]
    text = _pdf_text(published)
    assert "Dannenberg (Elbe) (25 % der Kosten)" in text
    assert "40 % der Kosten" not in text and "10 % der Kosten" not in text


def test_public_pages_name_only_confirmed_partners(published, asked):
    public = Client()
    detail = public.get(reverse("measures:detail", args=[asked.pk])).content.decode()
    partners = detail.split("<dt>beteiligte Kommunen</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Dannenberg (Elbe)" in partners
    assert "Küsten" not in partners and "Elbtalaue" not in partners
    listed = public.get(reverse("measures:list"), {"municipality": "kuesten"})
    assert list(listed.context["page"].object_list) == []
    dashboard = public.get(reverse("measures:dashboard", args=["kuesten"]))
    assert dashboard.context["total"] == 0
    measure = Measure.objects.get(pk=asked.pk)
    assert [p["name"] for p in measure.public_snapshot["partners"]] == ["Dannenberg (Elbe)"]


def test_a_partner_declining_after_acceptance_leaves_the_next_draft(
    measures, draft, users, district
):
    joint = measures["accepted"][0]
    Partnership.objects.filter(measure=joint, municipality=district["dannenberg"]).update(
        state=PartnershipState.DECLINED
    )
    freeze(draft, users["coordinator"], render=False)
    draft.refresh_from_db()
    snapshot_measure = next(m for m in draft.snapshot["measures"] if m["id"] == joint.pk)
    assert snapshot_measure["partners"] == []


def test_withdrawn_and_dropped_measures_never_enter_a_draft(measures, draft, users):
    withdrawn, dropped, kept = measures["accepted"][:3]
    withdraw(withdrawn, users["coordinator"], "Doppelt angelegt.")
    Measure.objects.filter(pk=dropped.pk).update(status=Status.DROPPED)
    freeze(draft, users["coordinator"], render=False)
    draft.refresh_from_db()
    ids = {m["id"] for m in draft.snapshot["measures"]}
    assert kept.pk in ids
    assert withdrawn.pk not in ids and dropped.pk not in ids

"""OParl: each body's Vorlage (Paper) carries its part of "Finanzielle Auswirkungen" as the
vendor property ``digitalstrategie:financialImpact``, from the frozen version's snapshot."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from drafts import adoption
from drafts.models import DraftState, RenderState, StrategyDraft
from drafts.workflow import freeze
from measures.impact import financial_impact
from measures.models import CostPlanYear

from .test_financial_impact import money_measures  # noqa: F401 - fixture
from .test_oparl import _get, validate

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 20, 9, 0, tzinfo=datetime.UTC)
PROPERTY = "digitalstrategie:financialImpact"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def presented(money_measures, draft, users, district):  # noqa: F811 - the fixture above
    """Hitzacker leads a measure Dannenberg shares by 25 %; Gorleben one alone. Hitzacker
    decides on the presented version too."""
    freeze(draft, users["coordinator"], render=False)
    StrategyDraft.objects.filter(pk=draft.pk).update(
        state=DraftState.PUBLISHED, published_at=NOW - datetime.timedelta(days=30)
    )
    draft = StrategyDraft.objects.get(pk=draft.pk)
    adoption.set_up(draft, users["coordinator"])
    adoption.add_body(draft, users["coordinator"], district["hitzacker"])
    return draft


def _paper(client, body):
    (paper,) = _get(client, reverse("drafts:oparl_paper_list", args=[body.slug]))["data"]
    return paper


def test_the_bodys_paper_carries_its_share_valid_against_the_schema(client, presented, district):
    paper = _paper(client, district["hitzacker"])
    validate(paper, "Paper")
    impact = paper[PROPERTY]
    # 75 % of the measure's costs, funding and open funding (finance.split_measure).
    assert impact == {
        "currency": "EUR",
        "investment": "7500.00",
        "running": "3750.00",
        "followUp": "375.00",
        "fundingApproved": "3000.00",
        "fundingOpen": "750.00",
        "ownShare": "8625.00",
        "years": [
            {
                "year": 2027,
                "investment": "7500.00",
                "running": "1500.00",
                "followUp": "0.00",
                "fundingApproved": "3000.00",
                "fundingOpen": "0.00",
                "ownShare": "6000.00",
            },
            {
                "year": 2028,
                "investment": "0.00",
                "running": "2250.00",
                "followUp": "0.00",
                "fundingApproved": "0.00",
                "fundingOpen": "750.00",
                "ownShare": "2250.00",
            },
            {
                "year": 2029,
                "investment": "0.00",
                "running": "0.00",
                "followUp": "375.00",
                "fundingApproved": "0.00",
                "fundingOpen": "0.00",
                "ownShare": "375.00",
            },
        ],
    }
    # The same figures as the Vorlage's section, read from the same snapshot.
    total = financial_impact(presented.snapshot, body=district["hitzacker"].pk).total
    assert impact["ownShare"] == f"{total.own:.2f}"
    # The single Paper says the same as the list.
    assert _get(client, paper["id"]) == paper


def test_the_figures_stay_those_of_the_frozen_version(client, presented, district):
    """A later change of a plan does not change what the presented Vorlage said."""
    CostPlanYear.objects.filter(year=2027, investment_planned__isnull=False).update(
        investment_planned=99999
    )
    assert _paper(client, district["hitzacker"])[PROPERTY]["investment"] == "7500.00"


def test_a_samtgemeindes_paper_covers_its_members_as_its_vorlage_does(client, presented, district):
    """Elbtalaue's Vorlage states the figures of the Samtgemeinde and its members (Hitzacker's
    75 % and Dannenberg's 25 % of the shared measure): its Paper says the same."""
    paper = _paper(client, district["elbtalaue"])
    validate(paper, "Paper")
    ids = {district[name].pk for name in ("elbtalaue", "hitzacker", "dannenberg")}
    total = financial_impact(presented.snapshot, bodies=ids).total
    assert paper[PROPERTY]["ownShare"] == f"{total.own:.2f}"
    assert paper[PROPERTY]["investment"] == "10000.00"  # the whole measure: 75 % + 25 %


def test_the_kreistags_paper_carries_the_whole_districts_figures(
    client, presented, district, settings, tmp_path
):
    """The Kreistag's Vorlage is the version's own PDF; its Paper carries the whole district's
    "Finanzielle Auswirkungen" (only a version with its PDF is an OParl Paper)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    content = b"%PDF-1.7\n% Test\n"
    presented.pdf.save(presented.pdf_filename, ContentFile(content), save=False)
    presented.pdf_sha256 = hashlib.sha256(content).hexdigest()
    presented.pdf_size = len(content)
    presented.render_state = RenderState.READY
    presented.rendered_at = NOW
    presented.save()
    (paper,) = [
        p
        for p in _get(client, reverse("drafts:oparl_paper_list", args=[district["district"].slug]))[
            "data"
        ]
        if p["id"].endswith(reverse("drafts:oparl_paper", args=[presented.pk]))
    ]
    validate(paper, "Paper")
    total = financial_impact(presented.snapshot).total
    assert paper[PROPERTY]["ownShare"] == f"{total.own:.2f}"
    assert paper[PROPERTY]["investment"] == f"{total.investment:.2f}"
    assert _get(client, paper["id"]) == paper

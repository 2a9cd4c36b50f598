"""OParl: each body's Vorlage (Paper) carries its part of "Finanzielle Auswirkungen" as the
vendor property ``digitalstrategie:financialImpact``, from the frozen version's snapshot."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drafts import adoption
from drafts.models import DraftState, StrategyDraft
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


def test_a_body_without_measures_shows_zeros(client, presented, district):
    paper = _paper(client, district["elbtalaue"])
    validate(paper, "Paper")
    assert paper[PROPERTY]["ownShare"] == "0.00" and paper[PROPERTY]["years"] == []

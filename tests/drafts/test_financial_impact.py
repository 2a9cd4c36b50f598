"""The Vorlage's section "Finanzielle Auswirkungen": figures, the PDF read back, the draft page."""

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from drafts.tasks import render_now
from drafts.workflow import freeze
from measures.impact import financial_impact
from measures.models import (
    CostPlanYear,
    FundingEntry,
    FundingProgramme,
    FundingState,
    Measure,
    PartnershipState,
)
from tests.factories import MeasureFactory, PartnershipFactory

from .conftest import accept


@pytest.fixture
def money_measures(district, users):
    """A: Hitzacker leads, Dannenberg takes 25 %, mandatory, with approved and open funding.
    B: Gorleben alone, voluntary."""
    leader = FundingProgramme.objects.get(name="LEADER (ELER)")
    a = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Digitale Bauakte", task_kind="mandatory"
    )
    PartnershipFactory(
        measure=a,
        municipality=district["dannenberg"],
        cost_share_percent=Decimal("25"),
        state=PartnershipState.CONFIRMED,
    )
    CostPlanYear.objects.create(
        measure=a,
        year=2027,
        investment_planned=Decimal("10000"),
        running_planned=Decimal("2000"),
        running_actual=Decimal("150"),
    )
    CostPlanYear.objects.create(measure=a, year=2028, running_planned=Decimal("3000"))
    CostPlanYear.objects.create(measure=a, year=2029, follow_up_planned=Decimal("500"))
    FundingEntry.objects.create(
        measure=a,
        programme=leader,
        year=2027,
        amount=Decimal("4000"),
        rate_percent=Decimal("33.33"),
        state=FundingState.APPROVED,
        decided_on=datetime.date(2027, 1, 5),
    )
    FundingEntry.objects.create(
        measure=a, programme=leader, year=2028, amount=Decimal("1000"), state="applied"
    )
    FundingEntry.objects.create(  # rejected: counts nowhere
        measure=a, programme=leader, year=2028, amount=Decimal("777"), state="rejected"
    )
    b = MeasureFactory(
        lead_municipality=district["gorleben"], title="WLAN im Rathaus", task_kind="voluntary"
    )
    CostPlanYear.objects.create(measure=b, year=2027, running_planned=Decimal("1000.01"))
    Measure.objects.filter(pk=a.pk).update(budget_planned=Decimal("15000"))
    Measure.objects.filter(pk=b.pk).update(budget_planned=Decimal("1000.01"))
    return [
        accept(Measure.objects.get(pk=a.pk), users),
        accept(Measure.objects.get(pk=b.pk), users),
    ]


def test_the_figures_per_year_kind_and_body(money_measures, draft, users, district):
    freeze(draft, users["coordinator"], render=False)
    draft.refresh_from_db()
    impact = financial_impact(draft.snapshot)
    rows = {r.year: r for r in impact.years}
    assert sorted(rows) == [2027, 2028, 2029]
    assert (rows[2027].investment, rows[2027].running, rows[2027].funding) == (
        Decimal("10000.00"),
        Decimal("3000.01"),
        Decimal("4000.00"),
    )
    assert rows[2027].own == Decimal("9000.01")
    assert (rows[2028].funding_open, rows[2028].own) == (Decimal("1000.00"), Decimal("3000.00"))
    assert rows[2029].follow_up == Decimal("500.00")
    assert impact.total.own == Decimal("12500.01")
    assert impact.by_kind == [
        ("Pflichtaufgaben", Decimal("15500.00")),
        ("freiwillige Leistungen", Decimal("1000.01")),
    ]
    by_body = {name: (costs, funding, own) for name, costs, funding, own in impact.by_body}
    assert by_body["Hitzacker (Elbe)"] == (
        Decimal("11625.00"),
        Decimal("3000.00"),
        Decimal("8625.00"),
    )
    assert by_body["Dannenberg (Elbe)"] == (
        Decimal("3875.00"),
        Decimal("1000.00"),
        Decimal("2875.00"),
    )
    # The sums per body are the sum of the measures.
    assert sum((own for _c, _f, own in by_body.values()), Decimal(0)) == impact.total.own
    # A body's Vorlage: only its part.
    own = financial_impact(draft.snapshot, body=district["dannenberg"].pk)
    part = {r.year: r for r in own.years}
    assert (part[2027].investment, part[2027].running, part[2027].own) == (
        Decimal("2500.00"),
        Decimal("500.00"),
        Decimal("2000.00"),
    )
    assert part[2028].funding_open == Decimal("250.00")
    assert own.total.own == Decimal("2875.00")


def test_the_pdf_has_the_section_with_years_totals_and_own_shares(money_measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    draft = render_now(type(draft).objects.get(pk=draft.pk))
    with draft.pdf.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    start = text.index("Finanzielle Auswirkungen je Haushaltsjahr")
    section = text[start : text.index("Übersicht aller Maßnahmen", start)]
    for expected in (
        "2027",
        "2028",
        "2029",
        "10.000,00 €",
        "3.000,01 €",
        "9.000,01 €",  # own share 2027
        "1.000,00 €",  # open funding 2028
        "Summe",
        "12.500,01 €",  # total own share
        "Pflichtaufgaben",
        "15.500,00 €",
        "freiwillige Leistungen",
        "Eigenanteil je Kommune",
        "8.625,00 €",
        "2.875,00 €",
    ):
        assert expected in section, expected
    assert "Finanzielle Auswirkungen" in reader.pages[1].extract_text()  # in the contents
    # The overview gains a totals row.
    overview = text[text.index("Übersicht aller Maßnahmen", start) :]
    assert "Summe (2 Maßnahmen)" in overview and "16.000,01 €" in overview
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:  # for looking at the section as a reader would
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "vorlage.pdf"), "wb") as out:
            out.write(data)


def test_the_draft_page_shows_the_same_figures(money_measures, draft, users, as_role):
    freeze(draft, users["coordinator"], render=False)
    page = as_role("council").get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    section = page[page.index('id="finanzen-titel"') :]
    section = section[: section.index("</section>")]
    assert "9.000,01 €" in section and "12.500,01 €" in section and "8.625,00 €" in section


def test_an_old_snapshot_counts_its_single_amount_in_the_start_year(draft):
    snapshot = {
        "frozen_at": "2026-11-01T10:00:00+00:00",
        "bodies": [{"id": 1, "name": "Hitzacker (Elbe)", "kind": "town"}],
        "measures": [
            {
                "reference": "M-0001",
                "lead": {"id": 1, "name": "Hitzacker (Elbe)"},
                "partners": [],
                "planned_start": "2027-03-01",
                "budget_planned": "1234.56",
            },
            {
                "reference": "M-0002",
                "lead": {"id": 1, "name": "Hitzacker (Elbe)"},
                "partners": [],
                "planned_start": None,
                "budget_planned": "10.00",
            },
        ],
    }
    impact = financial_impact(snapshot)
    assert [(r.year, r.running) for r in impact.years] == [
        (2026, Decimal("10.00")),
        (2027, Decimal("1234.56")),
    ]
    assert impact.by_kind == [("noch nicht eingeordnet", Decimal("1244.56"))]


def test_a_snapshot_without_its_moment_counts_this_year():
    """A hand-made or old snapshot (no ``frozen_at``) must not break the draft page: a measure
    with a single planned amount and no plan counts in the current year."""
    from django.utils import timezone

    from measures.impact import financial_impact

    assert financial_impact({"measures": []}).is_empty
    measure = {"id": 1, "field_of_action": 1, "budget_planned": "1000.00", "partners": []}
    measure["lead"] = {"id": 7, "name": "Gorleben"}
    impact = financial_impact({"measures": [measure]})
    assert [row.year for row in impact.years] == [timezone.localdate().year]

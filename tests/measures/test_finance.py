"""Each body's share of the money (measures/finance.py): properties that must always hold."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.finance import CENT, ShareError, shares, split, split_measure

amounts = st.integers(min_value=0, max_value=99_999_999_999_999).map(lambda n: Decimal(n) * CENT)
percents = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) * CENT)


@st.composite
def partner_shares(draw, max_partners=6):
    """Partners "p1".. with shares that together stay within 100 %."""
    count = draw(st.integers(min_value=0, max_value=max_partners))
    left = Decimal("100")
    result = []
    for i in range(count):
        cap = int(left / CENT)
        share = draw(
            st.one_of(st.none(), st.integers(min_value=0, max_value=cap).map(lambda n: n * CENT))
        )
        left -= share or 0
        result.append((f"p{i + 1}", share))
    return result


@given(amounts, partner_shares())
def test_a_split_adds_up_to_the_cent_and_each_part_is_within_a_cent(amount, partners):
    weights = shares("lead", partners)
    parts = split(amount, weights)
    assert sum(parts.values(), Decimal("0")) == amount
    for body, percent in weights:
        exact = amount * percent / 100
        assert parts[body] >= 0
        assert abs(parts[body] - exact) < CENT
        assert parts[body] == parts[body].quantize(CENT)


@given(partner_shares())
def test_the_lead_keeps_what_the_shares_leave(partners):
    weights = shares("lead", partners)
    assert weights[0][0] == "lead"
    assert sum((p for _b, p in weights), Decimal("0")) == 100
    assert weights[0][1] == 100 - sum((p or 0 for _b, p in partners), Decimal("0"))


@given(st.lists(percents, min_size=1, max_size=5))
def test_shares_over_100_percent_are_refused(values):
    partners = [(f"p{i}", v) for i, v in enumerate(values)]
    if sum(values, Decimal("0")) > 100:
        with pytest.raises(ShareError, match="mehr als 100 %"):
            shares("lead", partners)
    else:
        assert shares("lead", partners)[0][1] >= 0


year_rows = st.fixed_dictionaries(
    {
        "investment": st.one_of(st.none(), amounts),
        "running": st.one_of(st.none(), amounts),
        "follow_up": st.one_of(st.none(), amounts),
    }
)


@settings(max_examples=150)
@given(
    st.dictionaries(st.integers(2000, 2100), year_rows, max_size=6),
    st.dictionaries(st.integers(2000, 2100), amounts, max_size=4),
    partner_shares(),
)
def test_sums_per_body_equal_the_sum_per_measure(plan, funding, partners):
    result = split_measure(plan, funding, "lead", partners)
    assert set(result.years) == set(plan) | set(funding)
    total = result.total()
    for name in ("investment", "running", "follow_up"):
        expected = sum((row[name] or 0 for row in plan.values()), Decimal("0"))
        assert getattr(total, name) == expected
        assert sum((getattr(result.body_total(b), name) for b in result.bodies()), Decimal(0)) == (
            expected
        )
    assert total.funding == sum(funding.values(), Decimal("0"))
    # Own shares per body add up to the measure's costs less its approved funding, each year.
    for year in result.years:
        own = sum((part.own for part in result.years[year].values()), Decimal("0"))
        assert own == result.year_total(year).costs - result.year_total(year).funding
    assert sum((result.body_total(b).own for b in result.bodies()), Decimal("0")) == total.own


def test_a_worked_example():
    """Three bodies share 100,00 € a third each: the lead gets the odd cent."""
    weights = shares("Hitzacker", [("Dannenberg", Decimal("33.33")), ("Gartow", Decimal("33.33"))])
    assert weights[0] == ("Hitzacker", Decimal("33.34"))
    assert split(Decimal("100.00"), weights) == {
        "Hitzacker": Decimal("33.34"),
        "Dannenberg": Decimal("33.33"),
        "Gartow": Decimal("33.33"),
    }
    result = split_measure(
        {2027: {"investment": Decimal("10000"), "running": Decimal("2000.01"), "follow_up": None}},
        {2027: Decimal("6000")},
        "Hitzacker",
        [("Dannenberg", Decimal("25")), ("Gartow", None)],
    )
    lead = result.years[2027]["Hitzacker"]
    assert (lead.costs, lead.funding, lead.own) == (
        Decimal("9000.01"),
        Decimal("4500.00"),
        Decimal("4500.01"),
    )
    gartow = result.years[2027]["Gartow"]
    assert (gartow.costs, gartow.own) == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize(
    ("amount", "message"),
    [(Decimal("-1"), "nicht negativ"), (Decimal("0.001"), "Cent genau")],
)
def test_bad_amounts_are_refused(amount, message):
    with pytest.raises(ShareError, match=message):
        split(amount, [("lead", Decimal("100"))])


def test_a_body_named_twice_is_refused():
    with pytest.raises(ShareError, match="nur einmal"):
        shares("lead", [("lead", Decimal("10"))])

"""Each body's share of a measure's money: exact, in cents, pure (no database).

For a joint measure the confirmed partners' cost shares (percent) split every year's costs; what
the shares leave of 100 % stays with the lead body. Approved funding is split the same way, so a
body's own share (Eigenanteil) is its share of the costs less its share of approved funding.

Rounding: every amount is split into whole cents with the largest-remainder method, so the
parts of one amount always add up to exactly that amount (no cent appears or disappears), and
each part differs from its exact value by less than one cent. Ties go to the body named first
(the lead, then the partners in the order given).

Costs of a year are investment plus running costs plus follow-up costs (the planned figures
of the cost plan): what the bodies have to budget.
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
COMPONENTS = ("investment", "running", "follow_up", "funding")


class ShareError(ValueError):
    """Shares that cannot be applied; ``str(error)`` is the German reason."""


def cents(value):
    """A non-negative amount in whole cents (None counts as zero)."""
    value = Decimal(value or 0)
    if value < 0:
        raise ShareError("Beträge dürfen nicht negativ sein.")
    if value != value.quantize(CENT):
        raise ShareError("Beträge werden auf den Cent genau angegeben.")
    return value.quantize(CENT)


def shares(lead, partners):
    """[(body, percent)] with the lead first, holding what the partners' shares leave.

    ``partners``: [(body, percent or None)] of the confirmed partners; None is no share
    (the partner takes part without paying). Refused with ShareError above 100 %.
    """
    result = []
    taken = Decimal("0")
    seen = {lead}
    for body, percent in partners:
        if body in seen:
            raise ShareError("Jede Kommune darf nur einmal beteiligt sein.")
        seen.add(body)
        percent = Decimal(percent or 0)
        if percent < 0 or percent > HUNDRED:
            raise ShareError("Ein Kostenanteil liegt zwischen 0 und 100 %.")
        taken += percent
        result.append((body, percent))
    if taken > HUNDRED:
        raise ShareError("Die Kostenanteile der Beteiligten ergeben zusammen mehr als 100 %.")
    return [(lead, HUNDRED - taken), *result]


def split(amount, weights):
    """{body: part} of ``amount`` by the percentages in ``weights`` (summing to 100), in
    whole cents that add up to exactly ``amount``."""
    amount = cents(amount)
    total_cents = int(amount / CENT)
    exact = [(body, Decimal(total_cents) * percent / HUNDRED) for body, percent in weights]
    if sum((percent for _body, percent in weights), Decimal("0")) != HUNDRED:
        raise ShareError("Die Anteile ergeben nicht 100 %.")
    floors = {body: int(value.to_integral_value(rounding=ROUND_FLOOR)) for body, value in exact}
    left = total_cents - sum(floors.values())
    # The cents left go to the largest remainders; ties to the body named first.
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[exact[i][0]]), i))
    for i in order[:left]:
        floors[exact[i][0]] += 1
    return {body: Decimal(n) * CENT for body, n in floors.items()}


@dataclass
class BodyYear:
    """One body's part of one budget year."""

    investment: Decimal = Decimal("0.00")
    running: Decimal = Decimal("0.00")
    follow_up: Decimal = Decimal("0.00")
    funding: Decimal = Decimal("0.00")

    @property
    def costs(self):
        return self.investment + self.running + self.follow_up

    @property
    def own(self):
        """Own share (Eigenanteil): costs less approved funding."""
        return self.costs - self.funding

    def add(self, other):
        for name in COMPONENTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Split:
    """A measure's money by body and budget year."""

    weights: list
    years: dict = field(default_factory=dict)  # {year: {body: BodyYear}}

    @property
    def lead_percent(self):
        return self.weights[0][1]

    def bodies(self):
        return [body for body, _percent in self.weights]

    def body_total(self, body):
        total = BodyYear()
        for parts in self.years.values():
            total.add(parts[body])
        return total

    def year_total(self, year):
        total = BodyYear()
        for part in self.years[year].values():
            total.add(part)
        return total

    def total(self):
        total = BodyYear()
        for year in self.years:
            total.add(self.year_total(year))
        return total


def split_measure(plan, funding, lead, partners):
    """The measure's costs and approved funding by body and year.

    ``plan``: {year: {"investment": ..., "running": ..., "follow_up": ...}} (planned figures;
    None counts as zero); ``funding``: {year: approved amount}; ``lead`` and ``partners`` as
    for :func:`shares`. Years with funding but no plan row are included.
    """
    weights = shares(lead, partners)
    result = Split(weights=weights)
    for year in sorted(set(plan) | set(funding)):
        row = plan.get(year) or {}
        parts = {body: BodyYear() for body, _percent in weights}
        amounts = {
            "investment": row.get("investment"),
            "running": row.get("running"),
            "follow_up": row.get("follow_up"),
            "funding": funding.get(year),
        }
        for name, amount in amounts.items():
            for body, part in split(amount, weights).items():
                setattr(parts[body], name, part)
        result.years[year] = parts
    return result

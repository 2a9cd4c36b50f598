"""Evaluation of the money: planned against actual costs per budget year and field of action,
and the measures whose actual costs exceed their plan by more than 20 % ("Handlungsbedarf").

Costs are investment plus running costs (the cost plan's planned and actual figures). A
measure's overrun compares only the years with an actual figure: a year still to come has
none, and its plan does not hide an overrun of the years past. Staff see the current figures,
the public the published versions (``public_snapshot``: planned and actual as published).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import data_version
from core.charts import Bar, Row, narrow_bars
from fields_of_action.models import FieldOfAction
from measures.models import CostPlanYear

OVERRUN = Decimal("1.2")
ZERO = Decimal("0.00")
PLAN_COLOUR, ACTUAL_COLOUR = "#0b4f6c", "#9a6700"


def _d(value):
    return Decimal(value) if value not in (None, "") else None


@dataclass
class Cell:
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    has_actual: bool = False

    @property
    def deviation(self):
        """Actual against planned in percent (None without a plan or an actual figure)."""
        if not self.has_actual or not self.planned:
            return None
        return ((self.actual - self.planned) * 100 / self.planned).quantize(Decimal("0.1"))


@dataclass
class MoneyEvaluation:
    years: list = field(default_factory=list)  # [(year, Cell)]
    rows: list = field(default_factory=list)  # [(year, field number, Cell)]
    overruns: list = field(default_factory=list)  # [{"pk", "title", "lead", ...}]


def _rows_current(measures):
    """(measure pk, title, lead label, field number, year, inv/run planned, inv/run actual)."""
    return [
        (
            row["measure_id"],
            row["measure__title"],
            row["measure__lead_municipality__label"],
            row["measure__field_of_action__number"],
            row["year"],
            [row["investment_planned"], row["running_planned"]],
            [row["investment_actual"], row["running_actual"]],
        )
        for row in CostPlanYear.objects.filter(measure__in=measures.values("pk"))
        .order_by("measure_id", "year")
        .values(
            "measure_id",
            "measure__title",
            "measure__lead_municipality__label",
            "measure__field_of_action__number",
            "year",
            "investment_planned",
            "running_planned",
            "investment_actual",
            "running_actual",
        )
    ]


def _rows_published(measures):
    rows = []
    published = measures.filter(public_snapshot__isnull=False).order_by("pk")
    for pk, title, lead, number, planned, actual in published.values_list(
        "pk",
        "public_snapshot__title",
        "public_lead__label",
        "public_snapshot__field_of_action",
        "public_snapshot__cost_plan",
        "public_snapshot__cost_actual",
    ):
        actual_by_year = {a["year"]: a for a in actual or []}
        years = {p["year"]: p for p in planned or []}
        for year in sorted(set(years) | set(actual_by_year)):
            p, a = years.get(year, {}), actual_by_year.get(year, {})
            rows.append(
                (
                    pk,
                    title,
                    lead,
                    number,
                    year,
                    [p.get("investment_planned"), p.get("running_planned")],
                    [a.get("investment_actual"), a.get("running_actual")],
                )
            )
    return rows


def evaluate(rows):
    """MoneyEvaluation of cost plan rows (see _rows_current); pure."""
    by_year = defaultdict(Cell)
    by_year_field = defaultdict(Cell)
    by_measure = {}
    for pk, title, lead, number, year, planned, actual in rows:
        planned = sum((_d(v) or ZERO for v in planned), ZERO)
        stated = [_d(v) for v in actual if _d(v) is not None]
        actual = sum(stated, ZERO)
        for cell in (by_year[year], by_year_field[(year, number)]):
            cell.planned += planned
            cell.actual += actual
            cell.has_actual = cell.has_actual or bool(stated)
        entry = by_measure.setdefault(pk, {"pk": pk, "title": title, "lead": lead, "cell": Cell()})
        if stated:  # only years with an actual figure count for the overrun
            entry["cell"].planned += planned
            entry["cell"].actual += actual
            entry["cell"].has_actual = True
    overruns = []
    for entry in by_measure.values():
        cell = entry["cell"]
        if cell.has_actual and cell.actual > cell.planned * OVERRUN:
            overruns.append(
                dict(
                    entry,
                    planned=cell.planned,
                    actual=cell.actual,
                    deviation=cell.deviation,
                )
            )
    overruns.sort(key=lambda e: (-(e["actual"] - e["planned"]), e["title"] or "", e["pk"]))
    return MoneyEvaluation(
        years=sorted(by_year.items()),
        rows=[(year, number, cell) for (year, number), cell in sorted(by_year_field.items())],
        overruns=overruns,
    )


def _euro(value):
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True) + " €"


def _percent(value):
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return sign + formats.number_format(value, 1, use_l10n=True) + " %"


def _shown(cell):
    """(planned, actual, deviation) as shown; no actual figure yet is "–", not zero."""
    actual = _euro(cell.actual) if cell.has_actual else "–"
    return _euro(cell.planned), actual, _percent(cell.deviation)


def chart(evaluation):
    """Bars per budget year: planned and actual costs. SVG with title and description; the
    page shows the same numbers in a table."""
    years = evaluation.years
    maximum = max((max(c.planned, c.actual) for _y, c in years), default=ZERO) or Decimal(1)
    label_width, bar_width, row = 60, 320, 40
    parts = []
    for index, (year, cell) in enumerate(years):
        y = 8 + index * row
        for offset, value, colour in (
            (0, cell.planned, PLAN_COLOUR),
            (17, cell.actual, ACTUAL_COLOUR),
        ):
            width = float(bar_width * value / maximum)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    label_width,
                    y + offset,
                    f"{width:.1f}",
                    colour,
                    f"{label_width + width + 5:.1f}",
                    y + offset + 11,
                    _euro(value),
                )  # fmt: skip
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                label_width - 6,
                y + 20,
                year,
            )  # fmt: skip
        )
    height = 8 + len(years) * row + 24
    legend = format_html(
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11">geplant</text>'
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11">Ist</text>',
        label_width, height - 18, PLAN_COLOUR, label_width + 16, height - 8,
        label_width + 80, height - 18, ACTUAL_COLOUR, label_width + 96, height - 8,
    )  # fmt: skip
    description = "; ".join(
        f"{year}: geplant {_euro(c.planned)}, Ist {_euro(c.actual)}" for year, c in years
    )
    width = label_width + bar_width + 110
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="diagramm-kosten" '
        'viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="diagramm-kosten-title diagramm-kosten-desc">'
        '<title id="diagramm-kosten-title">Kosten je Haushaltsjahr: geplant und Ist</title>'
        '<desc id="diagramm-kosten-desc">{}</desc>{}{}</svg>',
        width, height, width, height, description,
        format_html_join("", "{}", ((p,) for p in parts)), legend,
    )  # fmt: skip


def chart_narrow(evaluation):
    """``chart`` for a phone's width (screen only): the year above its two bars."""
    rows = [
        Row(
            str(year),
            [
                Bar(
                    [(cell.planned, PLAN_COLOUR, f"geplant: {_euro(cell.planned)}")],
                    _euro(cell.planned),
                ),
                Bar(
                    [(cell.actual, ACTUAL_COLOUR, f"Ist: {_euro(cell.actual)}")],
                    _euro(cell.actual) if cell.has_actual else "Ist: –",
                ),
            ],
        )
        for year, cell in evaluation.years
    ]
    description = "; ".join(
        f"{year}: geplant {_euro(c.planned)}, Ist {_euro(c.actual)}" for year, c in evaluation.years
    )
    return narrow_bars(
        "diagramm-kosten-schmal",
        "Kosten je Haushaltsjahr: geplant und Ist",
        description,
        rows,
        legend=[(PLAN_COLOUR, "geplant"), (ACTUAL_COLOUR, "Ist")],
    )


def report_costs(measures):
    """Planned against actual per budget year and field, the years' sums and the total, as
    text for a frozen snapshot (the Sachstandsbericht); None without any published cost plan.

    The report becomes public, so it sums the published versions' cost plans of the measures
    in ``measures`` (as the public evaluation page does): a measure never published and a
    change not yet published add nothing. Sums name no measure. The total's deviation
    compares only the years with an actual figure, as each year's does.
    """
    evaluation = evaluate(_rows_published(measures))
    if not evaluation.years:
        return None
    titles = dict(FieldOfAction.objects.values_list("number", "short_title"))
    total, stated = Cell(), Cell()
    for _year, cell in evaluation.years:
        total.planned += cell.planned
        total.actual += cell.actual
        total.has_actual = total.has_actual or cell.has_actual
        if cell.has_actual:
            stated.planned += cell.planned
            stated.actual += cell.actual
            stated.has_actual = True

    def shown(cell):
        planned, actual, deviation = _shown(cell)
        return {"planned": planned, "actual": actual, "deviation": deviation}

    return {
        "years": [
            {
                "year": year,
                **shown(cell),
                "fields": [
                    {"field": f"{number}. {titles.get(number, '')}".strip(), **shown(c)}
                    for y, number, c in evaluation.rows
                    if y == year
                ],
            }
            for year, cell in evaluation.years
        ],
        "total": {
            "planned": _euro(total.planned),
            "actual": _euro(total.actual) if total.has_actual else "–",
            "deviation": _percent(stated.deviation),
        },
    }


def money_context(measures, municipality, public):
    """The context of evaluation/includes/money.html, cached under the data version."""

    def compute():
        evaluation = evaluate(_rows_published(measures) if public else _rows_current(measures))
        if not evaluation.years:
            return None
        return {
            "chart": str(chart(evaluation)),
            "chart_narrow": str(chart_narrow(evaluation)),
            "years": [
                (
                    year,
                    _euro(c.planned),
                    _euro(c.actual) if c.has_actual else "–",
                    _percent(c.deviation),
                )
                for year, c in evaluation.years
            ],
            "rows": [
                (
                    year,
                    number,
                    _euro(c.planned),
                    _euro(c.actual) if c.has_actual else "–",
                    _percent(c.deviation),
                )
                for year, number, c in evaluation.rows
            ],
            "overruns": [
                dict(
                    e,
                    planned=_euro(e["planned"]),
                    actual=_euro(e["actual"]),
                    deviation=_percent(e["deviation"]),
                )
                for e in evaluation.overruns
            ],
        }

    audience = "public" if public else "internal"
    # v2: with the narrow chart.
    key = f"evaluation-money:v2:{audience}:{municipality.pk if municipality else 'all'}"
    money = data_version.cached(key, compute)
    if money is not None:
        money = dict(
            money,
            chart=mark_safe(money["chart"]),  # noqa: S308 - format_html output
            chart_narrow=mark_safe(money["chart_narrow"]),  # noqa: S308 - format_html output
        )
    return {"money": money}

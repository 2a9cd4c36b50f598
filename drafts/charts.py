"""The two charts of the draft's summary, as SVG: vector graphics in the PDF, the same on screen.

Each SVG has a <title> (WeasyPrint makes it the Alt text of the tagged Figure) and the page
shows the numbers in a table beside it, so the chart is never the only way to read them.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.charts import Bar, Row, narrow_bars

# Colours with at least 3:1 contrast against white (WCAG 1.4.11) and distinct in greyscale.
STATUS_COLOURS = ["#57606a", "#0b4f6c", "#9a6700", "#1a7f37", "#8250df"]
BAR_COLOUR = "#0b4f6c"
# The label column holds the six fields' full short titles ("4. IT-Sicherheit, Datenschutz und
# Datenmanagement", about 290 units at font-size 11); only longer custom titles are shortened.
LABEL_WIDTH, BAR_WIDTH, ROW = 320, 280, 24
LABEL_CHARS = 54


STATUS_TITLE = "Maßnahmen je Handlungsfeld nach Umsetzungsstand"
BUDGET_TITLE = "Geplantes Budget je Handlungsfeld"


def _f(number):
    return f"{number:.1f}"


def _euro(value):
    return formats.number_format(Decimal(value), 0, use_l10n=True, force_grouping=True) + " €"


def _svg(chart_id, title, description, height, body):
    width = LABEL_WIDTH + BAR_WIDTH + 90
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{}" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, height, width, height, chart_id, chart_id,
        chart_id, title, chart_id, description, body,
    )  # fmt: skip


def _label(y, text):
    text = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
    return format_html(
        '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>', LABEL_WIDTH - 6, y, text
    )


def status_per_field(summary):
    """Stacked bars: per field of action the measures in each implementation status."""
    fields = summary["fields"]
    maximum = max((row["total"] for row in fields), default=0) or 1
    rows = []
    for index, row in enumerate(fields):
        y = 8 + index * ROW
        parts = [_label(y + 14, f"{row['number']}. {row['short_title']}")]
        x = LABEL_WIDTH
        for count, colour in zip(row["counts"], STATUS_COLOURS, strict=True):
            if not count:
                continue
            width = BAR_WIDTH * count / maximum
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>',
                    _f(x),
                    y + 2,
                    _f(width),
                    colour,
                )  # fmt: skip
            )
            x += width
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11">{}</text>', _f(x + 5), y + 14, row["total"]
            )
        )
        rows.append(mark_safe("".join(str(p) for p in parts)))  # noqa: S308 - format_html parts
    legend_y = 8 + len(fields) * ROW + 8
    items, x = [], 10
    for (_code, name), colour in zip(summary["statuses"], STATUS_COLOURS, strict=True):
        items.append((x, legend_y, colour, x + 13, legend_y + 9, name))
        x += 13 + 6 * len(name) + 14  # about 6 units per character at font-size 10
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
        '<text x="{}" y="{}" font-size="10">{}</text>',
        items,
    )
    return _svg(
        "diagramm-stand",
        STATUS_TITLE,
        _status_description(summary),
        legend_y + 22,
        mark_safe("".join(rows) + str(legend)),  # noqa: S308 - format_html parts
    )


def budget_per_field(summary):
    """Bars: planned budget per field of action."""
    fields = summary["fields"]
    maximum = max((row["budget"] for row in fields), default=Decimal(0)) or Decimal(1)
    rows = []
    for index, row in enumerate(fields):
        y = 8 + index * ROW
        width = float(BAR_WIDTH * row["budget"] / maximum)
        rows.append(
            mark_safe(  # noqa: S308 - format_html parts
                str(_label(y + 14, f"{row['number']}. {row['short_title']}"))
                + str(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>'
                        '<text x="{}" y="{}" font-size="11">{}</text>',
                        LABEL_WIDTH,
                        y + 2,
                        _f(width),
                        BAR_COLOUR,
                        _f(LABEL_WIDTH + width + 5),
                        y + 14,
                        _euro(row["budget"]),
                    )  # fmt: skip
                )
            )
        )
    return _svg(
        "diagramm-budget",
        BUDGET_TITLE,
        _budget_description(summary),
        8 + len(fields) * ROW + 8,
        mark_safe("".join(rows)),  # noqa: S308 - format_html parts
    )


def _status_description(summary):
    return "; ".join(
        f"Handlungsfeld {row['number']}: {row['total']} Maßnahmen"
        + "".join(
            f", {count} {name}"
            for (code, name), count in zip(summary["statuses"], row["counts"], strict=True)
            if count
        )
        for row in summary["fields"]
    )


def _budget_description(summary):
    return "; ".join(
        f"Handlungsfeld {row['number']}: {_euro(row['budget'])}" for row in summary["fields"]
    )


def status_per_field_narrow(summary):
    """``status_per_field`` for a phone's width (screen only): labels above the bars."""
    names = [name for _code, name in summary["statuses"]]
    rows = [
        Row(
            f"{row['number']}. {row['short_title']}",
            [
                Bar(
                    [
                        (count, colour, f"{name}: {count}")
                        for count, colour, name in zip(
                            row["counts"], STATUS_COLOURS, names, strict=True
                        )
                    ],
                    str(row["total"]),
                )
            ],
        )
        for row in summary["fields"]
    ]
    return narrow_bars(
        "diagramm-stand-schmal",
        STATUS_TITLE,
        _status_description(summary),
        rows,
        legend=list(zip(STATUS_COLOURS, names, strict=True)),
    )


def budget_per_field_narrow(summary):
    """``budget_per_field`` for a phone's width (screen only): labels above the bars."""
    rows = [
        Row(
            f"{row['number']}. {row['short_title']}",
            [Bar([(row["budget"], BAR_COLOUR, _euro(row["budget"]))], _euro(row["budget"]))],
        )
        for row in summary["fields"]
    ]
    return narrow_bars("diagramm-budget-schmal", BUDGET_TITLE, _budget_description(summary), rows)

"""Charts rendered on the server as SVG: usable in the browser and in the PDF alike.

Each chart has a <title> and <desc>, role="img" and aria-labelledby; the pages show the same
numbers in a data table beside each chart, so the chart is never the only way to read them.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.charts import Bar, Row, narrow_bars

from .periods import format_period
from .status import IndicatorStatus
from .units import unit_suffix

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
STATUS_COLOURS = {
    IndicatorStatus.ON_TRACK: "#1a7f37",
    IndicatorStatus.AT_RISK: "#9a6700",
    IndicatorStatus.OFF_TRACK: "#b42318",
    IndicatorStatus.STALE: "#6e40c9",
    IndicatorStatus.NO_DATA: "#57606a",
}


def _f(number):
    return f"{number:.1f}"


def _number(value):
    text = f"{Decimal(value).normalize():f}" if value is not None else "–"
    return text.replace(".", ",")


def status_bar_chart(chart_id, title, description, groups):
    """Horizontal stacked bars: per group the number of indicators in each status."""
    label_width, bar_width, row_height = 230, 400, 28
    height = 40 + row_height * max(len(groups), 1) + 30
    width = label_width + bar_width + 60
    maximum = max((group.total for group in groups), default=0) or 1
    rows = []
    for index, group in enumerate(groups):
        y = 30 + index * row_height
        # 30 characters of 13 px text fit the 222 px label column without running off.
        label = group.label if len(group.label) <= 30 else group.label[:29] + "…"
        parts = [
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>',
                label_width - 8,
                y + 17,
                label,
            )
        ]
        x = label_width
        for status, count in group.ordered_counts():
            if not count:
                continue
            segment = bar_width * count / maximum
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="20" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _f(x),
                    y + 3,
                    _f(segment),
                    STATUS_COLOURS[status],
                    group.label,
                    count,
                    status.label,
                )
            )
            x += segment
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>', _f(x + 6), y + 17, group.total
            )
        )
        rows.append(mark_safe("".join(parts)))  # noqa: S308 - parts built with format_html
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"></rect>'
        '<text x="{}" y="{}" class="chart-legend">{}</text>',
        (
            (
                10 + i * 130,
                height - 20,
                STATUS_COLOURS[status],
                10 + i * 130 + 16,
                height - 10,
                status.label,
            )
            for i, status in enumerate(STATUS_COLOURS)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="eval-chart" viewBox="0 0 {w} {h}" '
        'width="100%" role="img" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.chart-label,.chart-value,.chart-legend{{font:13px sans-serif;fill:#212529}}"
        "</style>{rows}{legend}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        rows=mark_safe("".join(rows)),  # noqa: S308 - built with format_html
        legend=legend,
    )


def status_bar_chart_narrow(chart_id, title, description, groups):
    """``status_bar_chart`` for a phone's width: each group's name above its bar."""
    rows = [
        Row(
            group.label,
            [
                Bar(
                    [
                        (count, STATUS_COLOURS[status], f"{status.label}: {count}")
                        for status, count in group.ordered_counts()
                    ],
                    str(group.total),
                )
            ],
        )
        for group in groups
    ]
    legend = [(colour, status.label) for status, colour in STATUS_COLOURS.items()]
    return narrow_bars(chart_id, title, description, rows, legend)


def indicator_line_chart(chart_id, indicator, measurements, today=None, narrow=False):
    """The time series of an indicator with its baseline and target as dashed lines.

    Periods that begin after today are never drawn (a value stored for them before the
    plausibility rules would otherwise stretch the line into the future). ``narrow``: the
    same for a phone's width (12-unit text in 280 units, shown 1:1 or larger).
    """
    if narrow:
        width, height = 280, 220
        left, right, top, bottom = 48, 8, 20, 40
    else:
        width, height = 640, 280
        left, right, top, bottom = 70, 20, 20, 50
    today = today or timezone.localdate()
    points = [(m.period, m.value) for m in measurements if m.period <= today]
    values = [v for _, v in points]
    for extra in (indicator.baseline_value, indicator.target_value):
        if extra is not None:
            values.append(extra)
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    if low == high:
        low, high = low - 1, high + 1
    padding = (high - low) / 10
    low, high = low - padding, high + padding
    dates = [p for p, _ in points]
    if indicator.baseline_date:
        dates.append(indicator.baseline_date)
    dates.append(indicator.target_date)
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(day):
        return left + plot_w * (day - start).days / span

    def y_of(value):
        return top + plot_h * float((high - value) / (high - low))

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#495057"></line>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#495057"></line>',
            left,
            top,
            left,
            top + plot_h,
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
        )
    ]
    for value in (low + padding, high - padding):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>',
                left - 6,
                _f(y_of(value) + 4),
                _number(round(value, 2)),
            )
        )
    for day, anchor in ((start, "start"), (end, "end")):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" class="chart-label">{}</text>',
                _f(x_of(day)),
                top + plot_h + 20,
                anchor,
                day.strftime("%m/%Y"),
            )
        )
    # Baseline labelled at the left, target at the right: close values never overlap.
    for value, label, colour, label_x, anchor in (
        (indicator.baseline_value, "Ausgangswert", "#57606a", left + 6, "start"),
        (indicator.target_value, "Zielwert", "#1a7f37", left + plot_w, "end"),
    ):
        if value is None:
            continue
        parts.append(
            format_html(
                '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" '
                'stroke-dasharray="6 4"></line>'
                '<text x="{}" y="{ty}" text-anchor="{}" class="chart-label">{} {}</text>',
                left,
                left + plot_w,
                colour,
                label_x,
                anchor,
                label,
                _number(value),
                y=_f(y_of(value)),
                ty=_f(y_of(value) - 5),
            )
        )
    if points:
        path = " ".join(f"{x_of(p):.1f},{y_of(v):.1f}" for p, v in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="#0b4f6c" stroke-width="2.5"></polyline>',
                path,
            )
        )
        for period, value in points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="#0b4f6c">'
                    "<title>{}: {} {}</title></circle>",
                    _f(x_of(period)),
                    _f(y_of(value)),
                    format_period(period, indicator.frequency),
                    _number(value),
                    indicator.unit,
                )
            )
    description = (
        f"Verlauf von {len(points)} Messwerten"
        + (
            f", Ausgangswert {_number(indicator.baseline_value)}"
            if indicator.baseline_value is not None
            else ""
        )
        + f", Zielwert {_number(indicator.target_value)}{unit_suffix(indicator.unit)} bis "
        f"{indicator.target_date:%d.%m.%Y}. Die Werte stehen in der Tabelle."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {w} {h}" '
        'width="100%" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.chart-label{{font:12px sans-serif;fill:#212529}}</style>{parts}</svg>",
        css="chart chart-small" if narrow else "eval-chart",
        w=width,
        h=height,
        id=chart_id,
        title=f"{indicator.name} ({indicator.unit})",
        desc=description,
        parts=mark_safe("".join(parts)),  # noqa: S308 - built with format_html
    )


def fields_over_time_chart(chart_id, days, rows):
    """Per field of action a row of columns, one per day: the measures in progress or
    completed then (the Sachstandsbericht's "status over time"; ``rows`` as its snapshot holds
    them, ``[{"field": "1. …", "counts": [..]}]``, ``days`` the days as text "31.03.2026").

    Deterministic: the same snapshot gives the same SVG, so the PDF stays byte-identical.
    """
    label_width, plot_width, row_height, bar_height = 330, 360, 34, 22
    columns = max(len(days), 1)
    step = plot_width / columns
    bar = min(step * 0.6, 36)
    top = 24
    height = top + row_height * max(len(rows), 1) + 8
    width = label_width + plot_width + 10
    maximum = max((n for row in rows for n in row["counts"]), default=0) or 1
    parts = [
        format_html(
            '<text x="{}" y="14" text-anchor="middle" class="chart-legend">{}</text>',
            _f(label_width + step * (i + 0.5)),
            day[:6] + day[-2:],  # "31.03.26": eight columns fit side by side
        )
        for i, day in enumerate(days)
    ]
    for index, row in enumerate(rows):
        y = top + index * row_height
        label = row["field"] if len(row["field"]) <= 54 else row["field"][:53] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6e7781"></line>',
                label_width - 8,
                y + bar_height,
                label,
                label_width,
                y + bar_height + 2,
                label_width + plot_width,
                y + bar_height + 2,
            )
        )
        for i, count in enumerate(row["counts"]):
            h = bar_height * count / maximum
            x = label_width + step * (i + 0.5) - bar / 2
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b4f6c"></rect>'
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    _f(x),
                    _f(y + bar_height + 2 - h),
                    _f(bar),
                    _f(h),
                    _f(x + bar + 2),
                    y + bar_height,
                    count,
                )
            )
    description = (
        "; ".join(
            f"{row['field']}: "
            + ", ".join(f"{n} am {day}" for n, day in zip(row["counts"], days, strict=True))
            for row in rows
        )
        + ". Die Zahlen stehen auch in der Tabelle."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="eval-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.chart-label{{font:11px sans-serif;fill:#212529}}"
        ".chart-value,.chart-legend{{font:10px sans-serif;fill:#212529}}</style>{parts}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title="Maßnahmen in Umsetzung oder abgeschlossen je Handlungsfeld im Zeitverlauf",
        desc=description,
        parts=mark_safe("".join(str(p) for p in parts)),  # noqa: S308 - built with format_html
    )

"""Bar charts for a phone's width, as SVG, beside the wide charts of the pages.

The wide charts put the labels in a column left of the bars and need 40 to 52rem to keep their
text at 12 px; on a phone they would scroll inside their region. The narrow variant puts each
label above its bar, wrapped (never cut), and the value after the bar, in a viewBox of
``NARROW_WIDTH`` units with 12-unit text: at 288 CSS px (a 320 px screen less the margins) the
text is 12 px or more. Pages show one of the two by CSS (``.chart-wide`` / ``.chart-narrow``).
"""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

NARROW_WIDTH = 280
FONT = 12
LINE = 16  # height of one text line
BAR = 16  # height of one bar
# About 6.8 units per character of 12-unit sans-serif text; wrapping uses a safe average.
CHAR = 6.8
LABEL_CHARS = 36


@dataclass
class Bar:
    """One bar: its segments (value, colour, tooltip) and the text after it."""

    segments: list
    value_text: str


@dataclass
class Row:
    label: str
    bars: list = field(default_factory=list)


def _f(number):
    return f"{number:.1f}"


def wrap(text, chars=LABEL_CHARS):
    """The label in lines of at most ``chars`` characters (long words are broken, not cut)."""
    return textwrap.wrap(str(text), chars, break_long_words=True, break_on_hyphens=True) or [""]


def narrow_bars(chart_id, title, description, rows, legend=()):
    """Rows of a label (wrapped) above one or more bars; ``legend``: (colour, name) pairs.

    All bars share one scale: the largest total fills the width left after the longest value
    text.
    """
    totals = [sum(value for value, _c, _t in bar.segments) for row in rows for bar in row.bars]
    maximum = max(totals, default=0) or 1
    longest = max((len(bar.value_text) for row in rows for bar in row.bars), default=0)
    bar_room = NARROW_WIDTH - 6 - CHAR * longest
    parts = []
    y = 4
    for row in rows:
        for line in wrap(row.label):
            y += LINE
            parts.append(
                format_html('<text x="0" y="{}" class="chart-label">{}</text>', y - 4, line)
            )
        for bar in row.bars:
            x = 0.0
            for value, colour, tooltip in bar.segments:
                if not value:
                    continue
                width = bar_room * float(value) / float(maximum)
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}</title></rect>",
                        _f(x),
                        y + 2,
                        _f(width),
                        BAR,
                        colour,
                        tooltip,
                    )  # fmt: skip
                )
                x += width
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart-label">{}</text>',
                    _f(x + 5),
                    y + 2 + BAR - 3,
                    bar.value_text,
                )  # fmt: skip
            )
            y += BAR + 4
        y += 10
    for colour, name in legend:
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="12" height="12" fill="{}"></rect>'
                '<text x="18" y="{}" class="chart-label">{}</text>',
                y + 2,
                colour,
                y + 12,
                name,
            )  # fmt: skip
        )
        y += LINE + 2
    height = y + 6
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-small" id="{id}" '
        'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.chart-label{{font:{font}px sans-serif;fill:#212529}}</style>{parts}</svg>",
        id=chart_id,
        w=NARROW_WIDTH,
        h=height,
        title=title,
        desc=description,
        font=FONT,
        parts=format_html_join("", "{}", ((p,) for p in parts)),
    )

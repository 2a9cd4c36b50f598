"""Default texts of the legal and information pages (Markdown files in `texts/`, German).

They describe what the portal really does. The coordinator adapts them in the portal
(addresses, the data protection officer) before the portal goes live. A line break in the
text is a line break on the page; an empty line starts a new paragraph.
"""

import datetime
from functools import cache
from pathlib import Path

from .models import Conformity, PageKind

TEXTS = Path(__file__).resolve().parent / "texts"

# Date of the statement shipped with the portal; the coordinator updates it after a review.
STATEMENT_DATE = datetime.date(2026, 12, 1)


@cache
def _read(name):
    return (TEXTS / f"{name}.md").read_text(encoding="utf-8")


def page_text(kind, urls):
    """The default Markdown of a page, with the portal's own addresses filled in."""
    return _read(PageKind(kind).value).format(**urls)


def statement_values(urls):
    """Field values of the default Erklärung zur Barrierefreiheit."""
    return {
        "conformity": Conformity.PARTIAL,
        "shortcomings": _read("shortcomings").format(**urls),
        "method": _read("method"),
        "prepared_on": STATEMENT_DATE,
        "reviewed_on": STATEMENT_DATE,
        "feedback_email": "",
        "conciliation": _read("conciliation"),
    }

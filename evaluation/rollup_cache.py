"""The evaluation dashboard's roll-ups, computed once and cached until their data changes.

The roll-ups (status counts by field, body and district, the charts, the short lists of the
need for action) are the same for everyone who sees the same scope: the public sees the
published version, every internal user reads all measures. So they are computed once per
scope, audience and day, rendered to HTML and kept in the shared cache under the data version
(core.data_version): any write of a measure, partnership, indicator, value,
assessment, body or field of action moves the version on, and the next request computes
afresh. The pages of the table of measures are cached the same way, one entry per page that
exists (an out-of-range or malformed ``?page`` is the page Paginator.get_page shows for it,
so no request can fill the cache with entries of its own).

``EVALUATION_ROLLUP_CACHE_SECONDS`` bounds the life of an entry (the safety net for a write
that bypassed the version; the date in the key covers the passage of time).
"""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone

from core import data_version

from . import charts
from .rollup import DISPLAY_ORDER, MEASURE_PAGE_SIZE, build_rollups, measure_table

# Part of every key: raise it when the cached structure or its templates change, so that a
# new release never reads what an older one cached.
FORMAT = 4


def name(part, municipality, public, authenticated, today):
    """The name of one cached part (``rollups``, ``table-<page>``) under the data version."""
    audience = ("public" if public else "internal") + ("-auth" if authenticated else "")
    scope = municipality.pk if municipality else "all"
    return f"evaluation:{FORMAT}:{part}:{today.isoformat()}:{audience}:{scope}"


def _compute(measures, municipality, public, authenticated, today):
    data = build_rollups(measures, today=today, public=public)
    context = {
        **data,
        "municipality": municipality,
        "scope_label": str(municipality) if municipality and not municipality.is_district else None,
        "status_order": DISPLAY_ORDER,
        "authenticated": authenticated,
        "field_chart": charts.status_bar_chart(
            "chart-felder",
            "Status der Indikatoren nach Handlungsfeld",
            "Gestapelte Balken: je Handlungsfeld die Zahl der Indikatoren auf Kurs, gefährdet, "
            "nicht auf Kurs, veraltet und ohne Daten. Dieselben Zahlen stehen in der Tabelle "
            "zum Diagramm.",
            data["by_field"],
        ),
        "municipality_chart": charts.status_bar_chart(
            "chart-kommunen",
            "Status der Indikatoren nach federführender Kommune",
            "Gestapelte Balken: je Kommune die Zahl der Indikatoren in jedem Status. Die Zahlen "
            "stehen in der Tabelle zum Diagramm.",
            data["by_municipality"],
        ),
        "field_chart_narrow": charts.status_bar_chart_narrow(
            "chart-felder-schmal",
            "Status der Indikatoren nach Handlungsfeld",
            "Gestapelte Balken: je Handlungsfeld die Zahl der Indikatoren in jedem Status. "
            "Dieselben Zahlen stehen in der Tabelle zum Diagramm.",
            data["by_field"],
        ),
        "municipality_chart_narrow": charts.status_bar_chart_narrow(
            "chart-kommunen-schmal",
            "Status der Indikatoren nach federführender Kommune",
            "Gestapelte Balken: je Kommune die Zahl der Indikatoren in jedem Status. Die Zahlen "
            "stehen in der Tabelle zum Diagramm.",
            data["by_municipality"],
        ),
    }
    return {
        "measure_total": data["measure_total"],
        "indicator_total": data["district"].total,
        "status_computed_on": data["status_computed_on"],
        "rollups_html": render_to_string("evaluation/includes/dashboard_rollups.html", context),
        "needs_html": render_to_string("evaluation/includes/dashboard_needs.html", context),
    }


def dashboard_rollups(measures, municipality, public, authenticated):
    """The roll-ups of ``measures`` (already scoped to ``municipality`` and the audience) as
    ``{"measure_total", "indicator_total", "status_computed_on", "rollups_html",
    "needs_html"}``, from the cache or computed and cached."""
    today = timezone.localdate()
    # Read first: figures computed from data older than a concurrent write stay under the
    # version that write has already left behind.
    version = data_version.current()
    return data_version.cached(
        name("rollups", municipality, public, authenticated, today),
        lambda: {
            **_compute(measures, municipality, public, authenticated, today),
            "version": version,
        },
        version=version,
    )


def page_number(value, total):
    """The page of the table that Paginator.get_page shows for ``?page=value``."""
    return Paginator(range(total), MEASURE_PAGE_SIZE).get_page(value).number


def dashboard_table(measures, municipality, public, authenticated, rollups, page):
    """One page of the table of measures as ``(html, context)``: from the cache (context
    None) or computed (the table's context, for tests and debugging) and cached, under the
    version of ``rollups`` so that its page count is theirs."""
    number = page_number(page, rollups["measure_total"])
    computed = {}

    def render_table():
        computed.update(measure_table(measures, rollups["measure_total"], public, number))
        return render_to_string("evaluation/includes/dashboard_table.html", computed)

    html = data_version.cached(
        name(f"table-{number}", municipality, public, authenticated, timezone.localdate()),
        render_table,
        version=rollups["version"],
    )
    return html, computed or None

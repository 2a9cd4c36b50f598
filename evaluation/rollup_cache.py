"""The evaluation dashboard's roll-ups, computed once and cached until their data changes.

The roll-ups (status counts by field, body and district, the charts, the short lists of the
need for action) are the same for everyone who sees the same scope: the public sees the
published version, every internal user reads all measures. So they are computed once per
scope, audience and day, rendered to HTML and kept in the shared cache under the data version
(strategy_portal.data_version): any write of a measure, partnership, indicator, value,
assessment, body or field of action moves the version on, and the next request computes
afresh. Only the page of the table of measures is computed on every request.

``EVALUATION_ROLLUP_CACHE_SECONDS`` bounds the life of an entry (the safety net for a write
that bypassed the version; the date in the key covers the passage of time).
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from strategy_portal import data_version

from . import charts
from .rollup import DISPLAY_ORDER, build_rollups


def _key(municipality, public, authenticated, today):
    audience = ("public" if public else "internal") + ("-auth" if authenticated else "")
    scope = municipality.pk if municipality else "all"
    return f"evaluation:rollups:{data_version.current()}:{today.isoformat()}:{audience}:{scope}"


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
    key = _key(municipality, public, authenticated, today)
    rollups = cache.get(key)
    if rollups is None:
        rollups = _compute(measures, municipality, public, authenticated, today)
        cache.set(key, rollups, settings.EVALUATION_ROLLUP_CACHE_SECONDS)
    return rollups

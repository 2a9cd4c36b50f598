"""SVG charts: well-formed standalone XML (usable in WeasyPrint too), labelled, escaped."""

import datetime
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal as D

from evaluation.charts import indicator_line_chart, status_bar_chart
from evaluation.models import Indicator, Measurement
from evaluation.rollup import Group
from evaluation.status import IndicatorStatus

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - the portal's own output


def test_status_bar_chart_is_wellformed_and_labelled():
    groups = [
        Group("a", "Digitale <Verwaltung> & mehr", Counter({IndicatorStatus.ON_TRACK: 2})),
        Group("b", "Leer", Counter()),
    ]
    svg = str(status_bar_chart("c1", "Titel", "Beschreibung", groups))
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Titel"
    assert root.find(f"{SVG}desc").text == "Beschreibung"
    assert "Digitale &lt;Verwaltung&gt; &amp; mehr" in svg
    assert len(root.findall(f"{SVG}rect")) == 1 + 5  # one segment, five legend swatches


def test_line_chart_with_and_without_values():
    indicator = Indicator(
        name="Bearbeitungszeit in Tagen",
        unit="Tage",
        direction="decrease",
        baseline_value=D("30"),
        target_value=D("10"),
        target_date=datetime.date(2028, 12, 31),
        frequency="yearly",
    )
    empty = parse(indicator_line_chart("c2", indicator, []))
    assert empty.find(f"{SVG}polyline") is None
    values = [
        Measurement(period=datetime.date(2025, 1, 1), value=D("28")),
        Measurement(period=datetime.date(2026, 1, 1), value=D("24.5")),
    ]
    root = parse(indicator_line_chart("c2", indicator, values))
    assert root.find(f"{SVG}polyline") is not None
    assert [c.find(f"{SVG}title").text for c in root.findall(f"{SVG}circle")] == [
        "2025: 28 Tage",
        "2026: 24,5 Tage",
    ]

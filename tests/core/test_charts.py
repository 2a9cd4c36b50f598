"""The narrow chart variant for phones: fits 280 units, wraps labels, keeps every number."""

import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal as D

from core.charts import NARROW_WIDTH, Bar, Row, narrow_bars, wrap
from drafts.charts import budget_per_field_narrow, status_per_field_narrow
from drafts.summary import summarise
from evaluation.charts import status_bar_chart_narrow
from evaluation.rollup import Group
from evaluation.status import IndicatorStatus

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - the portal's own output


def texts(root):
    return [t.text for t in root.iter(f"{SVG}text")]


def test_labels_wrap_instead_of_being_cut():
    assert wrap("4. IT-Sicherheit, Datenschutz und Datenmanagement") == [
        "4. IT-Sicherheit, Datenschutz und",
        "Datenmanagement",
    ]
    long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmütze"
    assert "".join(wrap(long_word)) == long_word


def test_bars_and_values_stay_inside_the_narrow_width():
    rows = [
        Row("Klein", [Bar([(D("1"), "#000000", "eins")], "1 €")]),
        Row("Groß", [Bar([(D("600"), "#000000", "a"), (D("165"), "#111111", "b")], "765.000 €")]),
    ]
    root = parse(narrow_bars("x", "Titel", "Beschreibung", rows, [("#000000", "Legende")]))
    assert root.get("viewBox").startswith(f"0 0 {NARROW_WIDTH} ")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x-title x-desc"
    assert "chart" in root.get("class").split()
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= NARROW_WIDTH
    # The longest value text, about 6.8 units a character, ends inside the width too.
    value = next(t for t in root.iter(f"{SVG}text") if t.text == "765.000 €")
    assert float(value.get("x")) + 6.8 * len(value.text) <= NARROW_WIDTH
    assert texts(root) == ["Klein", "1 €", "Groß", "765.000 €", "Legende"]


def test_empty_chart_is_still_wellformed():
    root = parse(narrow_bars("leer", "Titel", "Beschreibung", []))
    assert root.find(f"{SVG}title").text == "Titel"


def _summary():
    return summarise(
        {
            "bodies": [{"id": 1, "name": "K1", "label": "K1", "kind": "district"}],
            "fields": [
                {"number": 4, "short_title": "IT-Sicherheit, Datenschutz und Datenmanagement"}
            ],
            "measures": [],
        }
    )


def test_draft_charts_for_a_phone_name_every_field_in_full():
    for chart in (status_per_field_narrow(_summary()), budget_per_field_narrow(_summary())):
        root = parse(chart)
        assert texts(root)[:2] == ["4. IT-Sicherheit, Datenschutz und", "Datenmanagement"]
        assert "…" not in str(chart)
    assert parse(status_per_field_narrow(_summary())).get("id") == "diagramm-stand-schmal"


def test_indicator_status_chart_for_a_phone_escapes_and_has_the_legend():
    groups = [Group("a", "Digitale <Verwaltung> & mehr", Counter({IndicatorStatus.ON_TRACK: 2}))]
    svg = str(status_bar_chart_narrow("c1", "Titel", "Beschreibung", groups))
    root = parse(svg)
    assert "Digitale &lt;Verwaltung&gt; &amp; mehr" in svg
    assert len(root.findall(f"{SVG}rect")) == 1 + 5  # one segment, five legend swatches
    assert "2" in texts(root)

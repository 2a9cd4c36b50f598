"""The Sachstandsbericht: frozen, rendered to PDF, its content, build_report, who reads it."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from evaluation import report
from evaluation.figures import figures_for
from evaluation.models import ProgressNote, ProgressReport
from measures.models import Measure, Status
from tests.pdf_ua import pdf_ua_problems

from ..factories import publish_now
from .report_fixtures import at, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_build_report_prints_the_pdf_and_reports_now_and_before(two_years, capsys):
    with at(datetime.date(2027, 1, 15)):
        call_command(
            "build_report",
            "Sachstandsbericht 2025",
            "--period-start=2025-01-01",
            "--period-end=2025-12-31",
        )
        capsys.readouterr()
        call_command("build_report", "Sachstandsbericht 2026", "--period-start=2026-01-01")
    path = capsys.readouterr().out.strip().splitlines()[-1]
    assert Path(path).is_file()
    built = ProgressReport.objects.get(title="Sachstandsbericht 2026")
    assert built.previous.title == "Sachstandsbericht 2025"
    assert built.period_end == datetime.date(2026, 12, 31)  # the calendar year by default
    text = pdf_text(path)
    assert "Sachstandsbericht zur Kenntnisnahme".upper() in text.upper()
    assert "Maßnahmen je Umsetzungsstand am 31.12.2026 und am 31.12.2025" in text
    table = built.snapshot["status_table"]
    rows = {row["label"]: (row["now"], row["before"]) for row in table}
    assert rows["geplant"] == (0, 3)
    assert rows["in Umsetzung"] == (1, 0)
    assert rows["abgeschlossen"] == (1, 0)
    assert rows["verworfen"] == (1, 0)
    assert rows["Idee"] == (1, 0)
    # Field 1 over the quarters of 2026: both measures moved on in April.
    assert built.snapshot["quarters"] == ["31.03.2026", "30.06.2026", "30.09.2026", "31.12.2026"]
    assert built.snapshot["fields_over_time"][0]["counts"] == [0, 2, 2, 2]
    assert "am Ende jedes Quartals" in text
    assert built.snapshot["happened"] == {"new": 1, "started": 1, "completed": 1, "dropped": 1}
    assert "1 neue Maßnahme " in text and "1 Maßnahme abgeschlossen" in text
    # A measure's Sachstand, and the list of those without one.
    assert "Sachstand vom 30.11.2026" in text
    assert "Zwölf Leistungen sind online; die Bezahlfunktion folgt im Frühjahr." in text
    without = text[text.index("Maßnahmen ohne Sachstand Zu diesen") :]
    assert "E-Akte (Gorleben)" in without and "Bürgerportal" not in without
    # The key figures are those of the dashboards (evaluation.figures).
    figures = figures_for(Measure.objects.all())
    assert figures.evaluated_label in text
    assert built.snapshot["figures"]["evaluated_label"] == figures.evaluated_label
    assert "Leichter Sprache" in text


def test_quarter_ends():
    day = datetime.date
    assert report.quarter_ends(day(2026, 2, 15), day(2026, 8, 10)) == [
        day(2026, 3, 31),
        day(2026, 6, 30),
        day(2026, 8, 10),
    ]
    assert report.quarter_ends(day(2020, 1, 1), day(2026, 12, 31)) == [
        day(year, 12, 31) for year in range(2020, 2027)
    ]


def test_rendering_the_same_report_again_gives_the_same_bytes(two_years):
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    first = built.pdf_sha256
    with built.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == first
    # Later data changes neither the frozen report nor its PDF.
    ProgressNote.objects.all().delete()
    again = report.render(ProgressReport.objects.get(pk=built.pk))
    assert again.pdf_sha256 == first
    reader = PdfReader(io.BytesIO(again.pdf.open("rb").read()))
    assert reader.metadata.title == "Bericht"


def test_the_report_passes_the_pdf_ua_checker(two_years, tmp_path):
    from decimal import Decimal

    from measures.models import CostPlanYear

    # With every part: the chart, the costs table (published), a Sachstand.
    CostPlanYear.objects.create(
        measure=two_years["portal"], year=2026, investment_planned=Decimal("1000")
    )
    publish_now(two_years["portal"])
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    with built.pdf.open("rb") as handle:
        assert pdf_ua_problems(handle.read(), tmp_path) == []


def test_a_period_ending_before_it_starts_is_refused_in_german(two_years):
    with pytest.raises(CommandError, match="endet vor seinem Beginn"):
        call_command(
            "build_report", "Falsch", "--period-start=2026-12-31", "--period-end=2026-01-01"
        )
    with pytest.raises(CommandError, match="kein Datum"):
        call_command("build_report", "Falsch", "--period-start=31.12.2026")
    assert not ProgressReport.objects.exists()


def test_a_bodys_report_covers_its_measures_only(two_years, capsys):
    with at(datetime.date(2027, 1, 15)):
        call_command(
            "build_report",
            "Sachstand Hitzacker 2026",
            "--period-start=2026-01-01",
            "--body=hitzacker-elbe",
        )
    path = capsys.readouterr().out.strip().splitlines()[-1]
    built = ProgressReport.objects.get()
    assert built.body.slug == "hitzacker-elbe"
    assert [m["title"] for m in built.snapshot["measures"]] == ["Bürgerportal"]
    text = pdf_text(path)
    assert "Maßnahmen, die Hitzacker (Elbe) federführend oder als Beteiligte umsetzt" in text
    # It goes to the town's council, not to the Kreistag.
    assert "Bericht über den Stand der Umsetzung an den Rat der Stadt Hitzacker (Elbe)." in text
    assert "berichtet dem Kreistag" not in text
    assert "E-Akte" not in text
    with pytest.raises(CommandError, match="keine Kommune"):
        call_command("build_report", "X", "--body=atlantis")


def test_the_fields_over_time_have_a_chart_with_alt_text_and_its_table(two_years):
    from tests.drafts.test_council_document import _structure

    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    reader = PdfReader(built.pdf.path)
    alts = [str(node.get("/Alt")) for tag, node in _structure(reader) if tag == "/Figure"]
    title = "Maßnahmen in Umsetzung oder abgeschlossen je Handlungsfeld im Zeitverlauf"
    assert title in alts
    text = pdf_text(built.pdf.path)
    assert "Umsetzung je Handlungsfeld im Zeitverlauf" in text
    # The chart's data stays in the table beside it.
    assert "am Ende jedes Quartals" in text


def test_the_chart_shows_every_count_and_says_them_in_words():
    from evaluation.charts import fields_over_time_chart

    svg = str(
        fields_over_time_chart(
            "c",
            ["31.03.2026", "30.06.2026"],
            [{"field": "1. Digitale Verwaltung", "counts": [0, 2]}],
        )
    )
    assert '<title id="c-title">' in svg
    assert "1. Digitale Verwaltung: 0 am 31.03.2026, 2 am 30.06.2026" in svg
    assert ">31.03.26<" in svg and ">30.06.26<" in svg
    # The tallest column is the full height; an empty one has none.
    assert 'height="22.0"' in svg and 'height="0.0"' in svg
    # No data at all still draws (an empty report).
    assert "<svg" in str(fields_over_time_chart("c", ["31.12.2026"], []))


def test_costs_planned_and_actual_per_year_and_field_with_totals(two_years):
    from decimal import Decimal

    from measures.models import CostPlanYear

    CostPlanYear.objects.create(
        measure=two_years["portal"],
        year=2025,
        investment_planned=Decimal("1000"),
        investment_actual=Decimal("1500"),
    )
    CostPlanYear.objects.create(
        measure=two_years["files"],
        year=2026,
        running_planned=Decimal("400"),
        running_actual=Decimal("300"),
    )
    CostPlanYear.objects.create(
        measure=two_years["portal"], year=2027, running_planned=Decimal("200")
    )
    for measure in (two_years["portal"], two_years["files"]):
        publish_now(measure)
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    costs = built.snapshot["costs"]
    assert [y["year"] for y in costs["years"]] == [2025, 2026, 2027]
    first = costs["years"][0]
    assert (first["planned"], first["actual"], first["deviation"]) == (
        "1.000,00 €",
        "1.500,00 €",
        "+50,0 %",
    )
    assert first["fields"][0]["field"].startswith("1. ")
    assert costs["years"][2]["actual"] == "–"  # no actual figure yet, not zero
    # Total: all plans; the deviation only over the years with actual costs (1,800 vs 1,400).
    assert costs["total"] == {
        "planned": "1.600,00 €",
        "actual": "1.800,00 €",
        "deviation": "+28,6 %",
    }
    text = pdf_text(built.pdf.path)
    assert "Kosten je Haushaltsjahr und Handlungsfeld: geplant und Ist" in text
    assert "Summe alle Jahre 1.600,00 € 1.800,00 € +28,6 %" in text
    assert "2025 alle Handlungsfelder 1.000,00 € 1.500,00 € +50,0 %" in text


def test_costs_are_those_of_the_published_versions(two_years, district):
    from decimal import Decimal

    from measures.models import CostPlanYear

    from ..factories import MeasureFactory

    portal = CostPlanYear.objects.create(
        measure=two_years["portal"], year=2026, investment_planned=Decimal("1000")
    )
    publish_now(two_years["portal"])
    # After publication: a higher plan, an actual figure and a new year, not yet published.
    portal.investment_planned = Decimal("5000")
    portal.investment_actual = Decimal("4000")
    portal.save()
    CostPlanYear.objects.create(
        measure=two_years["portal"], year=2027, running_planned=Decimal("700")
    )
    # A measure never published, with its own cost plan.
    hidden = MeasureFactory(
        lead_municipality=district["gartow"], status=Status.IN_PROGRESS, title="Geheim"
    )
    CostPlanYear.objects.create(measure=hidden, year=2026, investment_planned=Decimal("90000"))
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    costs = built.snapshot["costs"]
    assert [y["year"] for y in costs["years"]] == [2026]
    assert costs["total"] == {"planned": "1.000,00 €", "actual": "–", "deviation": "–"}
    text = pdf_text(built.pdf.path)
    for figure in ("5.000,00", "4.000,00", "700,00", "90.000,00"):
        assert figure not in text
    assert "aus den veröffentlichten Kostenplänen" in text
    # The measure never published has costs but none that the public has seen: no section.
    CostPlanYear.objects.filter(measure=two_years["portal"]).delete()
    publish_now(two_years["portal"])
    with at(datetime.date(2027, 1, 16)):
        again = report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert again.snapshot["costs"] is None


def test_no_cost_plan_no_costs_section(two_years):
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    assert built.snapshot["costs"] is None
    assert "Kosten je Haushaltsjahr" not in pdf_text(built.pdf.path)


def test_a_sachstand_on_behalf_names_its_source_in_the_report(two_years, users):
    ProgressNote.objects.create(
        measure=two_years["files"],
        noted_on=datetime.date(2026, 10, 1),
        status=Status.COMPLETED,
        text="Die E-Akte läuft in allen Ämtern.",
        written_by=users["coordinator"],
        on_behalf_source="council_decision",
        on_behalf_date=datetime.date(2026, 9, 24),
    )
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    text = pdf_text(built.pdf.path)
    assert (
        "Die E-Akte läuft in allen Ämtern. (eingetragen von der Koordinierungsstelle auf Grund: "
        "Beschluss des Rates vom 24. September 2026)"
    ) in text
    # A body's own Sachstand carries no such note.
    assert "Frühjahr. (eingetragen" not in text


def test_listed_measures_show_their_published_status(two_years, district, users):
    """Published in 2025 as planned; in 2026 one started, one completed, one dropped without
    a new publication: the report lists them as published, the figures count the current."""
    from ..factories import MeasureFactory

    # Published as an idea, planned since: not active in its published version.
    idea = MeasureFactory(
        lead_municipality=district["gartow"], status=Status.IDEA, title="Glasfaserkarte"
    )
    idea = publish_now(idea)
    idea.status = Status.PLANNED
    idea.save()
    # Completed and published again: its new status shows.
    files = Measure.objects.get(pk=two_years["files"].pk)
    publish_now(files)
    # Never published, with a Sachstand: counted, never named, its Sachstand not shown.
    hidden = MeasureFactory(
        lead_municipality=district["gartow"], status=Status.IN_PROGRESS, title="Geheim"
    )
    ProgressNote.objects.create(
        measure=hidden,
        noted_on=datetime.date(2026, 6, 1),
        status=Status.IN_PROGRESS,
        text="Interner Zwischenstand.",
        written_by=users["editor_own"],
    )
    with at(datetime.date(2027, 1, 15)):
        built = report.render(
            report.build("Bericht", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        )
    listed = {m["title"]: m for m in built.snapshot["measures"]}
    assert {t: (m["status"], m["status_code"]) for t, m in listed.items()} == {
        "Bürgerportal": ("geplant", Status.PLANNED),  # in progress since, not yet published
        "E-Akte": ("abgeschlossen", Status.COMPLETED),
        "WLAN": ("geplant", Status.PLANNED),  # dropped since, not yet published
    }
    # The Sachstand written for reporting stays with the published measure.
    assert listed["Bürgerportal"]["note"]["text"].startswith("Zwölf Leistungen sind online")
    assert built.snapshot["unlisted"] == 1
    # The figures count the current data of all measures (the method section says so).
    rows = {row["label"]: row["now"] for row in built.snapshot["status_table"]}
    assert (rows["in Umsetzung"], rows["verworfen"], rows["geplant"]) == (2, 1, 1)
    text = pdf_text(built.pdf.path)
    assert "Bürgerportal" in text and "federführend: Hitzacker (Elbe) · geplant" in text
    assert "Glasfaserkarte" not in text
    assert "Geheim" not in text and "Interner Zwischenstand" not in text
    assert "Ist ein neuerer Umsetzungsstand noch nicht veröffentlicht" in text
    assert "auch Maßnahmen, die noch nie veröffentlicht wurden" in text

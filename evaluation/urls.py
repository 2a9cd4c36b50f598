from django.urls import path

from .views import (
    assessments,
    corrections,
    csv_io,
    indicators,
    oparl,
    progress,
    reporting,
    reports,
    rounds,
)

app_name = "evaluation"
urlpatterns = [
    path("", indicators.dashboard, name="overview"),
    path("kommune/<slug:slug>/", indicators.dashboard, name="municipality_overview"),
    path("handlungsbedarf/<slug:kind>/", indicators.needs_list, name="needs_list"),
    path(
        "kommune/<slug:slug>/handlungsbedarf/<slug:kind>/",
        indicators.needs_list,
        name="municipality_needs_list",
    ),
    path(
        "massnahme/<int:measure_pk>/indikator/neu/",
        indicators.indicator_create,
        name="indicator_create",
    ),
    path("indikatoren/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indikatoren/<int:pk>/bearbeiten/", indicators.indicator_update, name="indicator_update"),
    path("indikatoren/<int:pk>/loeschen/", indicators.indicator_delete, name="indicator_delete"),
    path("indikatoren/<int:pk>/messwert/", indicators.measurement_save, name="measurement_save"),
    path("indikatoren/<int:pk>/abrufen/", indicators.gather_now, name="gather_indicator"),
    path(
        "messwerte/<int:pk>/loeschen/",
        corrections.measurement_delete,
        name="measurement_delete",
    ),
    path("messwerte/export.csv", csv_io.export, name="export"),
    path("messwerte/import/", csv_io.import_view, name="import"),
    path("abrufe/", indicators.run_list, name="run_list"),
    path("abrufe/starten/", indicators.gather_now, name="gather_all"),
    path("abrufe/<int:pk>/", indicators.run_detail, name="run_detail"),
    path(
        "massnahme/<int:measure_pk>/bewertung/neu/",
        assessments.assessment_create,
        name="assessment_create",
    ),
    path(
        "massnahme/<int:measure_pk>/sachstand/neu/",
        progress.progress_create,
        name="progress_create",
    ),
    path("berichte/", reports.report_list, name="reports"),
    path("berichte/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("berichte/<int:pk>/vorlegen/", reports.report_present, name="report_present"),
    path("berichte/<int:pk>/oparl/paper", oparl.report_paper, name="oparl_report_paper"),
    path("berichte/<int:pk>/oparl/file", oparl.report_file, name="oparl_report_file"),
    path("berichtsrunden/", reporting.reporting_round_list, name="reporting_rounds"),
    path(
        "berichtsrunden/<int:pk>/",
        reporting.reporting_round_detail,
        name="reporting_round_detail",
    ),
    path(
        "berichtsrunden/<int:pk>/abschliessen/",
        reporting.reporting_round_close,
        name="reporting_round_close",
    ),
    path("runden/", rounds.round_list, name="round_list"),
    path("runden/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("runden/<int:pk>/abschliessen/", rounds.round_close, name="round_close"),
    path("runden/<int:pk>/<slug:slug>/", rounds.round_entry, name="round_entry"),
    path("bewertungen/ueberfaellig/", assessments.overdue_list, name="overdue_list"),
]

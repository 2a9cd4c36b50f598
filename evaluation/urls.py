from django.urls import path

from . import views, views_assessments, views_corrections, views_io, views_rounds

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard, name="overview"),
    path("kommune/<slug:slug>/", views.dashboard, name="municipality_overview"),
    path("handlungsbedarf/<slug:kind>/", views.needs_list, name="needs_list"),
    path(
        "kommune/<slug:slug>/handlungsbedarf/<slug:kind>/",
        views.needs_list,
        name="municipality_needs_list",
    ),
    path(
        "massnahme/<int:measure_pk>/indikator/neu/", views.indicator_create, name="indicator_create"
    ),
    path("indikatoren/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indikatoren/<int:pk>/bearbeiten/", views.indicator_update, name="indicator_update"),
    path("indikatoren/<int:pk>/loeschen/", views.indicator_delete, name="indicator_delete"),
    path("indikatoren/<int:pk>/messwert/", views.measurement_save, name="measurement_save"),
    path("indikatoren/<int:pk>/abrufen/", views.gather_now, name="gather_indicator"),
    path(
        "messwerte/<int:pk>/loeschen/",
        views_corrections.measurement_delete,
        name="measurement_delete",
    ),
    path("messwerte/export.csv", views_io.export, name="export"),
    path("messwerte/import/", views_io.import_view, name="import"),
    path("abrufe/", views.run_list, name="run_list"),
    path("abrufe/starten/", views.gather_now, name="gather_all"),
    path("abrufe/<int:pk>/", views.run_detail, name="run_detail"),
    path(
        "massnahme/<int:measure_pk>/bewertung/neu/",
        views_assessments.assessment_create,
        name="assessment_create",
    ),
    path("runden/", views_rounds.round_list, name="round_list"),
    path("runden/<int:pk>/", views_rounds.round_detail, name="round_detail"),
    path("runden/<int:pk>/abschliessen/", views_rounds.round_close, name="round_close"),
    path("runden/<int:pk>/<slug:slug>/", views_rounds.round_entry, name="round_entry"),
    path("bewertungen/ueberfaellig/", views_assessments.overdue_list, name="overdue_list"),
]

from django.urls import path

from . import views, views_io, views_overview

app_name = "procedures"
urlpatterns = [
    path("", views_overview.overview, name="overview"),
    path("export/", views_io.export, name="export"),
    path("import/", views_io.import_view, name="import"),
    path("kommune/<slug:slug>/", views.register, name="register"),
    path("kommune/<slug:slug>/neu/", views.entry_create, name="entry_create"),
    path("eintrag/<int:pk>/bearbeiten/", views.entry_update, name="entry_update"),
    path("eintrag/<int:pk>/entfernen/", views.entry_delete, name="entry_delete"),
    path("kommune/<slug:slug>/leistung/neu/", views.offer_create, name="offer_create"),
    path("angebot/<int:pk>/bearbeiten/", views.offer_update, name="offer_update"),
    path("angebot/<int:pk>/entfernen/", views.offer_delete, name="offer_delete"),
    path("leistungen/", views_overview.service_list, name="services"),
    path("leistungen/<str:leika_key>/", views_overview.service_detail, name="service_detail"),
    path("abdeckung/", views_overview.coverage, name="coverage"),
]

from django.urls import path

from .views import overview, register, transfer

app_name = "procedures"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("export/", transfer.export, name="export"),
    path("import/", transfer.import_view, name="import"),
    path("kommune/<slug:slug>/", register.register, name="register"),
    path("kommune/<slug:slug>/neu/", register.entry_create, name="entry_create"),
    path("eintrag/<int:pk>/bearbeiten/", register.entry_update, name="entry_update"),
    path("eintrag/<int:pk>/entfernen/", register.entry_delete, name="entry_delete"),
    path("kommune/<slug:slug>/leistung/neu/", register.offer_create, name="offer_create"),
    path("angebot/<int:pk>/bearbeiten/", register.offer_update, name="offer_update"),
    path("angebot/<int:pk>/entfernen/", register.offer_delete, name="offer_delete"),
    path("leistungen/", overview.service_list, name="services"),
    path("leistungen/suche/", overview.service_search, name="service_search"),
    path("leistungen/<str:leika_key>/", overview.service_detail, name="service_detail"),
    path("abdeckung/", overview.coverage, name="coverage"),
]

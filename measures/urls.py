from django.urls import path

from .views import (
    dashboard,
    exchange,
    funding,
    measure,
    partnerships,
    review,
    synergy,
    withdrawal,
)

app_name = "measures"
urlpatterns = [
    path("", measure.measure_list, name="list"),
    path("kommune/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("neu/", measure.measure_create, name="create"),
    path("export/<slug:part>/", exchange.export, name="export"),
    path("import/", exchange.import_view, name="import"),
    path("import/<int:pk>/", exchange.import_status, name="import_status"),
    path("import/<int:pk>/datei/<str:part>/", exchange.import_download, name="import_download"),
    path("<int:pk>/", measure.measure_detail, name="detail"),
    path("<int:pk>/bearbeiten/", measure.measure_update, name="update"),
    path("<int:pk>/verlauf/", measure.measure_history_view, name="history"),
    path("<int:pk>/foerderung/", funding.measure_funding, name="funding"),
    path("foerderprogramme/", funding.funding_programmes, name="funding_programmes"),
    path("verwendungsnachweise/", funding.funding_due, name="funding_due"),
    path("pruefung/", review.review_queue, name="review_queue"),
    path("pruefung/uebersicht/", review.review_overview, name="review_overview"),
    path("<int:pk>/pruefschritt/", review.measure_transition, name="transition"),
    path("<int:pk>/kommentar/", review.measure_comment, name="comment"),
    path("<int:pk>/zurueckziehen/", withdrawal.measure_withdraw, name="withdraw"),
    path("<int:pk>/loeschen/", withdrawal.measure_delete, name="delete"),
    path("beteiligung/<int:pk>/", partnerships.partnership_answer, name="partnership_answer"),
    path("beteiligung/anfragen/", partnerships.partner_requests, name="partner_requests"),
    path("beteiligung/offen/", partnerships.open_requests_overview, name="open_requests_all"),
    path(
        "beteiligung/<int:pk>/eintragen/",
        partnerships.partnership_record,
        name="partnership_record",
    ),
    path("synergien/", synergy.synergies, name="synergies"),
    path("synergien/zusammenlegen/", synergy.join, name="join"),
]

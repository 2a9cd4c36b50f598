from django.urls import path

from . import (
    partnership_views,
    review_views,
    synergy_views,
    views,
    views_exchange,
    withdrawal_views,
)

app_name = "measures"
urlpatterns = [
    path("", views.measure_list, name="list"),
    path("kommune/<slug:slug>/", views.dashboard, name="dashboard"),
    path("neu/", views.measure_create, name="create"),
    path("export/<slug:part>/", views_exchange.export, name="export"),
    path("import/", views_exchange.import_view, name="import"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.measure_update, name="update"),
    path("<int:pk>/verlauf/", views.measure_history_view, name="history"),
    path("pruefung/", review_views.review_queue, name="review_queue"),
    path("pruefung/uebersicht/", review_views.review_overview, name="review_overview"),
    path("<int:pk>/pruefschritt/", review_views.measure_transition, name="transition"),
    path("<int:pk>/kommentar/", review_views.measure_comment, name="comment"),
    path("<int:pk>/zurueckziehen/", withdrawal_views.measure_withdraw, name="withdraw"),
    path("<int:pk>/loeschen/", withdrawal_views.measure_delete, name="delete"),
    path("beteiligung/<int:pk>/", partnership_views.partnership_answer, name="partnership_answer"),
    path("beteiligung/anfragen/", partnership_views.partner_requests, name="partner_requests"),
    path("synergien/", synergy_views.synergies, name="synergies"),
    path("synergien/zusammenlegen/", synergy_views.join, name="join"),
]

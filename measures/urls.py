from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.measure_list, name="list"),
    path("kommune/<slug:slug>/", views.dashboard, name="dashboard"),
    path("neu/", views.measure_create, name="create"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.measure_update, name="update"),
    path("<int:pk>/verlauf/", views.measure_history_view, name="history"),
]

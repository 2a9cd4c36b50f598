from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Digitalstrategie-Portal – Verwaltung"
admin.site.site_title = "Digitalstrategie-Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("quellen/", views.sources, name="sources"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("kommunen/", include("municipalities.urls")),
    path("handlungsfelder/", include("fields_of_action.urls")),
    path("massnahmen/", include("measures.urls")),
    path("evaluierung/", include("evaluation.urls")),
    path("entwurf/", include("drafts.urls")),
    path("fachverfahren/", include("procedures.urls")),
    path("admin/", admin.site.urls),
]

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import catalog, docs, token_views, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("bodies", views.BodyViewSet, basename="body")
router.register("fields", views.FieldOfActionViewSet, basename="field")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("drafts", views.DraftViewSet, basename="draft")

app_name = "api"
urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", docs.SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("api-schluessel/<slug:slug>/", token_views.token_list, name="tokens"),
    path("api-schluessel/<slug:slug>/neu/", token_views.token_create, name="token_create"),
    path(
        "api-schluessel/<slug:slug>/<int:pk>/widerrufen/",
        token_views.token_revoke,
        name="token_revoke",
    ),
    path("opendata/catalog.ttl", catalog.catalog_turtle, name="catalog_ttl"),
    path("opendata/catalog.jsonld", catalog.catalog_jsonld, name="catalog_jsonld"),
]

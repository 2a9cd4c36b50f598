from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .views import catalog, docs, open_data, resources, tokens

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("bodies", resources.BodyViewSet, basename="body")
router.register("fields", resources.FieldOfActionViewSet, basename="field")
router.register("goals", resources.GoalViewSet, basename="goal")
router.register("measures", resources.MeasureViewSet, basename="measure")
router.register("indicators", resources.IndicatorViewSet, basename="indicator")
router.register("assessments", resources.AssessmentViewSet, basename="assessment")
router.register("drafts", resources.DraftViewSet, basename="draft")

app_name = "api"
urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", docs.SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("api-schluessel/<slug:slug>/", tokens.token_list, name="tokens"),
    path("api-schluessel/<slug:slug>/neu/", tokens.token_create, name="token_create"),
    path(
        "api-schluessel/<slug:slug>/<int:pk>/widerrufen/",
        tokens.token_revoke,
        name="token_revoke",
    ),
    path("offene-daten/", open_data.open_data, name="open_data"),
    path("opendata/catalog.ttl", catalog.catalog_turtle, name="catalog_ttl"),
    path("opendata/catalog.jsonld", catalog.catalog_jsonld, name="catalog_jsonld"),
]

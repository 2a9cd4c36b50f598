"""The API documentation (Swagger UI from drf-spectacular-sidecar, served by the portal).

The split view delivers the init script as a separate file (``?script``): the portal's CSP
allows no inline scripts.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "API-Dokumentation – Digitalstrategie-Portal Lüchow-Dannenberg"

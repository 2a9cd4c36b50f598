from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class StablePagination(PageNumberPagination):
    """``?page=`` and ``?page_size=``; the viewsets order by id so pages never shift."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)

    def get_paginated_response_schema(self, schema):
        # OpenAPI 3.1 (JSON Schema 2020-12) spells "nullable" as a type list.
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": schema,
            },
        }

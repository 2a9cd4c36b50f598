"""The page that explains the open data: what there is, the API and its documentation, the
DCAT-AP.de catalogue for data portals (linked from every page's footer)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse


def open_data(request):
    # The configured address, as in e-mails: never the request's Host header.
    example = settings.PORTAL_BASE_URL.rstrip("/") + reverse("api:measure-list")
    return render(request, "api/open_data.html", {"api_example": example})

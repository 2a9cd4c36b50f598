from django.urls import path

from . import views
from .models import PageKind

app_name = "pages"

urlpatterns = [
    path("impressum/", views.legal_page, {"kind": PageKind.IMPRESSUM}, name="impressum"),
    path("datenschutz/", views.legal_page, {"kind": PageKind.PRIVACY}, name="privacy"),
    path("leichte-sprache/", views.legal_page, {"kind": PageKind.EASY_READ}, name="easy_read"),
    path(
        "gebaerdensprache/",
        views.legal_page,
        {"kind": PageKind.SIGN_LANGUAGE},
        name="sign_language",
    ),
    path("gebaerdensprache/video/", views.sign_language_video, name="sign_language_video"),
    path("seiten/<slug:kind>/bearbeiten/", views.legal_page_edit, name="edit"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("barrierefreiheit/bearbeiten/", views.accessibility_edit, name="accessibility_edit"),
    path("barrierefreiheit/rueckmeldung/", views.feedback, name="feedback"),
    path("barrierefreiheit/rueckmeldungen/", views.feedback_list, name="feedback_list"),
    path(
        "barrierefreiheit/rueckmeldungen/<int:pk>/loeschen/",
        views.feedback_delete,
        name="feedback_delete",
    ),
]

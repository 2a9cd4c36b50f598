from django.urls import path

from .models import PageKind
from .views import legal

app_name = "pages"

urlpatterns = [
    path("impressum/", legal.legal_page, {"kind": PageKind.IMPRESSUM}, name="impressum"),
    path("datenschutz/", legal.legal_page, {"kind": PageKind.PRIVACY}, name="privacy"),
    path("leichte-sprache/", legal.legal_page, {"kind": PageKind.EASY_READ}, name="easy_read"),
    path(
        "gebaerdensprache/",
        legal.legal_page,
        {"kind": PageKind.SIGN_LANGUAGE},
        name="sign_language",
    ),
    path("gebaerdensprache/video/", legal.sign_language_video, name="sign_language_video"),
    path("seiten/<slug:kind>/bearbeiten/", legal.legal_page_edit, name="edit"),
    path("barrierefreiheit/", legal.accessibility, name="accessibility"),
    path("barrierefreiheit/bearbeiten/", legal.accessibility_edit, name="accessibility_edit"),
    path("barrierefreiheit/rueckmeldung/", legal.feedback, name="feedback"),
    path("barrierefreiheit/rueckmeldungen/", legal.feedback_list, name="feedback_list"),
    path(
        "barrierefreiheit/rueckmeldungen/<int:pk>/loeschen/",
        legal.feedback_delete,
        name="feedback_delete",
    ),
]

from django.urls import path

from . import oparl_views, views, views_consultation

app_name = "drafts"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("neu/", views.draft_create, name="create"),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.draft_update, name="update"),
    path("<int:pk>/einfrieren/", views.draft_freeze, name="freeze"),
    path("<int:pk>/pdf-erzeugen/", views.draft_render, name="render"),
    path("<int:pk>/vorlegen/", views.draft_publish, name="publish"),
    path("<int:pk>/beschluss/", views.draft_decision, name="decision"),
    path("<int:pk>/vorlage/", views.draft_council_document, name="council_document"),
    path("<int:pk>/status/", views.draft_status, name="status"),
    path("<int:pk>/pdf/", views.draft_pdf, name="pdf"),
    path("<int:pk>/abstimmung/", views_consultation.consultation_detail, name="consultation"),
    path(
        "<int:pk>/abstimmung/eroeffnen/",
        views_consultation.consultation_open,
        name="consultation_open",
    ),
    path(
        "<int:pk>/abstimmung/abschliessen/",
        views_consultation.consultation_close,
        name="consultation_close",
    ),
    path("<int:pk>/oparl/paper", views.oparl_paper, name="oparl_paper"),
    path("<int:pk>/oparl/file", views.oparl_file, name="oparl_file"),
    path("oparl/", oparl_views.system, name="oparl_system"),
    path("oparl/bodies", oparl_views.body_list, name="oparl_body_list"),
    path("oparl/body/<slug:slug>", oparl_views.body, name="oparl_body"),
    path(
        "oparl/body/<slug:slug>/organizations",
        oparl_views.organization_list,
        name="oparl_organization_list",
    ),
    path("oparl/body/<slug:slug>/persons", oparl_views.empty_list, name="oparl_person_list"),
    path("oparl/body/<slug:slug>/meetings", oparl_views.empty_list, name="oparl_meeting_list"),
    path("oparl/body/<slug:slug>/papers", oparl_views.paper_list, name="oparl_paper_list"),
    path("oparl/organization/<slug:key>", oparl_views.organization, name="oparl_organization"),
]

from django.urls import path

from .views import adoption, consultation, draft, oparl

app_name = "drafts"
urlpatterns = [
    path("", draft.draft_list, name="list"),
    path("neu/", draft.draft_create, name="create"),
    path("<int:pk>/", draft.draft_detail, name="detail"),
    path("<int:pk>/bearbeiten/", draft.draft_update, name="update"),
    path("<int:pk>/einfrieren/", draft.draft_freeze, name="freeze"),
    path("<int:pk>/pdf-erzeugen/", draft.draft_render, name="render"),
    path("<int:pk>/vorlegen/", draft.draft_publish, name="publish"),
    path("<int:pk>/beschluss/", draft.draft_decision, name="decision"),
    path("<int:pk>/vorlage/", draft.draft_council_document, name="council_document"),
    path("<int:pk>/status/", draft.draft_status, name="status"),
    path("<int:pk>/pdf/", draft.draft_pdf, name="pdf"),
    path("<int:pk>/abstimmung/", consultation.consultation_detail, name="consultation"),
    path(
        "<int:pk>/abstimmung/eroeffnen/",
        consultation.consultation_open,
        name="consultation_open",
    ),
    path(
        "<int:pk>/abstimmung/erinnern/",
        consultation.consultation_remind,
        name="consultation_remind",
    ),
    path(
        "<int:pk>/abstimmung/abschliessen/",
        consultation.consultation_close,
        name="consultation_close",
    ),
    path("<int:pk>/beschluesse/", adoption.adoption, name="adoption"),
    path("<int:pk>/beschluesse/einrichten/", adoption.adoption_set_up, name="adoption_set_up"),
    path("<int:pk>/beschluesse/hinzufuegen/", adoption.adoption_add, name="adoption_add"),
    path("<int:pk>/beschluesse/<slug:slug>/", adoption.procedure_edit, name="procedure"),
    path(
        "<int:pk>/beschluesse/<slug:slug>/vorlage.pdf",
        adoption.body_document,
        name="body_document",
    ),
    path(
        "<int:pk>/beschluesse/<slug:slug>/vorlage-erzeugen/",
        adoption.body_document_render,
        name="body_document_render",
    ),
    path(
        "<int:pk>/beschluesse/<slug:slug>/vorlage.docx",
        adoption.body_docx,
        name="body_docx",
    ),
    path(
        "<int:pk>/beschluesse/<slug:slug>/beschluss/",
        adoption.decision_record,
        name="decision_record",
    ),
    path(
        "<int:pk>/beschluesse/<slug:slug>/beschluss/<int:decision_pk>/auszug.pdf",
        adoption.decision_extract,
        name="decision_extract",
    ),
    path(
        "<int:pk>/beschluesse/<slug:slug>/entfernen/",
        adoption.procedure_remove,
        name="procedure_remove",
    ),
    path("<int:pk>/oparl/paper", oparl.oparl_paper, name="oparl_paper"),
    path("<int:pk>/oparl/file", oparl.oparl_file, name="oparl_file"),
    path("oparl/", oparl.system, name="oparl_system"),
    path("oparl/bodies", oparl.body_list, name="oparl_body_list"),
    path("oparl/body/<slug:slug>", oparl.body, name="oparl_body"),
    path(
        "oparl/body/<slug:slug>/organizations",
        oparl.organization_list,
        name="oparl_organization_list",
    ),
    path("oparl/body/<slug:slug>/persons", oparl.empty_list, name="oparl_person_list"),
    path("oparl/body/<slug:slug>/meetings", oparl.empty_list, name="oparl_meeting_list"),
    path("oparl/body/<slug:slug>/papers", oparl.paper_list, name="oparl_paper_list"),
    path("oparl/organization/<slug:key>", oparl.organization, name="oparl_organization"),
    path("oparl/body/<slug:slug>/paper/<int:pk>", oparl.body_paper, name="oparl_body_paper"),
    path("oparl/body/<slug:slug>/file/<int:pk>", oparl.body_file, name="oparl_body_file"),
    path(
        "oparl/body/<slug:slug>/paper/<int:pk>/consultation/<int:position>",
        oparl.consultation,
        name="oparl_consultation",
    ),
]

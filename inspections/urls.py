from django.urls import path

from inspections.views import campaigns, directives, documents, packs, visits

app_name = "inspections"
# which format a document's URL asks for
DOCX, PDF = {"kind": "docx"}, {"kind": "pdf"}

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign-edit"),
    path(
        "campaigns/<int:pk>/findings/",
        campaigns.campaign_finding_add,
        name="campaign-finding-add",
    ),
    path(
        "campaigns/<int:pk>/delegations/new/",
        campaigns.delegation_create,
        name="delegation-create",
    ),
    path("delegations/<int:pk>/edit/", campaigns.delegation_edit, name="delegation-edit"),
    path("units/<int:pk>/pack/", packs.unit_pack, name="unit-pack"),
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/notice/", visits.visit_notice, name="visit-notice"),
    path(
        "visits/<int:pk>/notice.docx",
        documents.visit_notice_document,
        DOCX,
        name="visit-notice-docx",
    ),
    path(
        "visits/<int:pk>/notice.pdf", documents.visit_notice_document, PDF, name="visit-notice-pdf"
    ),
    path(
        "visits/<int:pk>/conference-report.docx",
        documents.conference_report,
        DOCX,
        name="conference-report-docx",
    ),
    path(
        "visits/<int:pk>/conference-report.pdf",
        documents.conference_report,
        PDF,
        name="conference-report-pdf",
    ),
    path("visits/<int:pk>/findings/", visits.finding_add, name="finding-add"),
    path("visits/<int:pk>/commitments/", visits.commitment_add, name="commitment-add"),
    path("visits/<int:pk>/directives/new/", visits.directive_create, name="directive-create"),
    path("findings/<int:pk>/delete/", visits.finding_delete, name="finding-delete"),
    path("commitments/<int:pk>/delete/", visits.commitment_delete, name="commitment-delete"),
    path("directives/", directives.directive_list, name="directive-list"),
    path("directives/export.xlsx", directives.directive_export, name="directive-export"),
    path("directives/<int:pk>/", directives.directive_detail, name="directive-detail"),
    path("directives/<int:pk>/answer/", directives.directive_answer, name="directive-answer"),
    path("directives/<int:pk>/close/", directives.directive_close, name="directive-close"),
    path("directives/<int:pk>/reopen/", directives.directive_reopen, name="directive-reopen"),
    path("directives/<int:pk>/delete/", directives.directive_delete, name="directive-delete"),
]

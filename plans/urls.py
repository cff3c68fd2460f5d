from django.urls import path

from plans.views import coverage, documents, exports, imports, periods, plans, programmes, reports

app_name = "plans"
# which format a document's URL asks for
DOCX, PDF = {"kind": "docx"}, {"kind": "pdf"}

urlpatterns = [
    path("<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("<int:pk>/export.xlsx", exports.plan_export, name="plan-export"),
    path("<int:pk>/import/", imports.plan_import, name="plan-import"),
    path(
        "<int:pk>/import/template.xlsx",
        imports.plan_import_template,
        name="plan-import-template",
    ),
    path("<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("<int:pk>/revise/", plans.plan_revise, name="plan-revise"),
    path("<int:pk>/history/", plans.plan_history, name="plan-history"),
    path("<int:pk>/document.docx", documents.plan_document, DOCX, name="plan-docx"),
    path("<int:pk>/document.pdf", documents.plan_document, PDF, name="plan-pdf"),
    path("new/<int:unit_pk>/<int:year>/", plans.plan_create, name="plan-create"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/export.xlsx", exports.coverage_export, name="coverage-export"),
    path("<int:pk>/progress/", reports.plan_progress, name="plan-progress"),
    path("<int:pk>/progress/export.xlsx", exports.report_export, name="report-export"),
    path("<int:plan_pk>/reports/<int:period_pk>/", reports.report_edit, name="report-edit"),
    path(
        "<int:plan_pk>/reports/<int:period_pk>/import/",
        imports.report_import,
        name="report-import",
    ),
    path(
        "<int:plan_pk>/reports/<int:period_pk>/import/template.xlsx",
        imports.report_import_template,
        name="report-import-template",
    ),
    path(
        "<int:plan_pk>/reports/<int:period_pk>/document.docx",
        documents.report_document,
        DOCX,
        name="report-docx",
    ),
    path(
        "<int:plan_pk>/reports/<int:period_pk>/document.pdf",
        documents.report_document,
        PDF,
        name="report-pdf",
    ),
    path("reports/<int:pk>/return/", reports.report_return, name="report-return"),
    path("progress/", reports.progress_overview, name="progress-overview"),
    path("progress/export.xlsx", exports.overview_export, name="overview-export"),
    path("periods/<int:pk>/lock/", periods.period_lock, name="period-lock"),
    path("periods/<int:pk>/deadline/", periods.period_deadline, name="period-deadline"),
    path("periods/<int:pk>/extend/", periods.period_extend, name="period-extend"),
    path("years/open/", periods.year_open, name="year-open"),
    path("progress/entry/", reports.target_entry, name="target-entry"),
    path("progress/entry/import/", imports.entry_import, name="entry-import"),
    path(
        "progress/entry/import/template.xlsx",
        imports.entry_import_template,
        name="entry-import-template",
    ),
    path("programmes/<int:pk>/rollup/", reports.programme_rollup, name="programme-rollup"),
    path(
        "programmes/<int:pk>/rollup/export.xlsx",
        exports.rollup_export,
        name="rollup-export",
    ),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/history/", programmes.programme_history, name="programme-history"),
    path("programmes/new/<int:year>/", programmes.programme_create, name="programme-create"),
    path(
        "programmes/targets/<int:item_pk>/allocate/",
        programmes.programme_allocate,
        name="programme-allocate",
    ),
]

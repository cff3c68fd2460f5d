from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/notice/", views.visit_notice, name="visit-notice"),
    path("directives/", views.directive_list, name="directive-list"),
    path("directives/<int:pk>/", views.directive_detail, name="directive-detail"),
    path("directives/<int:pk>/answer/", views.directive_answer, name="directive-answer"),
    path("directives/<int:pk>/close/", views.directive_close, name="directive-close"),
]

from django.urls import path

from ntm import views

app_name = "ntm"

urlpatterns = [
    path("", views.ntm_board, name="board"),
    path("export.xlsx", views.ntm_board_export, name="board-export"),
    path("goals/new/", views.ntm_goal, name="goal"),
    path("units/<int:pk>/", views.ntm_unit, name="unit"),
    path("units/<int:pk>/assess/", views.ntm_assess, name="assess"),
    path("units/<int:pk>/assign/", views.ntm_assign, name="assign"),
    path("units/<int:pk>/roadmap/", views.ntm_roadmap, name="roadmap"),
    path("units/<int:pk>/recognize/", views.ntm_recognize, name="recognize"),
    path("ratings/", views.rating_list, name="rating-list"),
    path("ratings/export.xlsx", views.rating_export, name="rating-export"),
    path("ratings/new/", views.rating_edit, name="rating-create"),
    path("ratings/<int:pk>/edit/", views.rating_edit, name="rating-edit"),
]

from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
]

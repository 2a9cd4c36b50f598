from django.urls import path

from . import views

app_name = "fields_of_action"
urlpatterns = [
    path("", views.field_list, name="list"),
    path("<slug:slug>/", views.field_detail, name="detail"),
    path("<slug:slug>/ziele/neu/", views.goal_create, name="goal_create"),
    path("ziele/<int:pk>/bearbeiten/", views.goal_update, name="goal_update"),
]

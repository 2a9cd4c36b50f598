from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("einladen/", views.invite, name="invite"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/deaktivieren/", views.deactivate, name="deactivate"),
    path("<int:pk>/aktivieren/", views.reactivate, name="reactivate"),
    path("<int:pk>/einladung-erneut/", views.resend, name="resend"),
    path("rolle/<int:pk>/entziehen/", views.role_remove, name="role_remove"),
    path("einladung/<str:token>/", views.accept, name="accept"),
]

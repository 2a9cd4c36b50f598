from django.urls import path

from .views import people

app_name = "people"

urlpatterns = [
    path("", people.people_list, name="list"),
    path("einladen/", people.invite, name="invite"),
    path("<int:pk>/", people.person_detail, name="detail"),
    path("<int:pk>/deaktivieren/", people.deactivate, name="deactivate"),
    path("<int:pk>/aktivieren/", people.reactivate, name="reactivate"),
    path("<int:pk>/einladung-erneut/", people.resend, name="resend"),
    path("rolle/<int:pk>/entziehen/", people.role_remove, name="role_remove"),
    path("einladung/<str:token>/", people.accept, name="accept"),
]

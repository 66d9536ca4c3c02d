from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.departments, name="departments"),
    path("<slug:code>/roster/", views.roster, name="roster"),
]

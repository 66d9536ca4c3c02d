from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.open_form, name="open"),
    path("department/", views.department_view, name="department"),
    path("archive/", views.archive, name="archive"),
    path("incidents/<int:pk>/", views.incident_room, name="room"),
    path("incidents/<int:pk>/sitrep/", views.sitrep, name="sitrep"),
    path("reports/<int:pk>/", views.information_report, name="report"),
]

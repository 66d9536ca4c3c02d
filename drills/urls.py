from django.urls import path

from . import views

app_name = "drills"
urlpatterns = [
    path("", views.drill_list, name="list"),
    path("new/", views.new_drill, name="new"),
    path("calendar/", views.calendar, name="calendar"),
    path("trends/", views.trends, name="trends"),
    path("improvement/", views.improvement_items, name="improvement"),
    path("<int:pk>/", views.drill_detail, name="detail"),
    path("<int:pk>/console/", views.console, name="console"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/score/", views.score, name="score"),
    path("<int:pk>/report/", views.report, name="report"),
]

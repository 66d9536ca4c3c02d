from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rivers/<slug:code>/", views.river_map, name="river-map"),
    path("rivers/<slug:code>/plan/", views.plan_print, name="plan-print"),
    path("rivers/<slug:code>/plan.pdf", views.plan_pdf, name="plan-pdf"),
    path("filings/", views.filings, name="filings"),
]

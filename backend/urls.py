from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backend import uploads
from backend.alerts import api as alerts_api
from backend.audit import views as audit_views
from backend.directory import api as directory_api
from backend.directory import auth_views
from backend.health import healthz, healthz_beat
from backend.incidents import api as incidents_api
from backend.incidents.api_events import EventTypesView
from backend.incidents.places import OrientationLayerView, PlaceSearchView
from backend.incidents.treatment_api import TreatmentDispatchView
from backend.routers import IdRouter
from drills import api as drills_api
from frontend import views as frontend_views
from inventory import api as inventory_api
from plans import api as plans_api

router = IdRouter()
router.register("departments", directory_api.DepartmentViewSet)
router.register("areas", directory_api.AdminAreaViewSet)
router.register("contacts", directory_api.ContactViewSet)
router.register("shifts", directory_api.ShiftViewSet)
router.register("notifications", alerts_api.NotificationViewSet)
router.register("escalation-policies", alerts_api.EscalationPolicyViewSet, basename="escalation-policy")
router.register("incidents", incidents_api.IncidentViewSet)
router.register("tasks", incidents_api.TaskViewSet)
router.register("reports", incidents_api.ReportViewSet)
# inventory: /api/depots/nearest/ is a list-level action, routed before the depot detail route.
router.register("depots", inventory_api.DepotViewSet)
router.register("items", inventory_api.ItemViewSet)
router.register("lots", inventory_api.LotViewSet)
router.register("movements", inventory_api.MovementViewSet)
router.register("dispatches", inventory_api.DispatchViewSet)
# plans: rivers, features along them, pollutants, response plans, filings; POST /api/trace/ below.
router.register("rivers", plans_api.RiverViewSet)
router.register("river-features", plans_api.RiverFeatureViewSet)
router.register("river-reaches", plans_api.RiverReachViewSet)
router.register("pollutants", plans_api.PollutantViewSet)
router.register("plans", plans_api.ResponsePlanViewSet)
router.register("task-templates", plans_api.TaskTemplateViewSet)
router.register("measures", plans_api.MeasureViewSet)
router.register("enterprise-filings", plans_api.EnterprisePlanFilingViewSet)
router.register("drills", drills_api.DrillViewSet)  # drills: /api/drills/{id}/score/, injects/ ...; report.pdf below
router.register("improvement-items", drills_api.ImprovementItemViewSet)

urlpatterns = [
    path("", frontend_views.home, name="home"),
    path("favicon.ico", frontend_views.favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("healthz/beat", healthz_beat, name="healthz-beat"),
    # Before Django's auth URLs: a GET shows a confirmation instead of 405.
    path("accounts/logout/", frontend_views.logout_page, name="logout"),
    # Before Django's auth URLs: the login form refuses locked-out usernames (lockout.py).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("directory/", include("backend.directory.urls")),
    path("admin/", admin.site.urls),
    path("api/auth/token/", auth_views.TokenView.as_view(), name="api-token"),
    path("api/auth/token/rotate/", auth_views.RotateTokenView.as_view(), name="api-token-rotate"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("api/me/", directory_api.MeView.as_view(), name="api-me"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/receipts/", inventory_api.ReceiptView.as_view(), name="api-receipts"),
    path("inventory/", include("inventory.urls")),
    path("api/trace/", plans_api.TraceView.as_view(), name="api-trace"),
    path("api/event-types/", EventTypesView.as_view(), name="api-event-types"),
    path("api/places/", PlaceSearchView.as_view(), name="api-places"),
    path("api/places/layer/", OrientationLayerView.as_view(), name="api-places-layer"),
    path("plans/", include("plans.urls")),
    path("board/", include("backend.incidents.urls")),
    path("api/incidents/<int:pk>/cap.xml", incidents_api.cap_xml, name="api-incident-cap"),
    path(
        "api/incidents/<int:pk>/treatment/dispatch/",
        TreatmentDispatchView.as_view(),
        name="api-incident-treatment-dispatch",
    ),
    path("api/notification-summary/", alerts_api.NotificationSummaryView.as_view(), name="api-notification-summary"),
    path("", include("backend.alerts.urls")),
    path("drills/", include("drills.urls")),
    path("api/drills/<int:pk>/report.pdf", drills_api.DrillReportView.as_view(), name="api-drill-report"),
    path("api/", include(router.urls)),
]
# Uploads: to signed-in users, as attachments only (backend/uploads.py), in every setting.
urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", uploads.serve_media, name="media")]

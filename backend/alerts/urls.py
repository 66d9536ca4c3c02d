"""Webhooks, acknowledgement links and the escalation policy pages; the API routes are
registered in backend/urls.py."""

from django.urls import path, re_path

from . import views

app_name = "alerts"

urlpatterns = [
    path("twilio/status/", views.twilio_status, name="twilio-status"),
    path("twilio/inbound/", views.twilio_inbound, name="twilio-inbound"),
    # The link as printed in the SMS has no trailing slash (every character costs); accept one
    # anyway, since some phones and chat apps add it.
    re_path(r"^a/(?P<key>[^/]{1,64})/?$", views.ack_link, name="ack"),
    path("escalation/", views.escalation_policies, name="escalation-policies"),
    path("escalation/<slug:code>/", views.escalation_policy_edit, name="escalation-policy-edit"),
]

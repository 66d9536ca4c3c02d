"""Twilio's webhooks (checked by signature, not by login), the acknowledgement link page, and
the duty office's escalation policy pages."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from backend.directory.models import Department

from . import forms
from .models import AckToken, EscalationStep
from .services import acks, policies, status
from .services.status_batch import GroupCommit
from .status_webhook import signature_valid, status_callback

# Status callbacks are applied in batches per process (group commit), not one per request.
# Under the ASGI server they do not reach this view: status_webhook.StatusWebhook answers them.
callbacks = GroupCommit(status.apply_callbacks)


def twiml(message: str | None = None) -> HttpResponse:
    inner = f"<Message>{escape(message)}</Message>" if message else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def twilio_status(request):
    if not signature_valid(request):
        return HttpResponseForbidden("invalid signature")
    callbacks.submit(status_callback(request))
    # 200 whether or not anything changed: a repeated, late or early callback is not an error.
    return HttpResponse("", content_type="text/plain")


# Replies are SMS bodies: Chinese, short, no links (they would cost a segment each).
REPLIES = {
    "acknowledged": "已确认[{code}]{n}项任务，谢谢。",
    "already": "[{code}]贵单位任务已确认，无需重复回复。",
    "not_ack": "如需确认[{code}]任务，请回复“{code} 收到”。",
    "unknown_code": "未识别事件编号，请回复“事件编号 收到”，如“AB23 收到”，或点短信中的确认链接。",
    "unknown_sender": "本号码未登记，无法确认任务。如有疑问请联系忻州市生态环境局值班室。",
}


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not signature_valid(request):
        return HttpResponseForbidden("invalid signature")
    outcome = acks.handle_inbound(
        request.POST.get("From", ""), request.POST.get("Body", ""), sid=request.POST.get("MessageSid", "")
    )
    code = outcome.incident.short_code if outcome.incident else ""
    return twiml(REPLIES[outcome.result].format(code=code, n=len(outcome.tasks)))


@csrf_exempt  # the token in the URL is the credential; there is no session to protect
@require_http_methods(["GET", "POST"])
def _unknown_link(request):
    """The system's own 404 page, also when DEBUG is on: the person holding a phone at 3 a.m.
    must never see Django's debug page (it raised Http404 before, which DEBUG turns technical)."""
    return render(request, "404.html", status=404)


def ack_link(request, key: str):
    """GET shows what would be acknowledged and one button (link scanners and chat previews
    open links by GET, so GET never changes anything); only the button's POST acknowledges."""
    try:
        token = acks.usable_token(key)
    except acks.TokenGone as gone:
        return render(request, "alerts/ack.html", {"gone": True, "reason": gone.reason}, status=410)
    if token is None:
        return _unknown_link(request)
    if request.method == "POST":
        try:
            token, done = acks.acknowledge_by_token(key)
        except acks.TokenGone as gone:
            return render(request, "alerts/ack.html", {"gone": True, "reason": gone.reason}, status=410)
        except AckToken.DoesNotExist:
            return _unknown_link(request)
        return render(request, "alerts/ack.html", {"token": token, "done": done, "acknowledged": True})
    tasks = list(acks.pending_tasks(token.contact.department_id, token.incident_id))
    return render(request, "alerts/ack.html", {"token": token, "tasks": tasks})


def _departments():
    steps = EscalationStep.objects.prefetch_related("contacts")
    return Department.objects.prefetch_related(Prefetch("escalation_policy__steps", queryset=steps))


@login_required
@permission_required("alerts.view_escalationpolicy", raise_exception=True)
def escalation_policies(request):
    """Every active department and its ladder in words; edit links for those who may edit."""
    rows = [
        {"department": d, "policy": (view := policies.effective_policy(d)), "summary": policies.describe(view)}
        for d in _departments().filter(active=True)
    ]
    can_edit = request.user.has_perm("alerts.change_escalationpolicy")
    return render(request, "alerts/escalation_policies.html", {"rows": rows, "can_edit": can_edit})


@login_required
@permission_required("alerts.change_escalationpolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def escalation_policy_edit(request, code: str):
    """One department's ladder as a form: administrators and duty officers only."""
    department = get_object_or_404(_departments(), code=code)
    current = policies.effective_policy(department)
    named = {c.pk for step in current.steps for c in step.contacts}
    choices = forms.contact_choices(department, keep=named)
    loose: list[str] = []
    if request.method == "POST":
        policy_form = forms.PolicyForm(request.POST)
        formset = forms.StepFormSet(request.POST, prefix="steps", contact_choices=choices)
        if policy_form.is_valid() and formset.is_valid():
            steps, kept = formset.steps()
            try:
                policies.save_policy(department, **policy_form.cleaned_data, steps=steps, actor=request.user)
            except ValidationError as exc:
                loose = forms.place_errors(exc.message_dict, policy_form, kept)
            else:
                messages.success(request, _("Escalation policy of %(department)s saved.") % {"department": department})
                return redirect("alerts:escalation-policies")
        loose += formset.non_form_errors()
    else:
        policy_form = forms.PolicyForm(initial={"active": current.active, "repeat_last": current.repeat_last})
        initial = [
            {"wait_minutes": s.wait_minutes, "target": s.target, "contacts": [c.pk for c in s.contacts]}
            for s in current.steps
        ]
        formset = forms.StepFormSet(initial=initial, prefix="steps", contact_choices=choices)
    context = {
        "department": department,
        "policy": current,
        "summary": policies.describe(current),
        "policy_form": policy_form,
        "formset": formset,
        "errors": loose,
        "max_steps": policies.MAX_STEPS,
    }
    # Reaching here after a POST means it was refused: 400, like the API, so nothing mistakes it for a save.
    return render(
        request, "alerts/escalation_policy_edit.html", context, status=400 if request.method == "POST" else 200
    )

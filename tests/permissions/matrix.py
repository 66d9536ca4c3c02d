"""The permission matrix: every URL of the URL conf, for every role, with the answer the product
needs (issue #12). tests/permissions/test_matrix.py walks the URL conf and fails on any pattern
or API method that has no row here, and on any row whose pattern no longer exists; then it sends
each row's request as each role and compares.

Adding a row (a new endpoint cannot ship without one):
1. Run the test: the failure names the missing key, e.g. `/api/reports/{pk}/ GET`. Keys are the
   URL conf's pattern with every parameter as `{name}` (the URL conf's own kwarg name); API
   methods are the ones the OpenAPI schema publishes; pages list GET, plus POST where the page
   handles a form.
2. Add `row(key, METHOD, POLICY, ...)` to ROWS below, in its app's section. Pick a policy from
   the policies below (or add one next to them if none says it) by reading the view and its
   app's permissions module, never by recording what the server answers; where the code
   answers otherwise than the roles should allow, fix the code, not the row.
3. Detail URLs take their objects from `args` (placeholder -> the name of an object that
   world.py picks from the demo data or adds; "=text" is the text itself); `query` is added
   after "?" with the same {names}. Pick objects that make an object-level rule visible
   (another department's contact, a depot the depot manager does not manage, a drill another
   trainer controls, an exercise incident the viewer is not part of).
4. Send `body={}` unless a 400 would hide a permission check that runs after validation; then
   give a minimal valid body (`body="name"`: a body built in world.py) and say so in `note`.
5. More rows for the same key and method are welcome: each probes another object (the other
   side of an object rule). If the endpoint writes a record of refused attempts (an audit or
   lockout table), add that table to ATTEMPT_TABLES with the reason.

Outcomes:
- OK: the permission passed: anything but 401/403/404 or a redirect to a login page (200, 201,
  204, 400, 409, 422 all count: the body may still be wrong, the role was let in); never 5xx.
- DENIED: anonymous: 401 on the API, a redirect to the login page on pages; signed in: 403.
- HIDDEN: 404, the object does not exist for this role (object-level invisibility).
- REFUSED: 403 for everybody, anonymous included: the credential is not the session (a Twilio
  signature).
- STAFF_LOGIN: the admin site's own answer to a non-staff user: a redirect to /admin/login/.

Roles (users in world.py): anonymous, viewer, liaison (the fire brigade's
liaison, liaison-fire), duty (duty officer), depot (manager of the city depot only), trainer
(controls the demo's scheduled drill, not the ended one), evaluator (named on both demo drills),
admin (administrator, superuser, staff).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Tables a refused write (POST/PUT/PATCH/DELETE answered 401/403/404) may still write to,
# because they record the attempt or the visit itself, not the object refused. Add the audit
# and login-lockout tables here when they arrive, each with the reason.
ATTEMPT_TABLES = {
    "django_session",  # the session of the signed-in client (Django may save it on any request)
}

ROLES = ("anonymous", "viewer", "liaison", "duty", "depot", "trainer", "evaluator", "admin")
SIGNED_IN = ROLES[1:]

OK, DENIED, HIDDEN, REFUSED, STAFF_LOGIN = "ok", "denied", "hidden", "refused", "staff-login"


def policy(ok=(), hidden=(), anonymous=DENIED, **special) -> dict[str, str]:
    """role -> outcome: `ok` roles pass, `hidden` roles get 404, every other role is DENIED."""
    table = {role: DENIED for role in ROLES}
    table.update({role: OK for role in ok})
    table.update({role: HIDDEN for role in hidden})
    table["anonymous"] = anonymous
    table.update(special)
    return table


# --- policies, reused across rows ----------------------------------------------------------------
PUBLIC = policy(ok=SIGNED_IN, anonymous=OK)
READ_ALL_USERS = policy(ok=SIGNED_IN)  # every signed-in role reads it (all roles have view_*)
ADMIN_ONLY = policy(ok=("admin",))
DUTY_ONLY = policy(ok=("duty", "admin"))  # the duty office: duty officers and administrators
TRAINERS = policy(ok=("trainer", "admin"))  # drills.add_drill
# the admin site: staff only (administrators); everyone else is sent to its own login
STAFF_SITE = policy(anonymous=STAFF_LOGIN, ok=("admin",), **dict.fromkeys(SIGNED_IN[:-1], STAFF_LOGIN))
# The Twilio webhooks: no valid signature, no entry, whoever is signed in.
TWILIO_SIGNED = dict.fromkeys(ROLES, REFUSED)
# The acknowledgement link: the key is the credential; an unknown key is 404 for everybody.
UNKNOWN_KEY = dict.fromkeys(ROLES, HIDDEN)

# directory: a liaison manages their own department's contacts and roster only (the target is
# a police contact/shift, the liaison is the fire brigade's).
OTHER_DEPARTMENTS_ENTRY = DUTY_ONLY  # other departments' contacts and roster
# the same rules seen from the other side: the fire liaison's own department
OWN_DEPARTMENT_WRITERS = policy(ok=("duty", "admin", "liaison"))

# incidents: the exercise incident of the ended drill; the fire brigade takes part, the viewer
# and the depot manager do not (backend/incidents/visibility.py).
EXERCISE_READERS = policy(ok=("liaison", "duty", "trainer", "evaluator", "admin"), hidden=("viewer", "depot"))
# commands on a real incident: the duty office (backend/incidents/permissions.py can_command)
INCIDENT_COMMANDERS = DUTY_ONLY
# a police task: the fire liaison may not act on it; the duty officer may, on the phone's behalf
POLICE_TASK_ACTORS = DUTY_ONLY
# a fire task (on another real incident): the fire liaison acts on it, records samples there
FIRE_TASK_ACTORS = policy(ok=("liaison", "duty", "admin"))

# inventory: the target depot/lot/dispatch is NOT the depot manager's (another depot)
OTHER_DEPOT_STOCK = DUTY_ONLY  # can_handle_stock, can_request_dispatch, can_approve, can_follow_up
SHIP_OTHER_DEPOT = ADMIN_ONLY  # can_ship: the depot's own manager or an administrator
CATALOGUE_WRITERS = DUTY_ONLY  # add/change item, add depot
# PATCH of another depot: depot managers hold change_depot but only for their own depots
OTHER_DEPOT_EDIT = DUTY_ONLY
STOCK_IMPORT = DUTY_ONLY  # the spreadsheet import: the duty office only
# the depot manager's own depot (the city depot): the same actions are theirs
OWN_DEPOT_STOCK = policy(ok=("duty", "depot", "admin"))
SHIP_OWN_DEPOT = policy(ok=("depot", "admin"))
_NOT_DEPOT_STAFF = ("viewer", "liaison", "trainer", "evaluator")
DISPATCH_PAGE_OTHER = policy(ok=("duty", "admin"), hidden=(*_NOT_DEPOT_STAFF, "depot"))
DISPATCH_PAGE_OWN = policy(ok=("duty", "depot", "admin"), hidden=_NOT_DEPOT_STAFF)
DISPATCH_SHIP_OWN = policy(ok=("depot", "admin"), hidden=_NOT_DEPOT_STAFF)

# plans: duty officers maintain rivers, plans and everything along them
PLAN_WRITERS = DUTY_ONLY

# drills. "ended drill": the demo's ended drill, moved to another trainer (trainer-other); the
# fire brigade takes part, the viewer and the depot manager do not.
DRILL_READERS = policy(ok=("liaison", "duty", "trainer", "evaluator", "admin"), hidden=("viewer", "depot"))
DRILL_CONTROL_OTHER = policy(ok=("admin",), hidden=("viewer", "depot"))  # another trainer's drill
DRILL_STAFF = policy(ok=("trainer", "evaluator", "admin"), hidden=("viewer", "depot"))  # MSEL, ratings
DRILL_EVALUATORS = policy(ok=("evaluator", "admin"), hidden=("viewer", "depot"))  # named evaluator
DRILL_CONTROL_OWN = policy(ok=("trainer", "admin"), hidden=("viewer", "depot"))  # this trainer's drill
# exercise incident commands: the duty office, and the drill's own controller (not this trainer)
EXERCISE_COMMANDERS = policy(ok=("duty", "admin"), hidden=("viewer", "depot"))


@dataclass(frozen=True)
class Row:
    key: str  # URL conf pattern with {name} placeholders
    method: str
    expect: dict[str, str]
    args: dict[str, str] = field(default_factory=dict)  # placeholder -> an object's name in world.py
    body: object = None  # None: no body; {}; or the name of a body built in world.py
    query: str = ""
    note: str = ""
    unavailable_ok: bool = False  # 503 is this URL's designed answer (/healthz without a worker)
    lands_on_login: bool = False  # a redirect to the login page is this URL's success (logout)


def row(key, method, expect, **kwargs) -> Row:
    if method in ("POST", "PUT", "PATCH") and "body" not in kwargs:
        kwargs["body"] = {}
    return Row(key, method, expect, **kwargs)


def rows_for(key, methods, expect, **kwargs) -> list[Row]:
    return [row(key, method, expect, **kwargs) for method in methods]


WRITE = ("POST",)
EDIT = ("PUT", "PATCH", "DELETE")
EDIT_NO_DELETE = ("PUT", "PATCH")

ROWS: list[Row] = [
    # --- site, accounts, health ------------------------------------------------------------------
    row("/", "GET", READ_ALL_USERS),
    row("/healthz", "GET", PUBLIC, unavailable_ok=True, note="503 by design when no worker runs"),
    row("/healthz/beat", "GET", PUBLIC, unavailable_ok=True, note="503 by design when beat is silent"),
    row("/accounts/logout/", "GET", PUBLIC),
    row("/accounts/logout/", "POST", PUBLIC, lands_on_login=True, note="logged out, on the login page"),
    *rows_for("/accounts/login/", ("GET", "POST"), PUBLIC),
    *rows_for("/accounts/password_change/", ("GET", "POST"), READ_ALL_USERS),
    row("/accounts/password_change/done/", "GET", READ_ALL_USERS),
    *rows_for("/accounts/password_reset/", ("GET", "POST"), PUBLIC),
    row("/accounts/password_reset/done/", "GET", PUBLIC),
    *rows_for(
        "/accounts/reset/{uidb64}/{token}/",
        ("GET", "POST"),
        PUBLIC,
        args={"uidb64": "=MQ", "token": "=bad-token"},
        note="an invalid link: the page says so",
    ),
    row("/accounts/reset/done/", "GET", PUBLIC),
    row("/i18n/setlang/", "POST", PUBLIC, body="setlang"),
    row("/media/{path}", "GET", READ_ALL_USERS, args={"path": "media_file"}),
    # the admin site: Django's own rules (is_staff + model permissions); only administrators are staff
    row("/admin/", "GET", STAFF_SITE),
    *rows_for("/admin/login/", ("GET", "POST"), PUBLIC, note="the staff login form"),
    row("/admin/*", "GET", STAFF_SITE, note="every other admin URL: a sample is requested (ADMIN_SAMPLE)"),
    # --- API: auth, schema -----------------------------------------------------------------------
    row("/api/", "GET", READ_ALL_USERS, note="the router's index of collections"),
    row("/api/auth/token/", "POST", PUBLIC, note="the credentials are the body"),
    row("/api/me/", "GET", READ_ALL_USERS),
    row("/favicon.ico", "GET", PUBLIC, note="a redirect to the app's own icon"),
    row("/api/places/", "GET", READ_ALL_USERS, query="q=忻"),
    row("/api/places/layer/", "GET", READ_ALL_USERS),
    row("/api/auth/token/rotate/", "POST", READ_ALL_USERS, note="every signed-in user rotates their own token"),
    row("/audit/", "GET", ADMIN_ONLY, note="the audit trail: administrators only"),
    row("/api/schema/", "GET", PUBLIC, note="the API's description, no data (drf-spectacular AllowAny)"),
    row("/api/docs/", "GET", PUBLIC, note="the interactive docs page, no data"),
    row("/api/event-types/", "GET", READ_ALL_USERS),
    # --- directory ---------------------------------------------------------------------------------
    row("/directory/", "GET", READ_ALL_USERS),
    row("/directory/{code}/roster/", "GET", READ_ALL_USERS, args={"code": "police_code"}),
    row("/api/departments/", "GET", READ_ALL_USERS),
    row("/api/departments/{pk}/", "GET", READ_ALL_USERS, args={"pk": "police"}),
    row("/api/departments/{pk}/on-duty/", "GET", READ_ALL_USERS, args={"pk": "police"}),
    row("/api/areas/", "GET", READ_ALL_USERS),
    row("/api/areas/{pk}/", "GET", READ_ALL_USERS, args={"pk": "area"}),
    row("/api/contacts/", "GET", READ_ALL_USERS),
    row(
        "/api/contacts/",
        "POST",
        OTHER_DEPARTMENTS_ENTRY,
        body="police_contact",
        note="valid body: the department check runs after validation",
    ),
    row("/api/contacts/{pk}/", "GET", READ_ALL_USERS, args={"pk": "contact_police"}),
    *rows_for("/api/contacts/{pk}/", EDIT, OTHER_DEPARTMENTS_ENTRY, args={"pk": "contact_police"}),
    row("/api/contacts/{pk}/", "PATCH", OWN_DEPARTMENT_WRITERS, args={"pk": "contact_fire"}),
    row("/api/shifts/", "GET", READ_ALL_USERS),
    row(
        "/api/shifts/",
        "POST",
        OTHER_DEPARTMENTS_ENTRY,
        body="police_shift",
        note="valid body: the department check runs after validation",
    ),
    row("/api/shifts/{pk}/", "GET", READ_ALL_USERS, args={"pk": "shift_police"}),
    *rows_for("/api/shifts/{pk}/", EDIT, OTHER_DEPARTMENTS_ENTRY, args={"pk": "shift_police"}),
    # --- incidents -----------------------------------------------------------------------------
    row("/board/", "GET", READ_ALL_USERS),
    row("/board/archive/", "GET", READ_ALL_USERS),
    row("/board/new/", "GET", DUTY_ONLY),
    row("/board/department/", "GET", READ_ALL_USERS),
    row("/board/incidents/{pk}/", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    row("/board/incidents/{pk}/sitrep/", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    row("/api/incidents/", "GET", READ_ALL_USERS),
    row("/api/incidents/", "POST", DUTY_ONLY, body="incident", note="valid body: the check runs after validation"),
    row("/api/incidents/{pk}/", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    row("/api/incidents/{pk}/events/", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    row("/api/incidents/{pk}/cap.xml", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    *[
        row(f"/api/incidents/{{pk}}/{verb}/", "POST", INCIDENT_COMMANDERS, args={"pk": "incident_real"})
        for verb in ("activate", "close", "impact", "level", "notes", "reopen", "status", "tasks")
    ],
    # samples: commanders and liaisons of departments with a task on it (police has, fire not)
    row("/api/incidents/{pk}/samples/", "POST", INCIDENT_COMMANDERS, args={"pk": "incident_real"}),
    row(
        "/api/incidents/{pk}/level/",
        "POST",
        EXERCISE_COMMANDERS,
        args={"pk": "incident_exercise"},
        note="the exercise is another trainer's: this trainer may not command it",
    ),
    row("/api/incidents/{pk}/samples/", "POST", FIRE_TASK_ACTORS, args={"pk": "incident_fire"}),
    # legal record (issue #15): intakes, the reporting procedure and reports are the duty office's;
    # the water department's liaison may also record an intake (this liaison is the fire brigade's)
    *[
        row(f"/api/incidents/{{pk}}/{verb}/", "POST", INCIDENT_COMMANDERS, args={"pk": "incident_real"})
        for verb in ("intakes", "reporting-procedure", "reports", "treatment/dispatch")
    ],
    row("/api/incidents/{pk}/reports/", "GET", EXERCISE_READERS, args={"pk": "incident_exercise"}),
    row("/api/reports/{pk}/", "GET", EXERCISE_READERS, args={"pk": "report_exercise"}),
    row("/api/reports/{pk}/pdf/", "GET", EXERCISE_READERS, args={"pk": "report_exercise"}),
    row("/board/reports/{pk}/", "GET", EXERCISE_READERS, args={"pk": "report_exercise"}),
    row("/api/tasks/", "GET", READ_ALL_USERS),
    row("/api/tasks/{pk}/", "GET", EXERCISE_READERS, args={"pk": "task_exercise"}),
    row("/api/tasks/{pk}/", "GET", READ_ALL_USERS, args={"pk": "task_police"}),
    *[
        row(f"/api/tasks/{{pk}}/{verb}/", "POST", POLICE_TASK_ACTORS, args={"pk": "task_police"})
        for verb in ("acknowledge", "complete", "reassign", "start")
    ],
    *[
        row(f"/api/tasks/{{pk}}/{verb}/", "POST", FIRE_TASK_ACTORS, args={"pk": "task_fire"})
        for verb in ("acknowledge", "start")
    ],
    # --- alerts ----------------------------------------------------------------------------------
    row("/twilio/status/", "POST", TWILIO_SIGNED),
    row("/twilio/inbound/", "POST", TWILIO_SIGNED),
    *rows_for("/a/{key}", ("GET", "POST"), UNKNOWN_KEY, args={"key": "=no-such-key"}),
    row("/escalation/", "GET", READ_ALL_USERS),
    *rows_for("/escalation/{code}/", ("GET", "POST"), DUTY_ONLY, args={"code": "police_code"}),
    row("/api/notifications/", "GET", READ_ALL_USERS),
    row(
        "/api/notifications/",
        "GET",
        EXERCISE_READERS,
        query="incident={incident_exercise}",
        note="filtered by an incident the role may not see: 404, as for the incident itself",
    ),
    row("/api/notifications/{pk}/", "GET", EXERCISE_READERS, args={"pk": "notification_exercise"}),
    row("/api/notifications/{pk}/resend/", "POST", EXERCISE_COMMANDERS, args={"pk": "notification_exercise"}),
    row(
        "/api/notification-summary/",
        "GET",
        EXERCISE_READERS,
        query="incident={incident_exercise}",
        note="an incident the role may not see: 404, as for the incident itself",
    ),
    row("/api/escalation-policies/", "GET", READ_ALL_USERS),
    row("/api/escalation-policies/{department_code}/", "GET", READ_ALL_USERS, args={"department_code": "police_code"}),
    row("/api/escalation-policies/{department_code}/", "PUT", DUTY_ONLY, args={"department_code": "police_code"}),
    # --- plans -----------------------------------------------------------------------------------
    row("/plans/", "GET", READ_ALL_USERS),
    row("/plans/filings/", "GET", READ_ALL_USERS),
    row("/plans/rivers/{code}/", "GET", READ_ALL_USERS, args={"code": "river_code"}),
    row("/plans/rivers/{code}/plan/", "GET", READ_ALL_USERS, args={"code": "river_code"}),
    row("/plans/rivers/{code}/plan.pdf", "GET", READ_ALL_USERS, args={"code": "river_code"}),
    row("/api/trace/", "POST", READ_ALL_USERS),
    *[
        entry
        for collection, target in (
            ("rivers", "river"),
            ("river-features", "feature"),
            ("pollutants", "pollutant"),
            ("plans", "plan"),
            ("task-templates", "template"),
            ("measures", "measure"),
            ("enterprise-filings", "filing"),
        )
        for entry in (
            row(f"/api/{collection}/", "GET", READ_ALL_USERS),
            row(f"/api/{collection}/", "POST", PLAN_WRITERS),
            row(f"/api/{collection}/{{pk}}/", "GET", READ_ALL_USERS, args={"pk": target}),
            *rows_for(f"/api/{collection}/{{pk}}/", EDIT, PLAN_WRITERS, args={"pk": target}),
        )
    ],
    row("/api/river-reaches/", "GET", READ_ALL_USERS),
    row("/api/river-reaches/", "POST", PLAN_WRITERS),
    row("/api/river-reaches/{pk}/", "GET", READ_ALL_USERS, args={"pk": "reach"}),
    *rows_for("/api/river-reaches/{pk}/", EDIT, PLAN_WRITERS, args={"pk": "reach"}),
    row("/api/plans/{pk}/approve/", "POST", PLAN_WRITERS, args={"pk": "plan"}),
    row("/api/plans/{pk}/new-version/", "POST", PLAN_WRITERS, args={"pk": "plan"}),
    row("/api/enterprise-filings/missing-or-expired/", "GET", READ_ALL_USERS),
    # --- inventory -------------------------------------------------------------------------------
    row("/inventory/", "GET", READ_ALL_USERS),
    # dispatch pages (issue #16): the duty office sees every depot's dispatches, a depot manager
    # their own depots'; anyone else finds no such dispatch (404)
    row("/inventory/dispatches/", "GET", READ_ALL_USERS),
    row("/inventory/dispatches/{pk}/", "GET", DISPATCH_PAGE_OTHER, args={"pk": "dispatch_other"}),
    row("/inventory/dispatches/{pk}/", "GET", DISPATCH_PAGE_OWN, args={"pk": "dispatch_own"}),
    row(
        "/inventory/dispatches/{pk}/{step}/",
        "POST",
        DISPATCH_PAGE_OTHER,
        args={"pk": "dispatch_other", "step": "=approve"},
    ),
    row(
        "/inventory/dispatches/{pk}/{step}/",
        "POST",
        DISPATCH_SHIP_OWN,
        args={"pk": "dispatch_own", "step": "=dispatch"},
        note="sending out is the depot's own (the duty office sees the dispatch but may not ship it)",
    ),
    row("/inventory/map/", "GET", READ_ALL_USERS),
    row("/inventory/depots/{code}/", "GET", READ_ALL_USERS, args={"code": "depot_other_code"}),
    *rows_for(
        "/inventory/depots/{code}/stocktake/", ("GET", "POST"), OTHER_DEPOT_STOCK, args={"code": "depot_other_code"}
    ),
    *[
        row(
            "/inventory/lots/{pk}/{action}/",
            "POST",
            OTHER_DEPOT_STOCK,
            args={"pk": "lot_other", "action": f"={action}"},
        )
        for action in ("write-off", "consume", "transfer")
    ],
    row("/inventory/items/", "GET", READ_ALL_USERS),
    row("/inventory/items/{code}/", "GET", READ_ALL_USERS, args={"code": "item_code"}),
    row("/inventory/ledger/", "GET", READ_ALL_USERS),
    *rows_for("/inventory/import/", ("GET", "POST"), STOCK_IMPORT),
    *[
        row("/inventory/export/{what}.{fmt}", "GET", READ_ALL_USERS, args={"what": f"={what}", "fmt": "=csv"})
        for what in ("catalogue", "stock")
    ],
    row("/api/depots/", "GET", READ_ALL_USERS),
    row("/api/depots/", "POST", CATALOGUE_WRITERS),
    row("/api/depots/nearest/", "GET", READ_ALL_USERS),
    row("/api/depots/{pk}/", "GET", READ_ALL_USERS, args={"pk": "depot_other"}),
    row(
        "/api/depots/{pk}/",
        "PUT",
        OTHER_DEPOT_EDIT,
        args={"pk": "depot_other"},
        body="depot_put",
        note="valid body: the depot check runs after validation",
    ),
    row("/api/depots/{pk}/", "PATCH", OTHER_DEPOT_EDIT, args={"pk": "depot_other"}),
    row("/api/depots/{pk}/", "PATCH", OWN_DEPOT_STOCK, args={"pk": "depot_own"}),
    row("/api/items/", "GET", READ_ALL_USERS),
    row("/api/items/", "POST", CATALOGUE_WRITERS),
    row("/api/items/{pk}/", "GET", READ_ALL_USERS, args={"pk": "item"}),
    *rows_for("/api/items/{pk}/", EDIT_NO_DELETE, CATALOGUE_WRITERS, args={"pk": "item"}),
    row("/api/lots/", "GET", READ_ALL_USERS),
    row("/api/lots/{pk}/", "GET", READ_ALL_USERS, args={"pk": "lot_other"}),
    *[
        row(f"/api/lots/{{pk}}/{action}/", "POST", OTHER_DEPOT_STOCK, args={"pk": "lot_other"})
        for action in ("consume", "transfer", "write-off")
    ],
    row("/api/lots/{pk}/consume/", "POST", OWN_DEPOT_STOCK, args={"pk": "lot_own"}),
    row("/api/movements/", "GET", READ_ALL_USERS),
    row("/api/movements/{pk}/", "GET", READ_ALL_USERS, args={"pk": "movement"}),
    row(
        "/api/receipts/",
        "POST",
        OTHER_DEPOT_STOCK,
        body="receipt_other",
        note="valid body: the depot check runs after validation",
    ),
    row("/api/dispatches/", "GET", READ_ALL_USERS),
    row(
        "/api/dispatches/",
        "POST",
        OTHER_DEPOT_STOCK,
        body="dispatch_other",
        note="valid body: the depot check runs after validation",
    ),
    row("/api/dispatches/{pk}/", "GET", READ_ALL_USERS, args={"pk": "dispatch_other"}),
    row("/api/dispatches/{pk}/approve/", "POST", OTHER_DEPOT_STOCK, args={"pk": "dispatch_other"}),
    row("/api/dispatches/{pk}/dispatch/", "POST", SHIP_OTHER_DEPOT, args={"pk": "dispatch_other"}),
    row("/api/dispatches/{pk}/dispatch/", "POST", SHIP_OWN_DEPOT, args={"pk": "dispatch_own"}),
    *[
        row(f"/api/dispatches/{{pk}}/{verb}/", "POST", OTHER_DEPOT_STOCK, args={"pk": "dispatch_other"})
        for verb in ("deliver", "close", "cancel")
    ],
    # --- drills ----------------------------------------------------------------------------------
    row("/drills/", "GET", READ_ALL_USERS),
    row("/drills/new/", "GET", TRAINERS),
    row("/drills/calendar/", "GET", READ_ALL_USERS),
    row("/drills/trends/", "GET", READ_ALL_USERS),
    row("/drills/improvement/", "GET", READ_ALL_USERS),
    row("/drills/{pk}/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    row("/drills/{pk}/console/", "GET", DRILL_CONTROL_OTHER, args={"pk": "drill_other"}),
    row("/drills/{pk}/console/", "GET", DRILL_CONTROL_OWN, args={"pk": "drill_scheduled"}),
    row("/drills/{pk}/evaluate/", "GET", DRILL_EVALUATORS, args={"pk": "drill_other"}),
    row("/drills/{pk}/score/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    # the scheduled drill (this trainer's): players read the report once the drill has ended
    row("/drills/{pk}/report/", "GET", DRILL_STAFF, args={"pk": "drill_scheduled"}),
    row("/api/drills/", "GET", READ_ALL_USERS),
    row("/api/drills/", "POST", TRAINERS),
    row(
        "/api/drills/",
        "POST",
        ADMIN_ONLY,
        body="drill_for_other_trainer",
        note="valid body naming another trainer: a trainer schedules only the drills they control",
    ),
    row("/api/drills/trends/", "GET", READ_ALL_USERS),
    row("/api/drills/{pk}/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    *rows_for("/api/drills/{pk}/", EDIT, DRILL_CONTROL_OTHER, args={"pk": "drill_other"}),
    *[
        row(f"/api/drills/{{pk}}/{verb}/", "POST", DRILL_CONTROL_OTHER, args={"pk": "drill_other"})
        for verb in ("start", "pause", "resume", "end", "cancel", "reschedule")
    ],
    row("/api/drills/{pk}/start/", "POST", DRILL_CONTROL_OWN, args={"pk": "drill_scheduled"}),
    row("/api/drills/{pk}/injects/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/injects/", "POST", DRILL_CONTROL_OTHER, args={"pk": "drill_other"}),
    *rows_for(
        "/api/drills/{pk}/injects/{inject_id}/",
        ("PATCH", "DELETE"),
        DRILL_CONTROL_OTHER,
        args={"pk": "drill_other", "inject_id": "inject_other"},
    ),
    *[
        row(
            f"/api/drills/{{pk}}/injects/{{inject_id}}/{verb}/",
            "POST",
            DRILL_CONTROL_OTHER,
            args={"pk": "drill_other", "inject_id": "inject_other"},
        )
        for verb in ("deliver", "skip")
    ],
    row("/api/drills/{pk}/msel/", "GET", DRILL_STAFF, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/msel/", "POST", DRILL_CONTROL_OTHER, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/evaluations/", "GET", DRILL_STAFF, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/evaluations/", "POST", DRILL_EVALUATORS, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/observations/", "GET", DRILL_STAFF, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/observations/", "POST", DRILL_EVALUATORS, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/improvement-items/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/improvement-items/", "POST", DRILL_CONTROL_OTHER, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/score/", "GET", DRILL_READERS, args={"pk": "drill_other"}),
    row("/api/drills/{pk}/report.pdf", "GET", DRILL_STAFF, args={"pk": "drill_scheduled"}),
    row("/api/improvement-items/", "GET", READ_ALL_USERS),
    row("/api/improvement-items/{pk}/", "GET", DRILL_READERS, args={"pk": "improvement_other"}),
    *rows_for("/api/improvement-items/{pk}/", EDIT_NO_DELETE, DRILL_CONTROL_OTHER, args={"pk": "improvement_other"}),
]

# /admin/*: the admin URLs requested for the wildcard row (the admin site checks staff first).
ADMIN_SAMPLE = [
    "/admin/incidents/incident/",
    "/admin/directory/contact/",
    "/admin/directory/contact/add/",
    "/admin/drills/drill/",
    "/admin/inventory/depot/",
    "/admin/plans/river/",
]

"""Settings shared by every environment. All values come from the environment (see
.env.example); dev/test/production only change defaults and add checks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env, env_bool, env_float, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "csp",
    "channels",
    "auditlog",
    "backend.directory",
    "backend.incidents",
    "backend.alerts",
    "plans",
    "inventory",
    "drills",
    "frontend",
    # Last: registers the audited models of every app above (backend/audit/registry.py).
    "backend.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backend.middleware.CookieLanguageMiddleware",
    "backend.input_guard.QueryGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backend.directory.session_idle.SessionIdleMiddleware",
    "backend.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "backend.directory.context_processors.roles",
                "frontend.navigation.nav",  # the navigation bar of every page, by role
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", "postgis://erc:erc@127.0.0.1:5432/erc")
# A connection pool (psycopg_pool): under ASGI every request and every socket's database call
# runs in some thread; persistent per-thread connections exhausted max_connections in a burst of
# Twilio callbacks, and no persistence at all made 500 reconnecting sockets open 1,500
# connections. The pool bounds the count and reuses connections across threads.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
DATABASES["default"]["OPTIONS"] = {
    "pool": {"min_size": 1, "max_size": env_int("DB_POOL_MAX_SIZE", 10), "timeout": env_int("DB_POOL_TIMEOUT", 20)}
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker, cache ----------------------------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
# Prefix for channel-layer keys and Celery queues, so that two deployments (or the test
# suite next to a running `make run`) can share one Redis without stealing each other's work.
REDIS_PREFIX = env("REDIS_PREFIX", "erc")

# "pubsub" (one PUBLISH per group per process) or "core" (one list push per channel in a
# group): chosen from the board benchmark (tests/bench/bench_board.py), see the README.
CHANNEL_LAYER = env("CHANNEL_LAYER", "pubsub")
_LAYER_BACKENDS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}
if CHANNEL_LAYER not in _LAYER_BACKENDS:
    raise ImproperlyConfigured(f"CHANNEL_LAYER={CHANNEL_LAYER!r}: use 'core' or 'pubsub'.")
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": _LAYER_BACKENDS[CHANNEL_LAYER],
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": f"{REDIS_PREFIX}:asgi",
            # The core layer's default capacity of 100 drops messages silently in bursts.
            **({"capacity": env_int("CHANNEL_CAPACITY", 2000), "expiry": 60} if CHANNEL_LAYER == "core" else {}),
        },
    }
}

# --- board fan-out ------------------------------------------------------------------------
# How an incident's events reach its sockets in one server process (backend/incidents/fanout.py):
# "inline" (one channel-layer subscription per incident per process, handlers driven inline;
# fastest) or "channels" (each socket in the channel-layer group, plain Channels dispatch).
BOARD_FANOUT = env("BOARD_FANOUT", "inline")
if BOARD_FANOUT not in ("inline", "channels"):
    raise ImproperlyConfigured(f"BOARD_FANOUT={BOARD_FANOUT!r}: use 'inline' or 'channels'.")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
    }
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = f"{REDIS_PREFIX}.default"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
# Every task sets its own time_limit and soft_time_limit (soft ≤ hard): Celery refuses to send a
# task whose own time_limit is below the global soft limit, and beat then silently skips it on
# every tick. backend/checks.py refuses such an entry at start-up.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))
# Periods of the periodic work, in seconds (tests and drills of the system itself shorten them).
DRILLS_TICK_SECONDS = env_float("DRILLS_TICK_SECONDS", 5.0)
ALERTS_ESCALATE_SECONDS = env_float("ALERTS_ESCALATE_SECONDS", 30.0)
ALERTS_SWEEP_SECONDS = env_float("ALERTS_SWEEP_SECONDS", 30.0)
ROSTER_CHECK_SECONDS = env_float("ROSTER_CHECK_SECONDS", 3600.0)
# The stock digest runs every morning at STOCK_ALERTS_HOUR; STOCK_ALERTS_SECONDS, when set,
# runs it at that period instead (tests).
STOCK_ALERTS_HOUR = env_int("STOCK_ALERTS_HOUR", 7)
STOCK_ALERTS_SECONDS = env_float("STOCK_ALERTS_SECONDS", 0.0)
CELERY_BEAT_SCHEDULE = {
    "directory.roster-coverage": {"task": "directory.check_roster_coverage", "schedule": ROSTER_CHECK_SECONDS},
    # Low-stock and expiry digest, every morning before the day shift starts.
    "inventory.stock-alerts": {
        "task": "inventory.compute_stock_alerts",
        "schedule": STOCK_ALERTS_SECONDS or crontab(hour=STOCK_ALERTS_HOUR, minute=0),
    },
    # Drills: start what is due and deliver due injects (due times live in the database).
    "drills.tick": {
        "task": "drills.tick",
        "schedule": DRILLS_TICK_SECONDS,
        "options": {"expires": DRILLS_TICK_SECONDS},
    },
    # SMS: escalate unacknowledged tasks; mark stale claims unknown and re-queue lost sends.
    "alerts.escalate-due": {"task": "alerts.escalate_due", "schedule": ALERTS_ESCALATE_SECONDS},
    "alerts.sweep": {"task": "alerts.sweep", "schedule": ALERTS_SWEEP_SECONDS},
}
# /healthz reports beat as stale when the last periodic run is older than this many times the
# shortest period above.
BEAT_STALE_FACTOR = 3

# --- Task priorities (issue 11, faults) -----------------------------------------------------
# With Redis, priority 0 (every task's default) is served first. SMS sends go at 3, so the
# periodic sweep and escalation check never wait behind a thousand queued sends: otherwise a
# send lost with its worker stays `sending` until the whole queue has drained (found by
# tests/chaos/test_faults.py). The route gives no queue: the default queue (per settings) is kept.
CELERY_TASK_ROUTES = {"alerts.send_notification": {"priority": 3}, "alerts.send_notifications": {"priority": 3}}

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend that refuses a locked-out username/address (backend/directory/lockout.py).
    "backend.directory.lockout.LockoutBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then gets 401 with WWW-Authenticate, not 403.
        "backend.directory.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "backend.api.exception_handler",
    # backend/input_guard.py: refuses what would reach the database as a 500.
    "DEFAULT_PARSER_CLASSES": [
        "backend.input_guard.JSONParser",
        "backend.input_guard.FormParser",
        "backend.input_guard.MultiPartParser",
    ],
    # Rates come from API_THROTTLE_ANON / API_THROTTLE_USER below, read on each request.
    "DEFAULT_THROTTLE_CLASSES": [
        "backend.directory.throttles.AnonThrottle",
        "backend.directory.throttles.UserThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ERC — Environmental Emergency Response Coordination API",
    "DESCRIPTION": "环境应急响应协同与演练管理系统 API (Xinzhou 忻州).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a "kind" or "status" enum: name them so the schema is unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "MovementKindEnum": "inventory.models.Movement.Kind",
        "DispatchStatusEnum": "inventory.models.Dispatch.Status",
        "IncidentKindEnum": "backend.incidents.models.Incident.Kind",
        "IncidentStatusEnum": "backend.incidents.models.Incident.Status",
        # Incident level (1–4, with suggested_level), depot level and administrative level.
        "IncidentLevelEnum": "backend.incidents.models.Incident.Level",
        "DepotLevelEnum": "inventory.models.Depot.Level",
        "AdminAreaLevelEnum": "backend.directory.models.AdminArea.Level",
        # Information reports and their deadlines (issue 15).
        "InformationReportKindEnum": "backend.incidents.models.InformationReport.Kind",
        "ReportingProcedureEnum": "backend.incidents.models.ReportingDeadline.Procedure",
        "ReportingViaEnum": "backend.incidents.models.ReportingDeadline.Via",
    },
    # --- event contract: the socket messages and each event type's data as components ---
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.incidents.socket_schema.add_socket_messages",
    ],
}

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "CN"

# --- Static files (served by the app itself: bureau intranets have no CDN) -------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# --- Inventory ---------------------------------------------------------------------------
# Average road speed behind `road_minutes` of /api/depots/nearest/ (km/h).
INVENTORY_ROAD_SPEED_KMH = env_float("INVENTORY_ROAD_SPEED_KMH", 40.0)
# Lots expiring within this many days are reported by the daily expiry alert.
INVENTORY_EXPIRY_WARNING_DAYS = env_int("INVENTORY_EXPIRY_WARNING_DAYS", 30)

# --- Maps -----------------------------------------------------------------------------
MAP_TILE_URL = env("MAP_TILE_URL", "")  # empty: vector layers only (offline intranets)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (38.5, 112.7),
    "DEFAULT_ZOOM": 8,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("Tiles", MAP_TILE_URL, {"attribution": env("MAP_TILE_ATTRIBUTION", "")})] if MAP_TILE_URL else [],
    "RESET_VIEW": False,
}


# --- Content-Security-Policy (django-csp) -------------------------------------------------
# Every response carries the policy. Scripts and style elements come from this app's own
# files, or inline with the per-request nonce (`{{ request.csp_nonce }}`; django-leaflet's map
# tag and admin widgets take it too); no eval, no inline event handlers, no plugins, no framing.
# Leaflet and the admin set element styles through the CSSOM, which the policy allows, so no
# 'unsafe-inline' for styles either. Images: this app, data: URIs (Leaflet, Swagger UI) and the
# host of MAP_TILE_URL when set.
def _tile_img_sources(url: str) -> list[str]:
    """CSP sources for a Leaflet tile URL template: its scheme and host, with Leaflet's {s}
    subdomain placeholder expanded to Leaflet's default subdomains a, b, c. A path on this host
    needs none ('self'); a protocol-relative URL gives bare hosts (the page's scheme)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    if parts.scheme not in ("http", "https", ""):
        raise ImproperlyConfigured(f"MAP_TILE_URL={url!r}: expected an http(s) URL template.")
    hosts = [parts.netloc.replace("{s}", s) for s in "abc"] if "{s}" in parts.netloc else [parts.netloc]
    if any("{" in h or "}" in h for h in hosts):
        raise ImproperlyConfigured(f"MAP_TILE_URL={url!r}: only {{s}} may stand in its host.")
    return [f"{parts.scheme}://{h}" if parts.scheme else h for h in hosts]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # NONCE becomes 'nonce-…' on responses whose page used request.csp_nonce, else drops out.
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_tile_img_sources(MAP_TILE_URL)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Plans ------------------------------------------------------------------------------
# A spill farther than this (m) from every river gets 422 from the trace.
TRACE_MAX_SNAP_M = env_float("TRACE_MAX_SNAP_M", 2000.0)
# A feature (or a tributary's mouth) farther than this (m) from its river is refused.
PLANS_MAX_OFFSET_M = env_float("PLANS_MAX_OFFSET_M", 10_000.0)

# --- Trace: hydrological seasons ------------------------------------------------------------
# Months (1–12) of the dry and wet seasons, for the default `season` of the trace (reaches may
# hold dry/normal/wet values); months not listed are normal. Format "dry=11,12,1,2,3,4,5;wet=7,8,9".
# The default follows the rivers of northern Shanxi: summer floods (Jul–Sep), a long dry winter
# and spring.


def _season_months(text: str) -> dict[str, list[int]]:
    seasons: dict[str, list[int]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _sep, months = part.partition("=")
        if name.strip() not in ("dry", "normal", "wet"):
            raise ValueError(f"SEASON_MONTHS: unknown season {name.strip()!r}")
        seasons[name.strip()] = [int(m) for m in months.split(",") if m.strip()]
    return seasons


SEASON_MONTHS = _season_months(env("SEASON_MONTHS", "dry=11,12,1,2,3,4,5;wet=7,8,9"))

# --- Information reports (《突发环境事件信息报告办法》) -----------------------------------------
# Who the bureau reports to, and the unit named on its written reports (services/reporting.py).
REPORTING_UNIT = env("REPORTING_UNIT", "忻州市生态环境局")
REPORTING_GOVERNMENT = env("REPORTING_GOVERNMENT", "忻州市人民政府")
REPORTING_HIGHER_DEPARTMENT = env("REPORTING_HIGHER_DEPARTMENT", "山西省生态环境厅")
REPORTING_PROVINCIAL_DEPARTMENT = env("REPORTING_PROVINCIAL_DEPARTMENT", "山西省生态环境厅")
REPORTING_MINISTRY = env("REPORTING_MINISTRY", "生态环境部")

# --- Twilio / SMS ------------------------------------------------------------------------
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = env("TWILIO_FROM", "")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_URL = env("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
SMS_RATE_PER_SECOND = env_float("SMS_RATE_PER_SECOND", 10.0)
SMS_MERGE_SECONDS = env_int("SMS_MERGE_SECONDS", 60)
# Attempts per message on transient errors (429/5xx/network), backoff base × 2^n capped at max.
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 5)
SMS_RETRY_BASE_SECONDS = env_float("SMS_RETRY_BASE_SECONDS", 5.0)
SMS_RETRY_MAX_SECONDS = env_float("SMS_RETRY_MAX_SECONDS", 600.0)
# How long one request to the provider may take; a task redelivered after a worker died marks a
# claim older than this (+5 s) `unknown` at once.
SMS_HTTP_TIMEOUT_SECONDS = env_float("SMS_HTTP_TIMEOUT_SECONDS", 15.0)
# A message claimed this long ago without the provider's answer is marked `unknown` by the sweep.
SMS_SENDING_TIMEOUT_SECONDS = env_int("SMS_SENDING_TIMEOUT_SECONDS", 60)
# Acknowledgement links expire after this many hours.
ALERTS_ACK_TOKEN_HOURS = env_float("ALERTS_ACK_TOKEN_HOURS", 72.0)
# A queued notification still unsent this many seconds after its time is re-queued by the sweep
# (its Celery message was lost).
SMS_REQUEUE_GRACE_SECONDS = env_float("SMS_REQUEUE_GRACE_SECONDS", 20.0)
# At most this many notifications per send task (an alert to many people goes in batches; one
# to a few people one per task, on every worker at once): backend/alerts/services/notify.py.
SMS_SEND_BATCH = env_int("SMS_SEND_BATCH", 25)
# A batch task claims this many of its messages together and has them at the provider at once
# (threads waiting for the answers): backend/alerts/services/sending.py, send_many.
SMS_SEND_CONCURRENCY = env_int("SMS_SEND_CONCURRENCY", 4)
# The length in seconds of one minute of an escalation ladder's waits: 60 in service; the tests
# of the running system shorten it so a "3-minute" ladder escalates in 3 seconds.
ESCALATION_MINUTE_SECONDS = env_float("ESCALATION_MINUTE_SECONDS", 60.0)

# --- Uploads (secack, issue #12): one check for every upload, backend/uploads.py ----------
# Largest file accepted by any upload (filings, MSEL, inventory imports).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# An .xlsx is refused before opening when it would unpack to more than this in total, or
# when one large part inflates more than UPLOAD_XLSX_MAX_RATIO times (a zip bomb).
UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
UPLOAD_XLSX_MAX_RATIO = env_float("UPLOAD_XLSX_MAX_RATIO", 100.0)
# A request larger than UPLOAD_MAX_BYTES has its files dropped while it is read (never stored).
FILE_UPLOAD_HANDLERS = [
    "backend.uploads.OversizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Security: authentication, sessions, sockets, audit (issue #12) ---------------------
# Password guessing: a username from one address is locked out after LOGIN_FAILURE_LIMIT
# failures, a username from any address after three times that, for LOGIN_COOLOFF_MINUTES
# (counted from the last failure). 0 turns the lockout off.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_float("LOGIN_COOLOFF_MINUTES", 15.0)
# Addresses (or CIDR networks) of reverse proxies whose X-Forwarded-For is believed; from any
# other peer the header is ignored (anyone can send it).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# DRF throttles ("N/sec|min|hour|day"; empty: off): per client address, per signed-in user.
API_THROTTLE_ANON = env("API_THROTTLE_ANON", "60/min")
API_THROTTLE_USER = env("API_THROTTLE_USER", "1200/min")
# API tokens older than this are refused (401); 0: never expire. POST /api/auth/token/rotate/.
API_TOKEN_TTL_HOURS = env_float("API_TOKEN_TTL_HOURS", 720.0)
# A browser session unused this long is logged out; an open page's live socket counts as use.
SESSION_IDLE_MINUTES = env_float("SESSION_IDLE_MINUTES", 480.0)
# The cookie outlives the idle limit: the server-side idle check is what ends a session (a
# socket keeps a session alive without any HTTP response to refresh a cookie's expiry).
SESSION_COOKIE_AGE = max(int(SESSION_IDLE_MINUTES * 60) * 2, 14 * 24 * 3600)
# Sockets: how often each re-checks that its user is active and its token still valid (≤ 30 s),
# how often a session-authenticated socket marks its session as used, and per-socket limits on
# the client's messages (bytes per frame; a token bucket of messages per second and burst).
SOCKET_RECHECK_SECONDS = env_float("SOCKET_RECHECK_SECONDS", 20.0)
SOCKET_SESSION_TOUCH_SECONDS = env_float("SOCKET_SESSION_TOUCH_SECONDS", 120.0)
SOCKET_MAX_MESSAGE_BYTES = env_int("SOCKET_MAX_MESSAGE_BYTES", 16384)
SOCKET_MESSAGES_PER_SECOND = env_float("SOCKET_MESSAGES_PER_SECOND", 10.0)
SOCKET_MESSAGE_BURST = env_int("SOCKET_MESSAGE_BURST", 30)
# Audit trail (django-auditlog): who changed what, old and new values; see backend/audit/.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Health check ------------------------------------------------------------------------
HEALTHZ_TIMEOUT_SECONDS = env_float("HEALTHZ_TIMEOUT_SECONDS", 1.5)

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6, older than Django 5.2 prefers; GeoDjango works with it.
    "gis.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

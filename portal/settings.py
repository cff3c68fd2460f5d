"""Settings for the commune work-plan portal, read from the environment.

Every setting that differs between a developer's machine and production comes from an
environment variable (or a `.env` file beside `manage.py`); README.md lists them all.
SQLite is the zero-set-up default; set DATABASE_URL for PostgreSQL.
"""

import datetime
import ipaddress
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# "production" makes the missing secrets fatal and turns on the HTTPS-only settings.
DEPLOYMENT = env.str("PORTAL_DEPLOYMENT", default="development")
if DEPLOYMENT not in {"development", "production"}:
    raise ImproperlyConfigured("PORTAL_DEPLOYMENT must be 'development' or 'production'.")
PRODUCTION = DEPLOYMENT == "production"

DEBUG = env.bool("DEBUG", default=False)

# The development key starts with "django-insecure-", which `check --deploy` rejects.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105
if PRODUCTION:
    for required in ("SECRET_KEY", "DATABASE_URL"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when PORTAL_DEPLOYMENT=production.")
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "simple_history",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "org",
    "plans",
    "ntm",
    "inspections",
    "portal",
]

MIDDLEWARE = [
    # First: it times and counts the whole stack (README: Health and metrics).
    "portal.metrics.MetricsMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.sessions.SessionKeeperMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.no_store_for_authenticated",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# The admin is for superusers fixing data; a non-default path keeps scanners off it.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.csp_nonce",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so concurrent writers wait (up to `timeout` s) instead of
    # failing half-way with "database is locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_MAX_AGE"] = 0  # the pool below keeps connections; Django requires 0 with it
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=1),
        "max_size": env.int("DB_POOL_MAX", default=8),
        "timeout": 10,
    }
_db["ATOMIC_REQUESTS"] = False
# Tests on SQLite use a file, not Django's shared in-memory database, so that concurrent
# writers meet the same WAL + IMMEDIATE locking as in production.
_test_default = str(BASE_DIR / "test-db.sqlite3") if _db["ENGINE"].endswith("sqlite3") else None
_db.setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default=_test_default)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and passwords ---------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account and address are refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "org.backends.UnitModelBackend",
]
PASSWORD_HASHERS = [
    "org.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"

# Login throttling (django-axes), on the portal's and the admin's login alike: after
# AXES_FAILURE_LIMIT wrong passwords for one account from one address, that pair is refused
# for AXES_COOLOFF_MINUTES, with a page in Vietnamese (HTTP 429). A success resets the count.
# The address is REMOTE_ADDR: behind one proxy every office shares it, so the lock is in
# effect per account there, and an office's other accounts are never locked out with it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are still logged; the start-up banner is not
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day

# --- Language and time -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Cache -----------------------------------------------------------------------------
# Rendered parts of the dashboards (portal.pagecache). Each worker process keeps its own
# copies by default; validity is decided by a version row in the database, so workers never
# disagree. CACHE_URL=redis://… shares the copies between workers.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://portal-pages")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # A dashboard part is up to ~200 kB: bound each process's copies (other backends pass
    # OPTIONS on to their client, which knows no such option).
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 200)
elif CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that stops answering fails a page after two seconds instead of holding every
    # worker forever (and /health/ says so).
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 2)
    _redis_options.setdefault("socket_timeout", 2)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# /health/ waits this many seconds at most for all its checks together (README: Health and
# metrics); a check that has not answered by then fails as "timeout".
HEALTH_TIMEOUT = env.float("HEALTH_TIMEOUT", default=3.0)

# Word and PDF documents (org.documents): an office's own .docx / .css templates, read before
# the shipped templates/documents/ — a file it does not have falls back to the shipped one.
DOCUMENT_TEMPLATES_DIR = env.path(
    "DOCUMENT_TEMPLATES_DIR", default=BASE_DIR / "templates" / "documents"
)

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (an Excel file waiting for its import to be confirmed): private, never
# served at a URL of their own.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The largest Excel file an import accepts.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Evidence files (tài liệu minh chứng) ----------------------------------------------
# Kept in their own storage, outside STATIC_ROOT and with no URL of their own: a file is
# served only by the download view, to a user who may see its object. Any Django storage
# works here (README: an S3-compatible store through django-storages).
EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=BASE_DIR / "media" / "evidence")
STORAGES["evidence"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": EVIDENCE_ROOT,
        "file_permissions_mode": 0o640,
        "directory_permissions_mode": 0o750,
    },
}
# Several app servers share one S3-compatible object store (MinIO, Ceph, a provider's):
# with S3_BUCKET set, the evidence files and the Excel files awaiting confirmation live
# there, under evidence/ and uploads/, private (a file leaves only through the portal).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    S3_OPTIONS = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
        "access_key": env.str("S3_ACCESS_KEY", default=None),
        "secret_key": env.str("S3_SECRET_KEY", default=None),
        "region_name": env.str("S3_REGION", default=None),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": S3_OPTIONS | {"location": "uploads"},
    }
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": S3_OPTIONS | {"location": "evidence"},
    }
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Extensions accepted; one the portal cannot recognise by its content (org.filetypes) is
# ignored.
EVIDENCE_TYPES = env.list(
    "EVIDENCE_TYPES", default=["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "doc", "xls"]
)

# --- Security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
_https = env.bool("HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
# The load balancer's checks and Prometheus' scrapes come over plain HTTP on the internal
# network, straight to the app server: they are answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^health/$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https

# A strict policy: no inline script or style anywhere; every asset is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Metrics ---------------------------------------------------------------------------
# /metrics answers only these addresses (anyone else gets 404), and never a request that
# came through a proxy (README: Health and metrics). Loopback and the private ranges.
try:
    METRICS_ALLOWED_NETWORKS = [
        str(ipaddress.ip_network(network, strict=False))
        for network in env.list(
            "METRICS_ALLOWED_NETWORKS",
            default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
        )
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {error}") from error

# --- Tasks and e-mail: notifications, reminders ---------------------------------------
# "db" (default): the task queue is a table and `manage.py db_worker` runs it — one machine,
# nothing else to install. "rq": Redis Queue on REDIS_URL, `manage.py rqworker
# --job-class django_tasks_rq.Job --with-scheduler` on any node. "immediate": run at once
# in the process that enqueues (tests and one-off scripts).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":  # its worker command and admin pages, only where RQ is used
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {
    "default": {"URL": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")},
}
# smtp://user:password@host:587 (+tls), smtp+ssl://…, consolemail:// (print), dummymail://
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Cổng kế hoạch <no-reply@portal.invalid>"
)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The address people reach the portal at: the links in e-mails start with it.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
# A failed send is tried again after 1, 5, 25… minutes, NOTIFY_MAX_ATTEMPTS times in all.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_CHANNELS = ["org.channels.EmailChannel"]

# --- Logging: everything to stderr, where the process manager collects it --------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

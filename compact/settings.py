"""Settings for Compact Tracker, read from the environment.

Everything a deployment varies is an environment variable (see README, "Configuration"). With no
variables at all the app refuses to start unless DEBUG is on, so a forgotten production setting
fails loudly instead of running with a development secret.
"""

import os
import sys
import tempfile
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest imports itself before settings, so this tells a test run apart from a server.
TESTING = "pytest" in sys.modules or os.environ.get("COMPACT_TESTING") == "1"
DEBUG = env_bool("DEBUG", False)

# `manage.py makemigrations` reads only the models, never signs anything: it runs without a key
# (developers and CI check migrations with no production secrets at hand).
MAKING_MIGRATIONS = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] == ["makemigrations"]

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or MAKING_MIGRATIONS:
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Ours: compact is the ground floor; the others stand on it.
    "compact",
    "plans",
    "partnerships",
    "representatives",
    "disputes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so a lost database connection anywhere below becomes a clear 503 page.
    "compact.platform.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "compact.platform.language.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "compact.platform.middleware.PdfTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the resolved view: refuses any view that has not declared who may use it.
    "compact.platform.access.AccessMiddleware",
]

ROOT_URLCONF = "compact.urls"
WSGI_APPLICATION = "compact.wsgi.application"

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
                "compact.platform.context_processors.navigation",
            ],
            # {% widetable %} wraps every table shown on screen; built in, so no template needs
            # to load it.
            "builtins": ["compact.templatetags.layout"],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # The embedded SQLite database lives under var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Each request is one transaction: a failure half-way writes nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Tests write uploads and generated files to a throw-away folder, never into var/media.
MEDIA_ROOT = Path(
    os.environ.get("MEDIA_ROOT")
    or (tempfile.mkdtemp(prefix="compact-test-media-") if TESTING else VAR_DIR / "media")
)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not (DEBUG or TESTING))
# Media (uploaded papers, generated files): a local folder by default; MEDIA_STORAGE=s3 puts
# them in an S3-compatible bucket through django-storages (AWS_* variables, see deploy/env.example).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads (papers, dispute evidence) are checked per field; this caps any single request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console in development, SMTP from the environment otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Absolute address of the site, for links in e-mails sent by cron (no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Compact Tracker <compact@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The weekday (0 Monday ... 6 Sunday) from which each week's notification digest goes out; the
# daily send_reminders run sends it then (or on a later day that week if that run failed).
NOTIFICATION_DIGEST_WEEKDAY = int(os.environ.get("NOTIFICATION_DIGEST_WEEKDAY", "0"))
# Server errors (500) are e-mailed to ADMINS ("Name <address>, Other <address>"), with the
# traceback; left empty they are only logged.
ADMINS = [parseaddr(entry) for entry in env_list("ADMINS")]


# Caches: app servers keep no local state. Production defaults to the database cache (table
# made by `manage.py createcachetable`, run by `make migrate` and the deploy step); CACHE_URL
# picks another: "db://compact_cache", "locmem://", "dummy://" or "redis://host:6379/0".
# DEBUG and tests use local memory.
def cache_from_url(url: str) -> dict[str, str]:
    scheme, _, rest = url.partition("://")
    backends = {
        "db": "django.core.cache.backends.db.DatabaseCache",
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "rediss": "django.core.cache.backends.redis.RedisCache",
    }
    if scheme not in backends:
        raise ImproperlyConfigured(f"CACHE_URL scheme {scheme!r} is not one of {sorted(backends)}")
    if scheme in {"redis", "rediss"}:
        location = url
    else:
        location = rest.strip("/") or ("compact_cache" if scheme == "db" else "compact")
    return {"BACKEND": backends[scheme], "LOCATION": location}


CACHES = {
    "default": cache_from_url(
        os.environ.get(
            "CACHE_URL", "locmem://compact" if (DEBUG or TESTING) else "db://compact_cache"
        )
    )
}

# Security. Behind a TLS-terminating proxy set BEHIND_PROXY=1 so Django trusts X-Forwarded-Proto.
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
# The load balancer's health probe comes over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not (DEBUG or TESTING))
SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts a working day, not Django's two weeks: offices share machines.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "12")) * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's stylesheet draws its icons from data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Proxies in front of the app (nginx: 1). The client's address is read from that many entries
# from the right of X-Forwarded-For; 0 ignores the header, which any client can send.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Login throttling: lock a username from one address after repeated failures, so one attacker
# behind the council's proxy cannot lock everybody else out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, not the proxy's: see compact.platform.throttle.client_address.
AXES_CLIENT_IP_CALLABLE = "compact.platform.throttle.client_address"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background tasks (board packs, large PDFs, reminder e-mails): in production a queue in the
# database, run by `manage.py db_worker` (deploy/compact-worker.service, `make worker`).
# Development and tests run each task at once, inside the request, so no worker is needed.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if (DEBUG or TESTING)
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
# How long a PDF made in a request may take before the user gets a clear message instead of a
# hung worker; every PDF goes through compact.pdf.html_to_pdf, which enforces it.
PDF_TIMEOUT_SECONDS = float(os.environ.get("PDF_TIMEOUT_SECONDS", "60"))
# The same for PDFs made by the background worker (board packs, large reports, exports).
PDF_BACKGROUND_TIMEOUT_SECONDS = float(os.environ.get("PDF_BACKGROUND_TIMEOUT_SECONDS", "600"))
# PDFs of a public plan that a visitor (not signed in) may have rendered per minute, per address.
PUBLIC_PDF_PER_MINUTE = int(os.environ.get("PUBLIC_PDF_PER_MINUTE", "6"))
# How long reading a Word plan for import may take before it is stopped (plans.importing).
PLAN_IMPORT_MAX_SECONDS = float(os.environ.get("PLAN_IMPORT_MAX_SECONDS", "20"))
# Representative sign-ups (each e-mails a confirmation link): per client address per hour, and
# per e-mail address per day, so nobody can fill a stranger's inbox from many addresses.
REPRESENTATIVES_SIGNUPS_PER_HOUR = int(os.environ.get("REPRESENTATIVES_SIGNUPS_PER_HOUR", "5"))
REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY = int(
    os.environ.get("REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY", "3")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "concise_403": {"()": "compact.platform.log_filters.ConcisePermissionDenied"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print every record a second time
        # through the root's; keep only its error e-mails.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"filters": ["concise_403"]},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

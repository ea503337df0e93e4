"""Settings for Compact Tracker, read from the environment through django-environ.

Everything a deployment varies is an environment variable (see README, "Configuration" and
docs/deployment.md). With no variables at all the app refuses to start unless DEBUG is on, so a
forgotten production setting fails loudly instead of running with a development secret. These
settings never ask whether tests are running: the test suite uses ``compact.settings.test``,
which imports these and sets what tests need on top.
"""

import sys
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


DEBUG = env.bool("DEBUG", default=False)

# `manage.py makemigrations` reads only the models, never signs anything: it runs without a key
# (developers and CI check migrations with no production secrets at hand).
MAKING_MIGRATIONS = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] == ["makemigrations"]

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or MAKING_MIGRATIONS:
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # The read-only API (/api/v1/) and its OpenAPI schema (compact/platform/api.py).
    "rest_framework",
    "drf_spectacular",
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
    # request.user.is_verified(): the session passed the second factor (compact.platform.mfa).
    "django_otp.middleware.OTPMiddleware",
    # The session's last-seen time, at most once a minute (compact/platform/sessions.py).
    "compact.platform.sessions.LastSeenMiddleware",
    "compact.platform.language.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "compact.platform.middleware.PdfTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Signed in but not past the second step: only the code step or enrolment (platform/mfa.py).
    "compact.platform.mfa.SecondFactorMiddleware",
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
                "compact.platform.sso.sign_in_options",
            ],
            # {% widetable %} wraps every table shown on screen; built in, so no template needs
            # to load it.
            "builtins": ["compact.templatetags.layout"],
        },
    },
]

if not env.str("DATABASE_URL", default=""):
    # The embedded SQLite database lives under var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
    # Single sign-on (below): only ever answers the SSO callback's credentials, so listing it
    # while SSO is off changes nothing; after axes, so lockouts apply to SSO too.
    "compact.platform.sso.SsoBackend",
]

# Single sign-on with OpenID Connect (e.g. a council's Microsoft Entra ID). Off unless
# OIDC_ISSUER is set; then OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required. The endpoints
# come from the issuer's /.well-known/openid-configuration (fetched once, then cached). People
# are matched to existing accounts by verified e-mail address only: SSO never creates an
# account or gives a role (compact/platform/sso.py, docs/deployment.md).
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").strip().rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="").strip()
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
# The organisation's name on the sign-in page's button ("Sign in with <this>").
OIDC_BUTTON_LABEL = env.str("OIDC_BUTTON_LABEL", default="").strip()
if OIDC_ISSUER:
    if not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    if not OIDC_ISSUER.startswith("https://") and not DEBUG:
        raise ImproperlyConfigured("OIDC_ISSUER must be an https:// address when DEBUG is off.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
# Media (uploaded papers, generated files): a local folder by default; MEDIA_STORAGE=s3 puts
# them in an S3-compatible bucket through django-storages (AWS_* variables, see deploy/env.example).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local").strip().lower()
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")


def static_storage(manifest: bool) -> dict[str, str]:
    """Hashed, compressed names in production; plain files in development and tests."""
    return {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


STORAGES = {"default": DEFAULT_STORAGE, "staticfiles": static_storage(STATIC_MANIFEST)}

# Uploads (papers, dispute evidence) are checked per field; this caps any single request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console in development, SMTP from the environment otherwise.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# Absolute address of the site, for links in e-mails sent by cron (no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Compact Tracker <compact@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The weekday (0 Monday ... 6 Sunday) from which each week's notification digest goes out; the
# daily send_reminders run sends it then (or on a later day that week if that run failed).
NOTIFICATION_DIGEST_WEEKDAY = env.int("NOTIFICATION_DIGEST_WEEKDAY", default=0)
# Papers are due this many days before a meeting (in presenters' and officers' calendars).
PAPERS_DUE_DAYS = env.int("PAPERS_DUE_DAYS", default=7)
# An open action's owner is e-mailed this many days before its due date (once per due date).
ACTION_REMINDER_DAYS = env.int("ACTION_REMINDER_DAYS", default=7)
# Server errors (500) are e-mailed to ADMINS ("Name <address>, Other <address>"), with the
# traceback; left empty they are only logged.
ADMINS = [parseaddr(entry) for entry in env.list("ADMINS", default=[])]


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
        env.str("CACHE_URL", "locmem://compact" if DEBUG else "db://compact_cache")
    )
}

# Security. Behind a TLS-terminating proxy set BEHIND_PROXY=1 so Django trusts X-Forwarded-Proto.
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health probe comes over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts a working day, not Django's two weeks: offices share machines.
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=12) * 3600
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
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Login throttling: lock a username from one address after repeated failures, so one attacker
# behind the council's proxy cannot lock everybody else out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, not the proxy's: see compact.platform.throttle.client_address.
AXES_CLIENT_IP_CALLABLE = "compact.platform.throttle.client_address"
# A failed attempt's query string is kept: an SSO callback's code and state are never stored.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "state"]
# Whose attempt it is: the form's username, or at the SSO callback the account (or e-mail
# address) the provider vouched for (compact.platform.sso.axes_username).
AXES_USERNAME_CALLABLE = "compact.platform.sso.axes_username"

# Two-step sign-in (compact.platform.mfa): an authenticator app's code after the password.
# Required for Officers, Administrators, superusers and anyone who can see a dispute; optional
# for everyone else. MFA_REQUIRED=0 turns the whole second step off (development only).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
# Single-use recovery codes given at enrolment (and when regenerated).
MFA_RECOVERY_CODES = env.int("MFA_RECOVERY_CODES", default=10)
OTP_TOTP_ISSUER = "Compact Tracker"
# Wrong codes are counted and locked out like passwords (AXES_FAILURE_LIMIT within
# AXES_COOLOFF_TIME, compact.platform.throttle), so django-otp's own growing delay is off.
OTP_TOTP_THROTTLE_FACTOR = 0

# Accounts nobody has used for ACCOUNT_INACTIVE_DAYS (0: never) are disabled by the daily
# `send_reminders` run, ACCOUNT_INACTIVE_NOTICE_DAYS after the person is told by e-mail
# (compact/services/accounts.py). Superusers and the last active Administrator are never.
ACCOUNT_INACTIVE_DAYS = env.int("ACCOUNT_INACTIVE_DAYS", default=365)
ACCOUNT_INACTIVE_NOTICE_DAYS = env.int("ACCOUNT_INACTIVE_NOTICE_DAYS", default=14)
if ACCOUNT_INACTIVE_DAYS < 0 or ACCOUNT_INACTIVE_NOTICE_DAYS < 1:
    raise ImproperlyConfigured(
        "ACCOUNT_INACTIVE_DAYS must be 0 (never) or more, ACCOUNT_INACTIVE_NOTICE_DAYS 1 or more."
    )

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background tasks (board packs, large PDFs, reminder e-mails): in production a queue in the
# database, run by `manage.py db_worker` (deploy/compact-worker.service, `make worker`).
# Development and tests run each task at once, inside the request, so no worker is needed.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
# How long a PDF made in a request may take before the user gets a clear message instead of a
# hung worker; every PDF goes through compact.pdf.html_to_pdf, which enforces it.
PDF_TIMEOUT_SECONDS = env.float("PDF_TIMEOUT_SECONDS", default=60)
# The same for PDFs made by the background worker (board packs, large reports, exports).
PDF_BACKGROUND_TIMEOUT_SECONDS = env.float("PDF_BACKGROUND_TIMEOUT_SECONDS", default=600)
# Large PDFs rendered in sections keep each section under a key of its exact HTML, so the next
# one re-renders only what changed (compact.platform.pdf.sections). A folder on this machine
# ("" turns keeping off); evicted past the size (MB) or age (days) limit, least recently used first.
PDF_SECTION_CACHE_DIR = env.str("PDF_SECTION_CACHE_DIR", default=str(VAR_DIR / "pdf-sections"))
PDF_SECTION_CACHE_MAX_MB = env.float("PDF_SECTION_CACHE_MAX_MB", default=500)
PDF_SECTION_CACHE_MAX_AGE_DAYS = env.float("PDF_SECTION_CACHE_MAX_AGE_DAYS", default=30)
# Served workers load WeasyPrint and its fonts at start (compact/wsgi.py: ~0.5 s and ~30 MB
# each) rather than on the first PDF a reader asks for.
PDF_WARM_UP_AT_START = env.bool("PDF_WARM_UP_AT_START", default=True)
# PDFs of a public plan that a visitor (not signed in) may have rendered per minute, per address.
PUBLIC_PDF_PER_MINUTE = env.int("PUBLIC_PDF_PER_MINUTE", default=6)
# How long reading a Word plan for import may take before it is stopped (plans.importing).
PLAN_IMPORT_MAX_SECONDS = env.float("PLAN_IMPORT_MAX_SECONDS", default=20)
# Representative sign-ups (each e-mails a confirmation link): per client address per hour, and
# per e-mail address per day, so nobody can fill a stranger's inbox from many addresses.
REPRESENTATIVES_SIGNUPS_PER_HOUR = env.int("REPRESENTATIVES_SIGNUPS_PER_HOUR", default=5)
REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY = int(
    env.str("REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY", default="3")
)

# The read-only API (/api/v1/, compact/platform/api.py; docs/api.md). Requests per minute per
# client address without a token, per person with one; a page holds API_PAGE_SIZE items
# (?page_size= up to API_MAX_PAGE_SIZE); a person keeps at most API_TOKENS_PER_PERSON tokens.
API_ANONYMOUS_PER_MINUTE = env.int("API_ANONYMOUS_PER_MINUTE", default=60)
API_TOKEN_PER_MINUTE = env.int("API_TOKEN_PER_MINUTE", default=300)
# Wrong, expired or revoked tokens per minute per address: each is recorded in the account
# audit log up to this many; past it the client gets 429 and nothing more is written.
API_REFUSALS_PER_MINUTE = env.int("API_REFUSALS_PER_MINUTE", default=10)
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=200)
API_TOKENS_PER_PERSON = env.int("API_TOKENS_PER_PERSON", default=10)
# The API's own authentication, throttling and pagination are set on its base view
# (compact.platform.api.ApiView); nothing else in the project accepts API requests.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compact Tracker API",
    "DESCRIPTION": (
        "Read-only: public plans, their issued updates and changes, open data, meetings, "
        "the partnerships register. A personal token (Authorization: Bearer ...) shows what "
        "its holder may read on the web pages. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
}

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
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
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

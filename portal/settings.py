"""Settings for Stödportalen, read from environment variables with safe defaults.

DEBUG is off unless DJANGO_DEBUG=1; SQLite (var/db.sqlite3) is used when DATABASE_URL is unset.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.release import fingerprint

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Local demo accounts (make run) are only ever created when this is on; production never sets it.
DEMO_ACCOUNTS = DEBUG and env_bool("STODPORTALEN_DEMO", default=True)

INSTALLED_APPS = [
    "portal.apps.StaffAdminConfig",  # django.contrib.admin behind the staff sign-in (2FA)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text and trigram search lookups (used only on PostgreSQL)
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "portal",
    "providers",
    "pathways",
    "intake",
    "frontdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.MunicipalityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After sign-in and the municipality are known; a hit skips everything below it.
    "portal.page_cache.PublicPageCacheMiddleware",
    "portal.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into the "try again later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "portal.context_processors.site",
                "portal.context_processors.municipality",
                "portal.context_processors.language_switch",
                "portal.context_processors.staff",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets several gunicorn workers read while one writes, and
# IMMEDIATE transactions take the write lock up front so concurrent writers wait (busy timeout)
# instead of failing with "database is locked" halfway through a transaction.

SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")

if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
        }
    }

# PostgreSQL: a resident never waits long for a database that is down or hangs. libpq gives up
# connecting after DJANGO_DB_CONNECT_TIMEOUT seconds, and an open connection to a server that
# stops answering as fast (tcp_user_timeout); the server cancels any statement after
# DJANGO_DB_STATEMENT_TIMEOUT seconds (0: no limit, e.g. for a long `migrate`). The request then
# gets the 503 outage page (portal.outage).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _connect_seconds = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3"))
    _options.setdefault("connect_timeout", _connect_seconds)
    _options.setdefault("tcp_user_timeout", _connect_seconds * 1000)
    _statement_ms = int(float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "5")) * 1000)
    # The portal's queries are short and many: a parallel plan or a JIT compilation costs more
    # than it saves (measured at 60,000 offerings: the guide's ranking 32 ms parallel, 11 ms
    # not; JIT added up to 0.9 s to one aggregate). Off for the app's own connections only.
    _options["options"] = " ".join(
        filter(
            None,
            [
                _options.get("options"),
                f"-c statement_timeout={_statement_ms}",
                "-c max_parallel_workers_per_gather=0",
                "-c jit=off",
            ],
        )
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    )

# --- Authentication and staff sessions ---------------------------------------------------------
# Staff sign in at /personal/logga-in/ (also for /admin/). django-axes checks for a lockout before
# any password is hashed (its backend comes first), counts failures per account and per client
# address, and locks for AXES_COOLOFF_TIME. Every staff account also needs a second factor (TOTP)
# unless this is the local demo (DEBUG): production never skips it.

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

STAFF_REQUIRE_2FA = not DEBUG
OTP_TOTP_ISSUER = "Stödportalen"

AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.5  # hours: a locked account or client may try again after 30 minutes
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted and locked on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket's address).
# With one TLS proxy (nginx `proxy_add_x_forwarded_for`), set 1: the right-most address is the
# one that proxy saw; anything further left was written by the client and is never trusted.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# A staff session ends after 30 minutes without a request (the expiry moves on with each
# request), when the browser closes, and at the latest 12 hours after signing in
# (StaffSessionMiddleware). Public pages keep no session at all.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
STAFF_SESSION_MAX_SECONDS = 12 * 60 * 60

# --- Cache --------------------------------------------------------------------------------------
# Shared by every app server: Redis in production (REDIS_URL). Without it, a file cache in var/
# that the local gunicorn workers share. Never a per-process cache: an editor's change must be
# seen by every server at once (providers.services bumps the catalogue version on each write).

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "stod"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": BASE_DIR / os.environ.get("DJANGO_CACHE_DIR", "var/cache"),
            "TIMEOUT": 3600,
        }
    }

# --- Language and time ------------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------------------------
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto. Off in DEBUG so local http works.

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG and env_bool("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

# A strict policy: no inline script or style anywhere, everything from our own origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

# --- Logging ----------------------------------------------------------------------------------
# Request logs never include query strings or bodies: those may carry personal data. A request
# that fails because the database is down is one line, not a traceback (portal.outage).

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"outage_on_one_line": {"()": "portal.outage.OutageOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["outage_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- The portal -------------------------------------------------------------------------------

# Listings not reviewed for this many days show up in the editors' "needs review" view.
REVIEW_INTERVAL_DAYS = 180
# Call-log notes are blanked this many days after the call (purge_call_notes, run by cron).
CALL_NOTE_RETENTION_DAYS = int(os.environ.get("CALL_NOTE_RETENTION_DAYS", "90"))
CATALOGUE_PAGE_SIZE = 20

# Whole public pages in the shared cache (portal.page_cache): at most this long, less when
# something shown opens or closes sooner; 0 (or DJANGO_PAGE_CACHE=0) turns it off.
PAGE_CACHE_SECONDS = (
    int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
    if env_bool("DJANGO_PAGE_CACHE", default=True)
    else 0
)

# This code's release (portal.release): in every shared cache key, so during a rolling deploy
# no server serves a page or value cached by the other release.
RELEASE = os.environ.get("DJANGO_RELEASE", "").strip() or fingerprint(BASE_DIR)

# Several municipalities (issue 9). Public pages without `kommun=` are about this one.
DEFAULT_MUNICIPALITY = os.environ.get("DJANGO_DEFAULT_MUNICIPALITY", "linkoping")
# Host names pinned to one municipality each, e.g. "stod.kinda.se=kinda,stod.boxholm.se=boxholm":
# on such a host every public page is about that municipality and links carry no `kommun=`.
# Each host must also be in DJANGO_ALLOWED_HOSTS.
MUNICIPALITY_HOSTS = {
    host.lower(): slug
    for host, _sep, slug in (
        item.partition("=") for item in env_list("DJANGO_MUNICIPALITY_HOSTS") if "=" in item
    )
}

# --- Intake (issue 8): what residents submit ------------------------------------------------
# Personal data in submissions is encrypted at rest with Fernet keys (urlsafe base64, 32 bytes:
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).
# DJANGO_INTAKE_KEYS lists them comma-separated, the current key first; older keys still decrypt
# until `manage.py rotate_intake_keys` has re-encrypted everything with the first. A separate
# DJANGO_INTAKE_HASH_KEY keys the hashes used for exact lookups (the same child's earlier
# reports). Without them (local mode only) both are derived from SECRET_KEY; `check --deploy`
# refuses that in production.
INTAKE_ENCRYPTION_KEYS = [
    key.strip() for key in os.environ.get("DJANGO_INTAKE_KEYS", "").split(",") if key.strip()
]
INTAKE_HASH_KEY = os.environ.get("DJANGO_INTAKE_HASH_KEY", "")
# Days a submission is kept in the portal once it is finished (closed, declined, decided and
# carried out): by then it is in the case system or no longer needed. Open ones are kept until
# INTAKE_RETENTION_OPEN_DAYS, then purged too. `purge_expired` (cron) applies both.
INTAKE_RETENTION_DAYS = {
    "kontakt": int(os.environ.get("INTAKE_RETENTION_CONTACT_DAYS", "30")),
    "ansokan": int(os.environ.get("INTAKE_RETENTION_APPLICATION_DAYS", "90")),
    "orosanmalan": int(os.environ.get("INTAKE_RETENTION_REPORT_DAYS", "90")),
}
INTAKE_RETENTION_OPEN_DAYS = int(os.environ.get("INTAKE_RETENTION_OPEN_DAYS", "365"))
# The record of who looked at which submission is kept this long (it holds no personal data of
# residents, only references and staff user names).
INTAKE_ACCESS_LOG_DAYS = int(os.environ.get("INTAKE_ACCESS_LOG_DAYS", "730"))
# Public forms: at most this many submissions per client address and form in the window.
INTAKE_RATE_LIMIT = int(os.environ.get("INTAKE_RATE_LIMIT", "10"))
INTAKE_RATE_WINDOW_SECONDS = int(os.environ.get("INTAKE_RATE_WINDOW_SECONDS", "600"))
# Skatteverket's test personnummer are refused outside local mode; a file with one number per
# line (Skatteverket's open dataset "Testpersonnummer") adds to the few built in.
INTAKE_REFUSE_TEST_NUMBERS = not DEBUG
INTAKE_TEST_NUMBERS_FILE = os.environ.get("INTAKE_TEST_NUMBERS_FILE", "")
# Who is told that something new is waiting (no personal data in the message). Comma-separated
# addresses; contact requests also go to the e-mail of each staff account linked to the provider.
INTAKE_NOTIFY = {
    "ansokan": [a for a in os.environ.get("INTAKE_NOTIFY_APPLICATIONS", "").split(",") if a],
    "orosanmalan": [a for a in os.environ.get("INTAKE_NOTIFY_REPORTS", "").split(",") if a],
}
# The identity step of an application: typed personnummer today; an e-legitimation later.
INTAKE_IDENTITY_STEP = "intake.identity.TypedPersonnummer"
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
# The portal's address as staff reach it, for links in notifications.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "stodportalen@linkoping.se")
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

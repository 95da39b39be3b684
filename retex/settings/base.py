"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from retex.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("RETEX_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "retex.core",
    "retex.audit",
    "retex.accounts",
    "retex.territories",
    "retex.consultations",
    "retex.contributions",
    "retex.moderation",
    "retex.explore",
    "retex.pages",
    "retex.backoffice",
    "retex.demo",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "retex.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer (CommonMiddleware…): CORS headers, for /api/ only.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "retex.accounts.middleware.StaffSessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "retex.urls"
# A form posted after its session expired is shown again, filled in, instead of a bare 403.
CSRF_FAILURE_VIEW = "retex.core.views.csrf_failure"
WSGI_APPLICATION = "retex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "retex.core.context_processors.site",
            ],
        },
    },
]


def database_from_env() -> dict:
    """DATABASE_URL, or an embedded SQLite file under var/ (WAL, so readers never wait)."""
    default_sqlite = f"sqlite:///{VAR_DIR / 'retex.sqlite3'}"
    config = dj_database_url.parse(env_str("DATABASE_URL", default_sqlite), conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "retex" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Retex <ne-pas-repondre@retex.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "moderation:home"
# Staff sessions end after RETEX_STAFF_IDLE_MINUTES without activity and, in any case,
# RETEX_STAFF_SESSION_HOURS after signing in (retex.accounts.middleware).
RETEX_STAFF_IDLE_MINUTES = env_int("RETEX_STAFF_IDLE_MINUTES", 60)
RETEX_STAFF_SESSION_HOURS = env_int("RETEX_STAFF_SESSION_HOURS", 8)
SESSION_COOKIE_AGE = RETEX_STAFF_SESSION_HOURS * 60 * 60
# Sign-in throttling: this many failures for one account name, or from one address, within
# RETEX_LOGIN_LOCK_MINUTES pause sign-in for it for RETEX_LOGIN_LOCK_MINUTES.
RETEX_LOGIN_FAILURES_PER_ACCOUNT = env_int("RETEX_LOGIN_FAILURES_PER_ACCOUNT", 5)
RETEX_LOGIN_FAILURES_PER_IP = env_int("RETEX_LOGIN_FAILURES_PER_IP", 20)
RETEX_LOGIN_LOCK_MINUTES = env_int("RETEX_LOGIN_LOCK_MINUTES", 15)
# Links e-mailed to choose a password (new team members, forgotten passwords): 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Background tasks (e-mails): stored in the database, run by `retex db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Rate limits and other counters. Several server processes must share them: use Redis.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Testimony form: anti-abuse limits (no CAPTCHA). Counted per IP address and per e-mail.
RETEX_SUBMISSIONS_PER_IP_PER_HOUR = env_int("RETEX_SUBMISSIONS_PER_IP_PER_HOUR", 30)
RETEX_SUBMISSIONS_PER_EMAIL_PER_DAY = env_int("RETEX_SUBMISSIONS_PER_EMAIL_PER_DAY", 10)
# How long the links e-mailed to authors stay valid.
RETEX_CONFIRMATION_LINK_DAYS = env_int("RETEX_CONFIRMATION_LINK_DAYS", 7)
RETEX_EDIT_LINK_DAYS = env_int("RETEX_EDIT_LINK_DAYS", 365)
# The local outbox page (/boite-mail/) shows e-mails kept by the outbox backend.
RETEX_OUTBOX_PAGE = env_bool("RETEX_OUTBOX_PAGE", False)
# Public address of the site, for links in e-mails.
RETEX_BASE_URL = env_str("RETEX_BASE_URL", "http://127.0.0.1:8000")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # text fields; files are checked one by one
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The name shown in the header; a network of cities running its own instance sets its own.
RETEX_SITE_NAME = env_str("RETEX_SITE_NAME", "Retex")
# The name authenticator apps show beside the second-factor codes.
OTP_TOTP_ISSUER = RETEX_SITE_NAME

# Open data and the read-only API (retex.api). No authentication: every answer is public data,
# the same for everyone. Requests per client address, counted in the cache (Redis in
# production): "120/minute", "5000/hour"…
RETEX_API_RATE = env_str("RETEX_API_RATE", "120/minute")
RETEX_EXPORTS_PER_IP_PER_HOUR = env_int("RETEX_EXPORTS_PER_IP_PER_HOUR", 60)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["retex.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Retex",
    "DESCRIPTION": _(
        "Read-only access to the published testimonies of Retex's calls for testimonies, their"
        " themes and the territories reference. Data under the Licence Ouverte 2.0 (Etalab)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {
        "name": "Licence Ouverte / Open Licence 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "TerritoryKindEnum": "retex.territories.enums.TerritoryKind",
        "PopulationBandEnum": "retex.territories.enums.PopulationBand",
    },
}
# CORS: any site may read the API from a browser; nothing else is allowed, and no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["Retry-After"]  # so that a web page can wait as a 429 asks

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

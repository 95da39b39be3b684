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
    "retex.core",
    "retex.audit",
    "retex.accounts",
    "retex.territories",
    "retex.consultations",
    "retex.contributions",
    "retex.moderation",
    "retex.explore",
    "retex.backoffice",
    "retex.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

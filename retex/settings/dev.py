"""Development and demo: debug on, a secret key generated once and kept under var/."""

import secrets

from retex.settings.base import *  # noqa: F403
from retex.settings.base import VAR_DIR
from retex.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()

# E-mails are kept and shown on the local outbox page instead of being sent.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "retex.core.email.OutboxBackend")
RETEX_OUTBOX_PAGE = env_bool("RETEX_OUTBOX_PAGE", True)

# runserver serves static files itself in debug; the manifest would need collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

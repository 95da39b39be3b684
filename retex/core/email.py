"""E-mails: written in French, queued after the transaction commits, retried on failure.

The queue is Django's tasks API (django-tasks backport) with the database backend: a failed
send never loses anything, the task is enqueued again later with a growing delay.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def _retry_delay(attempt: int) -> timedelta:
    return timedelta(minutes=2 ** (attempt - 1))  # 1, 2, 4 … 64 minutes


@task()
def send_email(*, to: list[str], subject: str, body: str, attempt: int = 1) -> None:
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    try:
        message.send()
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("E-mail %r to %s given up after %d attempts", subject, to, attempt)
            raise
        logger.warning("E-mail %r to %s failed (attempt %d); will retry", subject, to, attempt)
        send_email.using(run_after=timezone.now() + _retry_delay(attempt)).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )


def email_send_after_commit(*, to: str, subject: str, body: str) -> None:
    """Queue an e-mail that leaves only once the current transaction has committed (never for
    a rolled-back change)."""
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        # The queue is a table of the same database: queued in the same transaction, the
        # e-mail exists exactly when the change does (and one commit is saved).
        send_email.enqueue(to=[to], subject=subject, body=body)
        return
    transaction.on_commit(
        lambda: send_email.enqueue(to=[to], subject=subject, body=body), robust=True
    )


def absolute_url(path: str) -> str:
    """A site path as a full address, for links in e-mails."""
    return settings.RETEX_BASE_URL.rstrip("/") + path


def email_author_after_commit(*, testimony, template: str, subject: str, **context) -> None:
    """Render a plain-text e-mail template about a testimony and queue it for its author."""
    body = render_to_string(
        template, {"testimony": testimony, "consultation": testimony.consultation, **context}
    )
    email_send_after_commit(to=testimony.author_email, subject=subject, body=body)


class OutboxBackend(BaseEmailBackend):
    """Keeps e-mails in the database, readable on the local outbox page (demo, development)."""

    def send_messages(self, email_messages) -> int:
        from retex.core.models import OutboxMessage

        OutboxMessage.objects.bulk_create(
            OutboxMessage(to=", ".join(message.to), subject=message.subject, body=message.body)
            for message in email_messages
        )
        return len(email_messages)

"""E-mails leave after the commit and are retried when the mail server fails."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings
from django_tasks import task_backends

from retex.core.email import MAX_ATTEMPTS, email_send_after_commit, send_email
from retex.core.models import OutboxMessage


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.mark.django_db(transaction=True)
def test_an_email_leaves_only_if_the_transaction_commits():
    with transaction.atomic():
        email_send_after_commit(to="a@example.org", subject="Kept", body="…")
    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_after_commit(to="b@example.org", subject="Rolled back", body="…")
        raise RuntimeError

    assert [message.subject for message in mail.outbox] == ["Kept"]


@override_settings(
    EMAIL_BACKEND="tests.core.test_email.BrokenMailServer",
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
def test_a_failed_send_is_queued_again_later():
    backend = task_backends["default"]
    backend.clear()

    send_email.call(to=["a@example.org"], subject="Confirmez", body="Lien", attempt=1)

    [retry] = backend.results
    assert retry.kwargs == {
        "to": ["a@example.org"],
        "subject": "Confirmez",
        "body": "Lien",
        "attempt": 2,
    }
    assert retry.task.run_after is not None


@override_settings(
    EMAIL_BACKEND="tests.core.test_email.BrokenMailServer",
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
def test_sending_stops_after_the_last_attempt():
    backend = task_backends["default"]
    backend.clear()

    with pytest.raises(ConnectionRefusedError):
        send_email.call(to=["a@example.org"], subject="S", body="B", attempt=MAX_ATTEMPTS)
    assert backend.results == []


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="retex.core.email.OutboxBackend")
def test_the_outbox_backend_keeps_emails_for_the_local_outbox_page():
    send_email.call(to=["agent@example.org"], subject="Votre lien", body="https://…")

    kept = OutboxMessage.objects.get()
    assert (kept.to, kept.subject) == ("agent@example.org", "Votre lien")


@pytest.mark.django_db
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_with_the_database_queue_an_email_is_queued_with_the_change_itself():
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_after_commit(to="b@example.org", subject="Rolled back", body="…")
        raise RuntimeError
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        email_send_after_commit(to="a@example.org", subject="Kept", body="…")
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["kwargs"]["subject"] == "Kept"

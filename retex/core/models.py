from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail kept instead of sent, in the demo and in development, so that the whole journey
    (confirmation link, edit link) works without an SMTP server."""

    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("e-mail (local outbox)")
        verbose_name_plural = _("e-mails (local outbox)")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

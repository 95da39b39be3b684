"""Site information pages whose text the organisers write (legal notice, personal data)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The pages the site links to from its footer; created with default text by a migration.
LEGAL_NOTICE_SLUG = "mentions-legales"

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000


class SitePage(models.Model):
    """A page of the site's own information, written in Markdown by the organisers."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(
        _("text"),
        max_length=BODY_MAX_LENGTH,
        help_text=_("Markdown: **bold**, lists, links, ## headings."),
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

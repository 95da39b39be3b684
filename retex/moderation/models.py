from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retex.contributions.models import Testimony


class DecisionKind(models.TextChoices):
    PUBLISH = "publish", _("published")
    REJECT = "reject", _("rejected")
    REQUEST_CHANGES = "request_changes", _("changes requested")
    UNPUBLISH = "unpublish", _("unpublished")
    MARK_DUPLICATE = "mark_duplicate", _("marked as a duplicate")
    ACCEPT_EDIT = "accept_edit", _("edit accepted")


class ModerationDecision(models.Model):
    """What a moderator decided about a testimony, and why. Never shown to the public."""

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="moderation_decisions"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    # For a refusal or a request for changes: the message sent to the author.
    reason = models.TextField(_("reason"), blank=True)
    duplicate_of = models.ForeignKey(
        Testimony,
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    # What exactly was decided: for a publication, the version approved, the fields kept
    # private and whether the collectivity is named (see services.testimony_publish).
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.testimony_id} {self.kind}"


class DuplicateScan(models.Model):
    """When a testimony awaiting a decision was last compared with the other testimonies of
    its collectivity (see `duplicates`). Derived data: deleting it only costs a new scan."""

    testimony = models.OneToOneField(
        Testimony, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The testimony's updated_at when scanned: any later save makes the scan stale.
    testimony_updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.testimony_id} scanned"


class PossibleDuplicate(models.Model):
    """Two testimonies of the same consultation and collectivity whose texts are alike; one
    row per direction, so that each side finds the other with one index lookup."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "other"], name="possible_duplicate_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id} ~ {self.other_id} ({self.similarity:.2f})"

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retex.consultations.models import Consultation, Subtopic, Theme
from retex.contributions.enums import AttachmentKind, AuthorRole, RevisionKind, TestimonyStatus
from retex.territories.models import Territory


def new_link_key() -> str:
    return secrets.token_urlsafe(12)


class Tool(models.Model):
    """A digital tool or service named in testimonies (free tags, shared across them)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TestimonyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TestimonyStatus.PUBLISHED)


class Testimony(models.Model):
    """What a collectivity did during the crisis, what went wrong, and what it learnt."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="testimonies"
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("collectivity"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("state"),
        max_length=24,
        choices=TestimonyStatus.choices,
        default=TestimonyStatus.PENDING_VERIFICATION,
    )

    title = models.CharField(_("title"), max_length=200)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="+")
    subtopics = models.ManyToManyField(
        Subtopic, verbose_name=_("sub-topics"), related_name="+", blank=True
    )
    initiative = models.TextField(_("the initiative"), max_length=6000)
    difficulties = models.TextField(_("difficulties met"), max_length=6000, blank=True)
    lessons = models.TextField(_("lessons and advice"), max_length=6000, blank=True)
    tools = models.ManyToManyField(Tool, verbose_name=_("tools and services"), blank=True)
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    cost_and_team = models.CharField(_("cost or team size"), max_length=300, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)

    # Private: only moderators and organisers ever see these (never public, exported or API).
    author_name = models.CharField(_("author's name"), max_length=150)
    author_role = models.CharField(_("author's role"), max_length=16, choices=AuthorRole.choices)
    author_email = models.EmailField(_("author's e-mail"))

    # Set from the audience rule at submission; flagged testimonies are kept, not refused.
    in_audience = models.BooleanField(_("in the target audience"), default=True)
    anonymous = models.BooleanField(_("publish without naming the collectivity"), default=False)
    # WithholdableField values the moderator kept off the public outputs.
    withheld_fields = models.JSONField(_("fields kept private"), default=list, blank=True)
    publication_consent_at = models.DateTimeField(_("publication consent given on"), null=True)

    # Part of every signed link sent to the author: changing it revokes all of them.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)
    # An edit of a published testimony waits here for moderation; the published text stays.
    pending_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["consultation", "status", "-published_at"], name="testimony_listing"
            ),
            models.Index(fields=["status", "submitted_at"], name="testimony_queue"),
            # The dashboard's counts (by day, state and collectivity) read only these columns:
            # they come from this small index, never from the rows and their long texts (the
            # id too: PostgreSQL's indexes hold no primary key of their own, SQLite's do).
            models.Index(
                fields=["consultation", "submitted_at", "status", "territory", "id"],
                name="testimony_statistics",
            ),
            # The map counts published testimonies per collectivity from this index alone.
            models.Index(
                fields=["consultation", "status", "territory", "anonymous", "id"],
                name="testimony_map",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def shows_publicly(self, field: str) -> bool:
        """Whether a withholdable field of this testimony may appear on public outputs."""
        return field not in self.withheld_fields


class Revision(models.Model):
    """A recorded state of a testimony's content: who made it, when. Never modified."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=RevisionKind.choices)
    content = models.JSONField(_("content"))
    # Who made it: the name typed by whoever holds the edit link, or a moderator's account.
    editor_name = models.CharField(_("edited by"), max_length=150, blank=True)
    editor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "number"], name="revision_unique_number_per_testimony"
            )
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id} v{self.number}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # Random names: an uploaded file's name may hold personal data and is never trusted.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{attachment.upload_batch[:2]}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file joined to a testimony: an image (re-encoded, metadata removed) or a PDF.

    Files are uploaded before the testimony exists (a form may fail validation and be sent
    again), so they first belong to an upload batch, then to the testimony.
    """

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    upload_batch = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=attachment_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Added by an edit of a published testimony: shown once a moderator accepts the edit.
    awaiting_moderation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

from django.db import models
from django.utils.translation import gettext_lazy as _


class TestimonyStatus(models.TextChoices):
    PENDING_VERIFICATION = "pending_verification", _("e-mail address to confirm")
    EXPIRED = "expired", _("expired before confirmation")
    SUBMITTED = "submitted", _("awaiting moderation")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")
    UNPUBLISHED = "unpublished", _("unpublished")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class AuthorRole(models.TextChoices):
    ELECTED_OFFICIAL = "elected", _("elected official")
    AGENT = "agent", _("agent of the collectivity")
    OTHER = "other", _("other")


_S = TestimonyStatus

# The testimony's life (docs/DOMAIN): every allowed move, and nothing else.
ALLOWED_TRANSITIONS: dict[TestimonyStatus, frozenset[TestimonyStatus]] = {
    _S.PENDING_VERIFICATION: frozenset({_S.SUBMITTED, _S.EXPIRED, _S.WITHDRAWN}),
    _S.EXPIRED: frozenset(),
    _S.SUBMITTED: frozenset(
        {_S.PUBLISHED, _S.CHANGES_REQUESTED, _S.REJECTED, _S.DUPLICATE, _S.WITHDRAWN}
    ),
    _S.CHANGES_REQUESTED: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.PUBLISHED: frozenset({_S.UNPUBLISHED}),
    _S.REJECTED: frozenset({_S.WITHDRAWN}),
    _S.DUPLICATE: frozenset({_S.WITHDRAWN}),
    _S.UNPUBLISHED: frozenset({_S.PUBLISHED, _S.WITHDRAWN}),
    _S.WITHDRAWN: frozenset(),
}


def transition_allowed(current: TestimonyStatus | str, target: TestimonyStatus | str) -> bool:
    """The one place that says whether a testimony may go from one state to another."""
    return TestimonyStatus(target) in ALLOWED_TRANSITIONS[TestimonyStatus(current)]


class RevisionKind(models.TextChoices):
    SUBMISSION = "submission", _("submitted by the author")
    AUTHOR_EDIT = "author_edit", _("edited through the author's link")
    MODERATOR_EDIT = "moderator_edit", _("edited by a moderator")
    IMPORT = "import", _("imported by the organisers")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("image")
    PDF = "pdf", _("PDF document")


class LinkPurpose(models.TextChoices):
    """What a signed link e-mailed to an author allows."""

    CONFIRM = "confirm", _("confirm the e-mail address")
    EDIT = "edit", _("edit or withdraw the testimony")


class WithholdableField(models.TextChoices):
    """Fields a moderator may keep off the public pages, exports and API of a published
    testimony (the title, the initiative and the collectivity always go public; to hide the
    collectivity's name, the testimony is published anonymised)."""

    DIFFICULTIES = "difficulties", _("difficulties met")
    LESSONS = "lessons", _("lessons and advice")
    TOOLS = "tools", _("tools and services")
    PARTNERS = "partners", _("partners")
    COST_AND_TEAM = "cost_and_team", _("cost or team size")
    DATES = "dates", _("dates")
    LINKS = "links", _("links")
    ATTACHMENTS = "attachments", _("attachments")

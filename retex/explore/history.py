"""The public history of a testimony's page: when it was published, when its published content
changed, and when its consultation's deadline moved. Dates only: never who made a change, what
it was, nor any moderation note."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from retex.audit.models import AuditEvent
from retex.consultations.models import DeadlineExtension
from retex.contributions.enums import RevisionKind
from retex.contributions.models import Revision, Testimony


@dataclass(frozen=True)
class TestimonyHistory:
    first_published_at: datetime | None
    # Days on which the published content changed after the first publication: an author's
    # edit accepted by a moderator, or a moderator's correction. One entry per day.
    content_updated_on: tuple[date, ...]
    deadline_extensions: tuple[DeadlineExtension, ...]


def _changes_after(testimony: Testimony, published_at: datetime) -> QuerySet:
    # Read from the audit log, which moderation writes, so that explore needs nothing of
    # moderation (which indexes through explore's search).
    accepted_edits = (
        AuditEvent.objects.filter(
            action="testimony.accept_edit",
            target_type=testimony._meta.label_lower,
            target_id=str(testimony.pk),
            created_at__gt=published_at,
        )
        .order_by()
        .values_list("created_at")
    )
    corrections = (
        Revision.objects.filter(
            testimony=testimony, kind=RevisionKind.MODERATOR_EDIT, created_at__gt=published_at
        )
        .order_by()
        .values_list("created_at")
    )
    return accepted_edits.union(corrections, all=True)


def testimony_history(*, testimony: Testimony) -> TestimonyHistory:
    """The history of a published testimony (its consultation's deadline extensions are read
    from `testimony.consultation.deadline_extensions` when prefetched)."""
    published_at = testimony.published_at
    updated_on: tuple[date, ...] = ()
    if published_at is not None:
        days = {timezone.localdate(moment) for (moment,) in _changes_after(testimony, published_at)}
        updated_on = tuple(sorted(days))
    extensions = sorted(
        testimony.consultation.deadline_extensions.all(),
        key=lambda extension: (extension.created_at, extension.pk),
    )
    return TestimonyHistory(
        first_published_at=published_at,
        content_updated_on=updated_on,
        deadline_extensions=tuple(extensions),
    )

"""Moderators' decisions on testimonies.

Every function is one atomic operation: it checks the moderator's rights and the testimony's
life (`transition_allowed`), records a decision and an audit event, keeps the search index in
step, and queues the author's e-mail for after the commit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retex.audit.services import audit_record
from retex.consultations.models import Consultation, Subtopic, Theme
from retex.contributions.attachments import attachment_discard
from retex.contributions.enums import (
    LinkPurpose,
    RevisionKind,
    TestimonyStatus,
    WithholdableField,
)
from retex.contributions.enums import transition_allowed as status_transition_allowed
from retex.contributions.models import Revision, Testimony
from retex.contributions.services import (
    TestimonyContent,
    content_apply,
    content_clean,
    content_relations_save,
    revision_add,
    testimony_link_url,
)
from retex.core.email import absolute_url, email_author_after_commit
from retex.explore.search import search_index_update
from retex.moderation import duplicates
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.moderation.rules import can_moderate

# --- Helpers -----------------------------------------------------------------------------------


def _locked(testimony: Testimony, moderator) -> Testimony:
    """The testimony, locked for the transaction, once the moderator's rights are checked."""
    # of=self: lock the testimony only, not its consultation (moderators work side by side).
    testimony = (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=testimony.pk)
    )
    if not can_moderate(moderator, testimony.consultation):
        raise PermissionDenied(_("You do not moderate this consultation."))
    return testimony


def _check_transition(testimony: Testimony, target: TestimonyStatus, refusal: str) -> None:
    """Refuse a move the testimony's life does not allow, saying why and in which state it is."""
    if not status_transition_allowed(testimony.status, target):
        raise ValidationError(
            _("%(refusal)s This one is “%(state)s”.")
            % {"refusal": refusal, "state": testimony.get_status_display()}
        )


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Write the message for the author.")]})
    return reason


def _decide(
    testimony: Testimony,
    moderator,
    kind: DecisionKind,
    *,
    reason: str = "",
    duplicate_of: Testimony | None = None,
    details: dict | None = None,
) -> ModerationDecision:
    decision = ModerationDecision.objects.create(
        testimony=testimony,
        kind=kind,
        reason=reason,
        duplicate_of=duplicate_of,
        moderator=moderator,
        details=details or {},
    )
    audit_record(
        action=f"testimony.{kind}",
        target=testimony,
        actor_user=moderator,
        consultation_id=testimony.consultation_id,
        details={"status": testimony.status, **(details or {})},
    )
    return decision


def _move(testimony: Testimony, target: TestimonyStatus, *extra_fields: str) -> None:
    testimony.status = target
    testimony.save(update_fields=["status", "updated_at", *extra_fields])


def _email(testimony: Testimony, template: str, subject: str, **context) -> None:
    email_author_after_commit(
        testimony=testimony,
        template=f"moderation/emails/{template}.txt",
        subject=subject,
        **context,
    )


def public_url(testimony: Testimony) -> str:
    path = reverse("explore:testimony", kwargs={"pk": testimony.pk})
    return absolute_url(path)


def _content_from_revision(testimony: Testimony, revision: Revision) -> TestimonyContent:
    """The content recorded in a revision, with its themes and sub-topics loaded again (those
    deleted since are left out; `content_clean` then checks what remains)."""
    data = revision.content
    themes = list(
        Theme.objects.filter(consultation_id=testimony.consultation_id, pk__in=data["themes"])
    )
    subtopics = list(
        Subtopic.objects.select_related("theme").filter(
            theme__consultation_id=testimony.consultation_id, pk__in=data["subtopics"]
        )
    )
    return TestimonyContent(
        title=data["title"],
        initiative=data["initiative"],
        themes=themes,
        difficulties=data.get("difficulties", ""),
        lessons=data.get("lessons", ""),
        subtopics=subtopics,
        tools=list(data.get("tools", [])),
        partners=data.get("partners", ""),
        cost_and_team=data.get("cost_and_team", ""),
        started_on=date.fromisoformat(data["started_on"]) if data.get("started_on") else None,
        ended_on=date.fromisoformat(data["ended_on"]) if data.get("ended_on") else None,
        links=list(data.get("links", [])),
        anonymous=bool(data.get("anonymous", False)),
    )


def _write_content(testimony: Testimony, content: TestimonyContent) -> None:
    territory_before = testimony.territory_id
    content_apply(testimony, content)
    testimony.full_clean(exclude=["pending_revision", "consultation", "territory"])
    testimony.save()
    content_relations_save(testimony, content, new=False)
    duplicates.duplicates_peers_changed(
        testimony, territory_ids={territory_before, testimony.territory_id}
    )


def _moderator_revision(testimony: Testimony, moderator, content: TestimonyContent) -> Revision:
    return revision_add(
        testimony,
        kind=RevisionKind.MODERATOR_EDIT,
        content=content,
        editor_name=moderator.get_full_name() or moderator.get_username(),
        editor_user=moderator,
    )


# --- Services ----------------------------------------------------------------------------------


def _publication_choices(
    testimony: Testimony,
    withheld_fields: Iterable[str] | None,
    anonymous: bool | None,
    anonymous_consent: str,
) -> tuple[list[str], bool, str]:
    """The fields kept private and whether the collectivity is named, checked: the author's
    request for anonymity is never overridden, and anonymising without it needs the author's
    consent written down."""
    if withheld_fields is None:
        withheld = list(testimony.withheld_fields)
    else:
        unknown = set(withheld_fields) - set(WithholdableField.values)
        if unknown:
            raise ValidationError(
                {
                    "withheld_fields": [
                        _("These fields cannot be kept private: %(fields)s.")
                        % {"fields": ", ".join(sorted(unknown))}
                    ]
                }
            )
        # In the enum's order: the same choice is always stored the same way.
        withheld = [value for value in WithholdableField.values if value in set(withheld_fields)]
    consent = anonymous_consent.strip()
    if anonymous is None or anonymous == testimony.anonymous:
        return withheld, testimony.anonymous, consent if testimony.anonymous else ""
    if not anonymous:
        raise ValidationError(
            {
                "anonymous": [
                    _("The author asked not to name their collectivity: it stays anonymous.")
                ]
            }
        )
    if not consent:
        raise ValidationError(
            {
                "anonymous_consent": [
                    _(
                        "Say when and how the author asked to publish without naming the "
                        "collectivity."
                    )
                ]
            }
        )
    return withheld, True, consent


@transaction.atomic
def testimony_publish(
    *,
    testimony: Testimony,
    moderator,
    withheld_fields: Iterable[str] | None = None,
    anonymous: bool | None = None,
    anonymous_consent: str = "",
    notify_author: bool = True,
) -> Testimony:
    """Publish a testimony waiting for moderation, or publish again an unpublished one.

    `withheld_fields` (WithholdableField values) are kept off every public output; None keeps
    the testimony's current choice. `anonymous=True` publishes without naming the collectivity:
    as the author asked when they wrote it, or later (then `anonymous_consent` says how, e.g.
    "e-mail of 3 March"); the author's own request cannot be undone here. The decision records
    the version approved, these choices and the author's consent to publication."""
    testimony = _locked(testimony, moderator)
    _check_transition(
        testimony,
        TestimonyStatus.PUBLISHED,
        _("Only a testimony awaiting moderation or unpublished can be published."),
    )
    withheld, anonymised, consent = _publication_choices(
        testimony, withheld_fields, anonymous, anonymous_consent
    )
    first = testimony.published_at is None
    if first:
        testimony.published_at = timezone.now()
    testimony.withheld_fields = withheld
    testimony.anonymous = anonymised
    _move(testimony, TestimonyStatus.PUBLISHED, "published_at", "withheld_fields", "anonymous")
    # The version in force: the last one, unless it is an author's edit still waiting.
    version = (
        testimony.revisions.exclude(pk=testimony.pending_revision_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    details = {
        "first": first,
        "revision": version,
        "withheld_fields": withheld,
        "anonymous": anonymised,
        "publication_consent_at": (
            testimony.publication_consent_at.isoformat()
            if testimony.publication_consent_at
            else None
        ),
    }
    if consent:
        details["anonymous_consent"] = consent
    _decide(testimony, moderator, DecisionKind.PUBLISH, details=details)
    search_index_update(testimony_ids=[testimony.pk])
    if not notify_author:  # an import the authors were not told of
        return testimony
    _email(
        testimony,
        "published",
        _("Your testimony is published"),
        url=public_url(testimony),
        withheld_labels=[WithholdableField(value).label for value in withheld],
    )
    return testimony


@dataclass(frozen=True)
class BulkOutcome:
    """One testimony of a bulk publication: published, or why not."""

    testimony_id: int
    title: str
    published: bool
    message: str = ""


def testimonies_publish_many(
    *, consultation: Consultation, testimony_ids: Iterable[int], moderator
) -> list[BulkOutcome]:
    """Publish several testimonies of a consultation, each in its own transaction with its own
    e-mail: one that cannot be published (a colleague decided it meanwhile…) is left exactly as
    it was and reported with the reason, and the others are published. Each keeps its current
    choices (fields kept private, anonymity as the author asked)."""
    if not can_moderate(moderator, consultation):
        raise PermissionDenied(_("You do not moderate this consultation."))
    ids = list(dict.fromkeys(testimony_ids))
    found = {
        testimony.pk: testimony
        for testimony in Testimony.objects.filter(pk__in=ids, consultation=consultation)
    }
    outcomes = []
    for pk in ids:
        testimony = found.get(pk)
        if testimony is None:
            outcomes.append(
                BulkOutcome(pk, "", False, _("No testimony of this consultation has this number."))
            )
            continue
        try:
            testimony_publish(testimony=testimony, moderator=moderator)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", None) or [str(error)])
            outcomes.append(BulkOutcome(pk, testimony.title, False, message))
        else:
            outcomes.append(BulkOutcome(pk, testimony.title, True))
    return outcomes


@transaction.atomic
def testimony_reject(*, testimony: Testimony, moderator, reason: str) -> Testimony:
    """Refuse a testimony; the reason is sent to its author."""
    testimony = _locked(testimony, moderator)
    _check_transition(
        testimony,
        TestimonyStatus.REJECTED,
        _("Only a testimony awaiting moderation can be rejected."),
    )
    reason = _required_reason(reason)
    _move(testimony, TestimonyStatus.REJECTED)
    _decide(testimony, moderator, DecisionKind.REJECT, reason=reason)
    search_index_update(testimony_ids=[testimony.pk])
    _email(testimony, "rejected", _("Your testimony will not be published"), reason=reason)
    return testimony


@transaction.atomic
def testimony_request_changes(*, testimony: Testimony, moderator, reason: str) -> Testimony:
    """Send a testimony back to its author with what to change, and their edit link."""
    testimony = _locked(testimony, moderator)
    _check_transition(
        testimony,
        TestimonyStatus.CHANGES_REQUESTED,
        _("Only a testimony awaiting moderation can be sent back for changes."),
    )
    reason = _required_reason(reason)
    _move(testimony, TestimonyStatus.CHANGES_REQUESTED)
    _decide(testimony, moderator, DecisionKind.REQUEST_CHANGES, reason=reason)
    _email(
        testimony,
        "changes_requested",
        _("Your testimony: changes requested"),
        reason=reason,
        link=testimony_link_url(testimony=testimony, purpose=LinkPurpose.EDIT),
    )
    return testimony


@transaction.atomic
def testimony_unpublish(*, testimony: Testimony, moderator, reason: str = "") -> Testimony:
    """Take a published testimony off the site (and out of the search)."""
    testimony = _locked(testimony, moderator)
    _check_transition(
        testimony, TestimonyStatus.UNPUBLISHED, _("Only a published testimony can be unpublished.")
    )
    reason = reason.strip()
    _move(testimony, TestimonyStatus.UNPUBLISHED)
    _decide(testimony, moderator, DecisionKind.UNPUBLISH, reason=reason)
    search_index_update(testimony_ids=[testimony.pk])
    _email(testimony, "unpublished", _("Your testimony is no longer published"), reason=reason)
    return testimony


@transaction.atomic
def testimony_mark_duplicate(
    *, testimony: Testimony, moderator, duplicate_of: Testimony
) -> Testimony:
    """Set aside a testimony that repeats another one of the same consultation."""
    testimony = _locked(testimony, moderator)
    if duplicate_of.pk == testimony.pk:
        raise ValidationError(_("A testimony cannot be a duplicate of itself."))
    if duplicate_of.consultation_id != testimony.consultation_id:
        raise ValidationError(
            _("A testimony can only be a duplicate of another one of the same consultation.")
        )
    _check_transition(
        testimony,
        TestimonyStatus.DUPLICATE,
        _("Only a testimony awaiting moderation can be marked as a duplicate."),
    )
    _move(testimony, TestimonyStatus.DUPLICATE)
    _decide(
        testimony,
        moderator,
        DecisionKind.MARK_DUPLICATE,
        duplicate_of=duplicate_of,
        details={"duplicate_of": duplicate_of.pk},
    )
    search_index_update(testimony_ids=[testimony.pk])
    _email(testimony, "duplicate", _("Your testimony repeats another one"))
    return testimony


def corrections_since(revision: Revision) -> list[Revision]:
    """Moderators' corrections of the published text made after this (waiting) author edit:
    accepting the edit as it is would undo them, since the author wrote it from the text
    published before them."""
    return list(
        Revision.objects.filter(
            testimony_id=revision.testimony_id,
            number__gt=revision.number,
            kind=RevisionKind.MODERATOR_EDIT,
        ).order_by("number")
    )


@transaction.atomic
def testimony_accept_edit(
    *, testimony: Testimony, moderator, undo_corrections: bool = False
) -> Testimony:
    """Publish the edit waiting on a published testimony: its text, themes, tools and files.

    If a moderator corrected the published text after the author wrote this edit, accepting it
    would silently undo the correction: it is refused unless `undo_corrections` says the
    moderator has compared the two versions (the review page shows the differences) and
    accepts the author's text as it is — they may correct it again afterwards."""
    testimony = _locked(testimony, moderator)
    revision = testimony.pending_revision
    if revision is None:
        raise ValidationError(_("This testimony has no edit waiting for moderation."))
    if testimony.status != TestimonyStatus.PUBLISHED:
        raise ValidationError(_("Only the edit of a published testimony waits for moderation."))
    corrections = corrections_since(revision)
    if corrections and not undo_corrections:
        raise ValidationError(
            {
                "undo_corrections": [
                    _(
                        "The published text was corrected by a moderator (version %(number)s) "
                        "after the author wrote this edit: accepting it undoes that correction. "
                        "Compare the two versions, then confirm."
                    )
                    % {"number": corrections[-1].number}
                ]
            }
        )
    content = content_clean(testimony.consultation, _content_from_revision(testimony, revision))
    testimony.pending_revision = None
    _write_content(testimony, content)
    removed = revision.content.get("removed_attachments", [])
    for attachment in testimony.attachments.filter(pk__in=removed):
        attachment_discard(attachment=attachment)
    testimony.attachments.filter(awaiting_moderation=True).update(awaiting_moderation=False)
    details = {"revision": revision.number}
    if corrections:
        # The text is the author's again: a version says so, so that the last version is
        # always the text in force and its differences show what was undone.
        details["undone_corrections"] = [correction.number for correction in corrections]
        details["version"] = _moderator_revision(testimony, moderator, content).number
    _decide(testimony, moderator, DecisionKind.ACCEPT_EDIT, details=details)
    search_index_update(testimony_ids=[testimony.pk])
    _email(
        testimony,
        "edit_accepted",
        _("Your changes are published"),
        url=public_url(testimony),
    )
    return testimony


MODERATOR_EDITABLE_STATES = {
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.CHANGES_REQUESTED,
    TestimonyStatus.PUBLISHED,
    TestimonyStatus.UNPUBLISHED,
}


@transaction.atomic
def testimony_moderator_edit(
    *, testimony: Testimony, moderator, content: TestimonyContent
) -> Testimony:
    """A moderator's correction (a typo, personal data taken out): applied at once, recorded
    as a new version; the author's versions stay as they wrote them."""
    testimony = _locked(testimony, moderator)
    if testimony.status not in MODERATOR_EDITABLE_STATES:
        raise ValidationError(
            _("A testimony in the state “%(state)s” cannot be edited.")
            % {"state": testimony.get_status_display()}
        )
    content = content_clean(testimony.consultation, content)
    _write_content(testimony, content)
    revision = _moderator_revision(testimony, moderator, content)
    audit_record(
        action="testimony.moderator_edit",
        target=testimony,
        actor_user=moderator,
        consultation_id=testimony.consultation_id,
        details={"revision": revision.number},
    )
    if testimony.status == TestimonyStatus.PUBLISHED:
        search_index_update(testimony_ids=[testimony.pk])
    return testimony

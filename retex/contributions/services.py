"""Writes on testimonies, as their authors make them (moderation lives in its own app).

Every function is one atomic operation that checks what is allowed, records a revision and an
audit event, and queues its e-mails for after the commit.
"""

from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retex.audit.models import AuditEvent
from retex.audit.services import audit_record
from retex.consultations.enums import ConsultationPhase
from retex.consultations.models import Consultation, Subtopic, Theme
from retex.consultations.services import audience_check
from retex.contributions.attachments import MAX_ATTACHMENTS, attachment_discard
from retex.contributions.enums import LinkPurpose, RevisionKind, TestimonyStatus
from retex.contributions.enums import transition_allowed as status_transition_allowed
from retex.contributions.models import Attachment, Revision, Testimony, Tool, new_link_key
from retex.core.email import absolute_url, email_author_after_commit
from retex.territories.models import Territory

MAX_TOOLS = 12
MAX_LINKS = 5
LINK_SALT = "retex.contributions.author-link"


@dataclass
class TestimonyContent:
    """What an author writes; the same for a first submission and for an edit."""

    title: str
    initiative: str
    themes: list[Theme]
    difficulties: str = ""
    lessons: str = ""
    subtopics: list[Subtopic] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    partners: str = ""
    cost_and_team: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    links: list[str] = field(default_factory=list)
    anonymous: bool = False

    def snapshot(self) -> dict:
        """JSON form kept in revisions."""
        # Not asdict(): it would deep-copy the Theme and Subtopic instances first.
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["tools"] = list(self.tools)
        data["links"] = list(self.links)
        data["themes"] = sorted(theme.pk for theme in self.themes)
        data["subtopics"] = sorted(subtopic.pk for subtopic in self.subtopics)
        data["started_on"] = self.started_on.isoformat() if self.started_on else None
        data["ended_on"] = self.ended_on.isoformat() if self.ended_on else None
        return data


class LinkRefused(Exception):
    """A link e-mailed to an author that cannot be used: forged, revoked or expired."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.expired = expired


# --- Rules -------------------------------------------------------------------------------


def consultation_accepts_testimonies(consultation: Consultation) -> str | None:
    """None when the consultation takes testimonies now, else the reason in plain words."""
    phase = consultation.phase()
    if phase == ConsultationPhase.OPEN:
        return None
    if phase == ConsultationPhase.UPCOMING:
        return _("This consultation opens on %(date)s: testimonies can be sent from then.") % {
            "date": _local_date(consultation.opens_at)
        }
    return _("This consultation closed on %(date)s: it no longer takes testimonies.") % {
        "date": _local_date(consultation.closes_at)
    }


def _local_date(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def content_clean(consultation: Consultation, content: TestimonyContent) -> TestimonyContent:
    errors: dict[str, list[str]] = {}
    # Only the consultation's own themes count (checked on the objects: no query).
    themes = {
        theme.pk: theme for theme in content.themes if theme.consultation_id == consultation.pk
    }
    subtopics = [
        subtopic
        for subtopic in content.subtopics
        if subtopic.theme.consultation_id == consultation.pk
    ]
    for subtopic in subtopics:  # a sub-topic implies its theme
        themes.setdefault(subtopic.theme_id, subtopic.theme)
    if not themes:
        errors["themes"] = [_("Choose at least one theme.")]
    if content.started_on and content.ended_on and content.ended_on < content.started_on:
        errors["ended_on"] = [_("The end date comes before the start date.")]
    tools = []
    for name in content.tools:
        name = " ".join(name.split())[:80]
        if name and slugify(name) and slugify(name) not in {slugify(t) for t in tools}:
            tools.append(name)
    if len(tools) > MAX_TOOLS:
        errors["tools"] = [_("Name at most %(count)d tools.") % {"count": MAX_TOOLS}]
    links = [link.strip() for link in content.links if link.strip()]
    if len(links) > MAX_LINKS:
        errors["links"] = [_("Give at most %(count)d links.") % {"count": MAX_LINKS}]
    if errors:
        raise ValidationError(errors)
    content.themes = sorted(themes.values(), key=lambda theme: (theme.position, theme.pk))
    content.subtopics = subtopics
    content.tools = tools
    content.links = links
    return content


def content_apply(testimony: Testimony, content: TestimonyContent) -> None:
    for name in (
        "title",
        "initiative",
        "difficulties",
        "lessons",
        "partners",
        "cost_and_team",
        "started_on",
        "ended_on",
        "links",
        "anonymous",
    ):
        setattr(testimony, name, getattr(content, name))


def content_relations_save(testimony: Testimony, content: TestimonyContent, *, new: bool) -> None:
    tools = _tools_for(content.tools)
    if new:  # nothing to compare with: plain inserts
        testimony.themes.add(*content.themes)
        testimony.subtopics.add(*content.subtopics)
        testimony.tools.add(*tools)
        return
    testimony.themes.set(content.themes)
    testimony.subtopics.set(content.subtopics)
    testimony.tools.set(tools)


def _tools_for(names: list[str]) -> list[Tool]:
    """The Tool rows for these names, created when new (one query when they all exist)."""
    slugs = {slugify(name)[:80]: name for name in names}
    existing = {tool.slug: tool for tool in Tool.objects.filter(slug__in=slugs)}
    for slug, name in slugs.items():
        if slug not in existing:
            existing[slug], _created = Tool.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )
    return [existing[slug] for slug in slugs]


def revision_add(
    testimony: Testimony,
    *,
    kind: RevisionKind,
    content: TestimonyContent,
    editor_name: str,
    editor_user: AbstractBaseUser | None = None,
    first: bool = False,
) -> Revision:
    last = (
        None
        if first
        else testimony.revisions.order_by("-number").values_list("number", flat=True).first()
    )
    return Revision.objects.create(
        testimony=testimony,
        number=(last or 0) + 1,
        kind=kind,
        content=content.snapshot(),
        editor_name=editor_name[:150],
        editor_user=editor_user,
    )


def _attach_uploads(
    testimony: Testimony, *, upload_batch: str, awaiting_moderation: bool = False
) -> int:
    if not upload_batch:
        return 0
    staged = list(
        Attachment.objects.filter(upload_batch=upload_batch, testimony__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    if not staged:
        return 0
    if len(staged) > MAX_ATTACHMENTS - testimony.attachments.count():
        raise ValidationError(
            {
                "attachments": [
                    _("At most %(count)d files per testimony.") % {"count": MAX_ATTACHMENTS}
                ]
            }
        )
    return Attachment.objects.filter(pk__in=staged).update(
        testimony=testimony, awaiting_moderation=awaiting_moderation
    )


# --- Links e-mailed to authors ---------------------------------------------------------------


def testimony_link_token(*, testimony: Testimony, purpose: LinkPurpose) -> str:
    return signing.dumps(
        {"t": testimony.pk, "k": testimony.link_key, "p": str(purpose)}, salt=LINK_SALT
    )


def testimony_link_url(*, testimony: Testimony, purpose: LinkPurpose) -> str:
    view = "contributions:confirm" if purpose == LinkPurpose.CONFIRM else "contributions:edit"
    path = reverse(
        view, kwargs={"token": testimony_link_token(testimony=testimony, purpose=purpose)}
    )
    return absolute_url(path)


def testimony_from_link(*, token: str, purpose: LinkPurpose) -> Testimony:
    days = (
        settings.RETEX_CONFIRMATION_LINK_DAYS
        if purpose == LinkPurpose.CONFIRM
        else settings.RETEX_EDIT_LINK_DAYS
    )
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=days))
    except signing.SignatureExpired as error:
        raise LinkRefused(
            _("This link has expired. Ask for a new one with your e-mail address."), expired=True
        ) from error
    except signing.BadSignature as error:
        raise LinkRefused(
            _("This link is not valid. Check that it was copied whole, or ask for a new one.")
        ) from error
    if not isinstance(data, dict) or data.get("p") != str(purpose):
        raise LinkRefused(_("This link is not valid. Check that it was copied whole."))
    testimony = (
        Testimony.objects.select_related("consultation", "territory")
        .filter(pk=data.get("t"))
        .first()
    )
    if testimony is None or testimony.link_key != data.get("k"):
        raise LinkRefused(_("This link is no longer valid. Ask for a new one."))
    return testimony


# --- E-mails -----------------------------------------------------------------------------------


def _email(testimony: Testimony, template: str, subject: str, **context) -> None:
    email_author_after_commit(
        testimony=testimony,
        template=f"contributions/emails/{template}.txt",
        subject=subject,
        **context,
    )


# --- Services ----------------------------------------------------------------------------------


@transaction.atomic
def testimony_submit(
    *,
    consultation: Consultation,
    territory: Territory,
    content: TestimonyContent,
    author_name: str,
    author_role: str,
    author_email: str,
    publication_consent: bool,
    upload_batch: str = "",
) -> Testimony:
    """Save a new testimony, waiting for its author to confirm their e-mail address."""
    refusal = consultation_accepts_testimonies(consultation)
    if refusal:
        raise ValidationError(refusal)
    if not publication_consent:
        raise ValidationError(
            {"publication_consent": [_("Your consent is needed to publish the testimony.")]}
        )
    verdict = audience_check(rule=consultation.audience_rule, territory=territory)
    if not verdict.accepted:
        raise ValidationError({"territory": [verdict.explanation]})
    content = content_clean(consultation, content)
    testimony = Testimony(
        consultation=consultation,
        territory=territory,
        status=TestimonyStatus.PENDING_VERIFICATION,
        author_name=author_name.strip(),
        author_role=author_role,
        author_email=author_email.strip().lower(),
        in_audience=verdict.in_audience,
        publication_consent_at=timezone.now(),
    )
    content_apply(testimony, content)
    # The consultation and territory are loaded objects: no need to query their existence.
    testimony.full_clean(exclude=["pending_revision", "consultation", "territory"])
    testimony.save()
    content_relations_save(testimony, content, new=True)
    _attach_uploads(testimony, upload_batch=upload_batch)
    revision_add(
        testimony,
        kind=RevisionKind.SUBMISSION,
        content=content,
        editor_name=testimony.author_name,
        first=True,
    )
    audit_record(
        action="testimony.submit",
        target=testimony,
        actor_label=testimony.author_name,
        consultation_id=consultation.pk,
        details={"in_audience": verdict.in_audience},
    )
    _email(
        testimony,
        "confirm",
        _("Confirm your testimony"),
        link=testimony_link_url(testimony=testimony, purpose=LinkPurpose.CONFIRM),
        link_days=settings.RETEX_CONFIRMATION_LINK_DAYS,
    )
    return testimony


@transaction.atomic
def testimony_confirm(*, testimony: Testimony) -> Testimony:
    """The author followed the e-mailed link: the testimony goes to the moderation queue.

    Following the link again changes nothing."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if testimony.status != TestimonyStatus.PENDING_VERIFICATION:
        if testimony.status == TestimonyStatus.EXPIRED:
            raise ValidationError(
                _("This testimony was not confirmed in time and has expired. Please send it again.")
            )
        return testimony
    testimony.status = TestimonyStatus.SUBMITTED
    testimony.submitted_at = timezone.now()
    testimony.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        action="testimony.confirm",
        target=testimony,
        actor_label=testimony.author_name,
        consultation_id=testimony.consultation_id,
    )
    _email(
        testimony,
        "received",
        _("Your testimony has been received"),
        link=testimony_link_url(testimony=testimony, purpose=LinkPurpose.EDIT),
    )
    return testimony


EDITABLE_STATES = {
    TestimonyStatus.PENDING_VERIFICATION,
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.CHANGES_REQUESTED,
    TestimonyStatus.PUBLISHED,
}


def testimony_edit_refusal(testimony: Testimony) -> str | None:
    """None when the author (or a colleague with the link) may edit, else why not."""
    if testimony.status not in EDITABLE_STATES:
        return _("This testimony can no longer be edited (%(state)s).") % {
            "state": testimony.get_status_display()
        }
    if testimony.consultation.phase() != ConsultationPhase.OPEN:
        return _("The consultation is closed: testimonies can no longer be edited.")
    return None


@transaction.atomic
def testimony_edit(
    *,
    testimony: Testimony,
    content: TestimonyContent,
    editor_name: str,
    upload_batch: str = "",
    removed_attachment_ids: list[int] = (),
) -> Testimony:
    """An edit through the author's link. A published testimony stays as published until a
    moderator accepts the new version; otherwise the edit applies at once."""
    testimony = (
        # Lock the testimony only, not the consultation it is read with.
        Testimony.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=testimony.pk)
    )
    refusal = testimony_edit_refusal(testimony)
    if refusal:
        raise ValidationError(refusal)
    content = content_clean(testimony.consultation, content)
    editor_name = editor_name.strip() or testimony.author_name
    published = testimony.status == TestimonyStatus.PUBLISHED
    revision = revision_add(
        testimony, kind=RevisionKind.AUTHOR_EDIT, content=content, editor_name=editor_name
    )
    removed = list(testimony.attachments.filter(pk__in=removed_attachment_ids))
    if published:
        revision.content["removed_attachments"] = [attachment.pk for attachment in removed]
        revision.save(update_fields=["content"])
        testimony.pending_revision = revision
        testimony.save(update_fields=["pending_revision", "updated_at"])
    else:
        content_apply(testimony, content)
        testimony.full_clean(exclude=["pending_revision"])
        if testimony.status == TestimonyStatus.CHANGES_REQUESTED:
            testimony.status = TestimonyStatus.SUBMITTED
            testimony.submitted_at = timezone.now()
        testimony.save()
        content_relations_save(testimony, content, new=False)
        for attachment in removed:
            attachment_discard(attachment=attachment)
    _attach_uploads(testimony, upload_batch=upload_batch, awaiting_moderation=published)
    audit_record(
        action="testimony.edit",
        target=testimony,
        actor_label=editor_name,
        consultation_id=testimony.consultation_id,
        details={"revision": revision.number, "awaiting_moderation": published},
    )
    return testimony


@transaction.atomic
def testimony_withdraw(*, testimony: Testimony, editor_name: str = "") -> Testimony:
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if not status_transition_allowed(testimony.status, TestimonyStatus.WITHDRAWN):
        if testimony.status == TestimonyStatus.PUBLISHED:
            raise ValidationError(
                _("A published testimony cannot be withdrawn here: write to the organisers.")
            )
        raise ValidationError(_("This testimony cannot be withdrawn."))
    testimony.status = TestimonyStatus.WITHDRAWN
    testimony.save(update_fields=["status", "updated_at"])
    audit_record(
        action="testimony.withdraw",
        target=testimony,
        actor_label=editor_name.strip() or testimony.author_name,
        consultation_id=testimony.consultation_id,
    )
    return testimony


def testimony_links_resend(*, email: str) -> int:
    """Send again the edit links of an address's testimonies in open consultations (the
    answer never says whether the address is known)."""
    testimonies = [
        testimony
        for testimony in Testimony.objects.select_related("consultation")
        .filter(author_email=email.strip().lower(), status__in=EDITABLE_STATES)
        .order_by("pk")
        if testimony.consultation.phase() == ConsultationPhase.OPEN
    ]
    for testimony in testimonies:
        purpose = (
            LinkPurpose.CONFIRM
            if testimony.status == TestimonyStatus.PENDING_VERIFICATION
            else LinkPurpose.EDIT
        )
        _email(
            testimony,
            "links",
            _("Your link to your testimony"),
            link=testimony_link_url(testimony=testimony, purpose=purpose),
            purpose=purpose,
        )
    return len(testimonies)


@transaction.atomic
def testimony_links_revoke(*, testimony: Testimony) -> Testimony:
    """Invalidate every link sent so far (e.g. a link shared too widely)."""
    testimony.link_key = new_link_key()
    testimony.save(update_fields=["link_key", "updated_at"])
    audit_record(
        action="testimony.revoke_links",
        target=testimony,
        consultation_id=testimony.consultation_id,
    )
    return testimony


@transaction.atomic
def testimonies_expire_unconfirmed(*, now=None) -> int:
    """Testimonies whose address was never confirmed expire with their confirmation link."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.RETEX_CONFIRMATION_LINK_DAYS)
    expiring = list(
        Testimony.objects.select_for_update()
        .filter(status=TestimonyStatus.PENDING_VERIFICATION, created_at__lt=limit)
        .values_list("pk", "consultation_id")
    )
    Testimony.objects.filter(pk__in=[pk for pk, _consultation in expiring]).update(
        status=TestimonyStatus.EXPIRED, updated_at=now
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="testimony.expire",
            target_type=Testimony._meta.label_lower,
            target_id=str(pk),
            consultation_id=consultation_id,
        )
        for pk, consultation_id in expiring
    )
    return len(expiring)

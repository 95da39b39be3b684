"""Reads of the audit log for the back office. The log is private: never for public pages."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retex.audit.labels import action_label, target_label
from retex.audit.models import AuditEvent

# Values of the "who" filter besides an account ("user:<pk>").
ACTOR_AUTHORS = "authors"
ACTOR_SYSTEM = "system"
AUTHORS_LABEL = _("Authors (through their link)")
SYSTEM_LABEL = _("Retex (automatic)")


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None
    target_type: str = ""
    target_id: str = ""


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, consultation_id: int, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """A consultation's events that pass the filters, newest first; dates are local days,
    both ends included."""
    events = AuditEvent.objects.filter(consultation_id=consultation_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor == ACTOR_AUTHORS:
        events = events.filter(actor_user__isnull=True).exclude(actor_label="")
    elif filters.actor == ACTOR_SYSTEM:
        events = events.filter(actor_user__isnull=True, actor_label="")
    elif filters.actor.startswith("user:") and filters.actor[5:].isdigit():
        events = events.filter(actor_user_id=int(filters.actor[5:]))
    if filters.since:
        events = events.filter(created_at__gte=_start_of_day(filters.since))
    if filters.until:
        events = events.filter(created_at__lt=_start_of_day(filters.until + timedelta(days=1)))
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    return events.select_related("actor_user").order_by("-created_at", "-pk")


def audit_action_choices(*, consultation_id: int) -> list[tuple[str, str]]:
    """The actions found in a consultation's log, by label."""
    codes = (
        AuditEvent.objects.filter(consultation_id=consultation_id)
        .values_list("action", flat=True)
        .distinct()
    )
    return sorted(((code, action_label(code)) for code in codes), key=lambda item: item[1])


def audit_target_choices(*, consultation_id: int) -> list[tuple[str, str]]:
    types = (
        AuditEvent.objects.filter(consultation_id=consultation_id)
        .values_list("target_type", flat=True)
        .distinct()
    )
    return sorted(((kind, target_label(kind)) for kind in types), key=lambda item: item[1])


def audit_actor_choices(*, consultation_id: int) -> list[tuple[str, str]]:
    """The accounts that acted on a consultation, then authors (through their link) and the
    system (scheduled upkeep)."""
    events = AuditEvent.objects.filter(consultation_id=consultation_id)
    user_ids = events.filter(actor_user__isnull=False).values("actor_user_id").distinct()
    users = get_user_model().objects.filter(pk__in=user_ids)
    choices = sorted(
        ((f"user:{user.pk}", actor_name(user)) for user in users), key=lambda item: item[1]
    )
    if events.filter(Q(actor_user__isnull=True) & ~Q(actor_label="")).exists():
        choices.append((ACTOR_AUTHORS, str(AUTHORS_LABEL)))
    if events.filter(actor_user__isnull=True, actor_label="").exists():
        choices.append((ACTOR_SYSTEM, str(SYSTEM_LABEL)))
    return choices


def actor_name(user) -> str:
    return user.get_full_name() or user.get_username()


def event_actor(event: AuditEvent) -> str:
    """Who acted, as the log shows it."""
    if event.actor_user is not None:
        return actor_name(event.actor_user)
    if event.actor_label:
        return event.actor_label
    return str(SYSTEM_LABEL)

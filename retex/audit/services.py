from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from retex.audit.models import AuditEvent


def audit_record(
    *,
    action: str,
    target: models.Model,
    actor_user: AbstractBaseUser | None = None,
    actor_label: str = "",
    consultation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an action; call it inside the transaction of the change it describes."""
    return AuditEvent.objects.create(
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        actor_user=actor_user if actor_user is not None and actor_user.is_authenticated else None,
        actor_label=actor_label[:150],
        consultation_id=consultation_id,
        details=details or {},
    )

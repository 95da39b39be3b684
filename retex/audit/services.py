from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from retex.audit.models import AuditEvent


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    actor_user: AbstractBaseUser | None = None,
    actor_label: str = "",
    consultation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an action; call it inside the transaction of the change it describes.

    Without a `target` (a sign-in attempt under an unknown name), `target_type` says what kind
    of object was aimed at."""
    return AuditEvent.objects.create(
        action=action,
        target_type=target._meta.label_lower if target is not None else target_type,
        target_id=str(target.pk) if target is not None else "",
        actor_user=actor_user if actor_user is not None and actor_user.is_authenticated else None,
        actor_label=actor_label[:150],
        consultation_id=consultation_id,
        details=details or {},
    )

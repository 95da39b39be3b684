"""Writes of the organisers' export: the audit event of each download (it holds private data)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from retex.audit.services import audit_record
from retex.consultations.models import Consultation
from retex.moderation.rules import can_organise


def testimonies_export_record(
    *, consultation: Consultation, organiser, file_format: str, testimonies: int
) -> None:
    """Record who downloaded the consultation's testimonies with their authors' data, in which
    format, and how many rows. Refused to anyone but an organiser of the consultation."""
    if not can_organise(organiser, consultation):
        raise PermissionDenied(_("Only the organisers of this consultation may export it."))
    audit_record(
        action="consultation.export",
        target=consultation,
        actor_user=organiser,
        consultation_id=consultation.pk,
        details={"format": file_format, "testimonies": testimonies, "private_fields": True},
    )

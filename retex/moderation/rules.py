"""Who may moderate or organise a consultation: the single place this is decided."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from retex.consultations.enums import MembershipRole
from retex.consultations.models import Consultation, ConsultationMembership


def _has_role(
    user: AbstractBaseUser | AnonymousUser, consultation: Consultation, roles: set[str]
) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ConsultationMembership.objects.filter(
        consultation=consultation, user=user, role__in=roles
    ).exists()


def can_moderate(user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> bool:
    """Read, publish, refuse and correct the consultation's testimonies."""
    return _has_role(user, consultation, {MembershipRole.ORGANISER, MembershipRole.MODERATOR})


def can_organise(user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> bool:
    """Everything a moderator does, plus running the consultation itself."""
    return _has_role(user, consultation, {MembershipRole.ORGANISER})

"""Who may edit the site's information pages: the single place this is decided.

The legal notice speaks for the whole site, not for one consultation: superusers and the
organisers of at least one consultation may edit it; moderators may not (they review
testimonies, they do not speak for the publisher)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership


def can_edit_site_pages(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ConsultationMembership.objects.filter(user=user, role=MembershipRole.ORGANISER).exists()

import pytest
from django.contrib.auth.models import AnonymousUser

from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.moderation.rules import can_moderate, can_organise
from tests.factories import ConsultationFactory, UserFactory


@pytest.fixture
def consultation():
    return ConsultationFactory()


def member(consultation, role):
    user = UserFactory()
    ConsultationMembership.objects.create(consultation=consultation, user=user, role=role)
    return user


@pytest.mark.django_db
def test_an_organiser_moderates_and_organises(consultation):
    organiser = member(consultation, MembershipRole.ORGANISER)

    assert can_moderate(organiser, consultation)
    assert can_organise(organiser, consultation)


@pytest.mark.django_db
def test_a_moderator_moderates_but_does_not_organise(consultation):
    moderator = member(consultation, MembershipRole.MODERATOR)

    assert can_moderate(moderator, consultation)
    assert not can_organise(moderator, consultation)


@pytest.mark.django_db
def test_a_role_in_another_consultation_gives_no_right_here(consultation):
    elsewhere = ConsultationFactory()
    organiser = member(elsewhere, MembershipRole.ORGANISER)

    assert can_organise(organiser, elsewhere)
    assert not can_moderate(organiser, consultation)
    assert not can_organise(organiser, consultation)


@pytest.mark.django_db
def test_a_superuser_may_do_everything(consultation):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert can_moderate(admin, consultation)
    assert can_organise(admin, consultation)


@pytest.mark.django_db
def test_visitors_plain_accounts_and_deactivated_members_may_not(consultation):
    former = member(consultation, MembershipRole.ORGANISER)
    former.is_active = False
    former.save()

    for user in (AnonymousUser(), UserFactory(), UserFactory(is_staff=True), former):
        assert not can_moderate(user, consultation)
        assert not can_organise(user, consultation)

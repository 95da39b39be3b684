"""The back office's door: signed-out visitors sign in, outsiders see nothing."""

import pytest
from django.urls import reverse

from retex.consultations.enums import MembershipRole
from tests.factories import ConsultationFactory, MembershipFactory, TestimonyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Gestion de crise et numérique")


def test_signed_out_visitors_are_sent_to_the_sign_in_page(client, consultation):
    for url in (reverse("moderation:home"), reverse("moderation:queue", args=[consultation.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_team_member_signs_in_and_lands_on_their_consultations(client, consultation):
    membership = MembershipFactory(consultation=consultation)
    ConsultationFactory(title="Une autre consultation")
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": "a-long-test-password"},
        follow=True,
    )
    assert "Gestion de crise et numérique" in response.text
    assert "Une autre consultation" not in response.text


def test_a_wrong_password_is_refused_in_french(client, consultation):
    membership = MembershipFactory(consultation=consultation)
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": "not-the-password"},
    )
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text


def test_staff_of_another_consultation_learn_nothing_about_it(client, consultation):
    outsider = MembershipFactory(role=MembershipRole.ORGANISER).user
    client.force_login(outsider)
    response = client.get(reverse("moderation:queue", args=[consultation.slug]))
    assert response.status_code == 404


def test_the_queue_shows_the_oldest_waiting_testimony_first(client, consultation):
    from datetime import timedelta

    from django.utils import timezone

    moderator = MembershipFactory(consultation=consultation).user
    now = timezone.now()
    TestimonyFactory(
        consultation=consultation,
        status="submitted",
        title="Arrivé hier",
        submitted_at=now - timedelta(days=1),
    )
    TestimonyFactory(
        consultation=consultation,
        status="submitted",
        title="Arrivé il y a une semaine",
        submitted_at=now - timedelta(days=7),
    )
    TestimonyFactory(consultation=consultation, title="Déjà publié")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue", args=[consultation.slug])).text
    assert "2 témoignages" in page
    assert page.index("Arrivé il y a une semaine") < page.index("Arrivé hier")
    assert "Déjà publié" not in page


def test_a_superuser_sees_every_consultation(client, consultation):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "Gestion de crise et numérique" in client.get(reverse("moderation:home")).text

"""Signing in to the back office: throttled after repeated failures, audited, and with a
second step for accounts that turned on two-step verification."""

import html
import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from retex.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from tests.accounts.totp import code_for
from tests.factories import ConsultationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


@pytest.fixture
def moderator():
    return MembershipFactory(user__username="camille").user


def test_a_right_password_signs_in_and_is_audited(client, moderator):
    response = sign_in(client, "camille")
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:home")
    event = AuditEvent.objects.get(action="account.login")
    assert event.actor_user == moderator
    assert event.details == {"ip": "127.0.0.1", "second_factor": False}


def test_five_failures_pause_sign_in_for_that_account_even_with_the_right_password(
    client, moderator
):
    for _ in range(4):
        response = sign_in(client, "camille", "wrong-password")
        assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text
    fifth = sign_in(client, "camille", "wrong-password")
    assert "Trop de tentatives de connexion ont échoué" in fifth.text
    assert re.search(r"réessayez à partir de \d{1,2}\xa0h\xa0\d{2}", fifth.text)

    refused = sign_in(client, "camille")  # the right password, too late
    assert refused.status_code == 200
    assert "Trop de tentatives de connexion ont échoué" in refused.text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.login_failed", actor_user=None).count() == 5
    throttled = AuditEvent.objects.get(action="account.login_throttled")
    assert throttled.target_id == str(moderator.pk)
    assert not AuditEvent.objects.filter(action="account.login").exists()


def test_the_pause_concerns_that_account_only(client, moderator):
    other = UserFactory(username="dominique")
    for _ in range(5):
        sign_in(client, "camille", "wrong-password")
    assert sign_in(client, other.username).status_code == 302


def test_signing_in_forgets_the_account_s_earlier_failures(client, moderator):
    for _ in range(4):
        sign_in(client, "camille", "wrong-password")
    assert sign_in(client, "camille").status_code == 302
    client.logout()
    for _ in range(4):  # four more typos later: not locked, the count started again
        sign_in(client, "camille", "wrong-password")
    assert sign_in(client, "camille").status_code == 302


@override_settings(RETEX_LOGIN_FAILURES_PER_IP=3)
def test_failures_from_one_address_pause_every_account_from_it(client, moderator):
    for name in ("alix", "bao", "charlie"):
        sign_in(client, name, "guess")
    response = sign_in(client, "camille")
    assert "Trop de tentatives de connexion ont échoué" in response.text
    other_address = sign_in(client, "camille", REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 302


def test_an_unknown_name_is_audited_without_keeping_what_was_typed(client):
    sign_in(client, "my-secret-password", "oops")
    event = AuditEvent.objects.get(action="account.login_failed")
    assert event.target_type == "auth.user" and event.target_id == ""
    assert "my-secret-password" not in str(event.details)


def test_an_organiser_without_two_step_verification_is_advised_to_turn_it_on(client):
    organiser = MembershipFactory(role=MembershipRole.ORGANISER).user
    page = sign_in(client, organiser.username, follow=True).text
    assert "protégez votre compte avec la double authentification" in page
    assert reverse("accounts:security") in page


def test_a_moderator_is_not_pressed_to(client, moderator):
    page = sign_in(client, "camille", follow=True).text
    assert "protégez votre compte" not in page


# --- Two-step verification ---------------------------------------------------------------------


@pytest.fixture
def device(moderator):
    return TOTPDevice.objects.create(user=moderator, name="default", confirmed=True)


def test_with_two_step_verification_the_password_alone_does_not_sign_in(client, device):
    response = sign_in(client, "camille")
    assert response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("moderation:home")).status_code == 302


def test_the_code_from_the_app_completes_the_sign_in(client, moderator, device):
    consultation = MembershipFactory(user=moderator).consultation
    queue = reverse("moderation:queue", args=[consultation.slug])
    client.post(
        reverse("accounts:login"), {"username": "camille", "password": PASSWORD, "next": queue}
    )
    page = client.get(reverse("accounts:login_code"))
    assert "saisissez le code affiché" in page.text

    response = client.post(reverse("accounts:login_code"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == queue
    assert client.get(queue).status_code == 200
    event = AuditEvent.objects.get(action="account.login")
    assert event.details["second_factor"] is True


def test_a_wrong_code_is_refused_and_counts_as_a_failure(client, moderator, device):
    sign_in(client, "camille")
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:login_code"), {"code": wrong})
    assert response.status_code == 200
    assert "Ce code n'est pas le bon" in text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="account.login_failed").details["step"] == "code"


def test_letters_are_not_a_code(client, device):
    sign_in(client, "camille")
    response = client.post(reverse("accounts:login_code"), {"code": "abcdef"})
    assert "Saisissez les 6 chiffres" in response.text


def test_a_code_once_used_does_not_sign_in_again(client, moderator, device):
    sign_in(client, "camille")
    code = code_for(device)
    client.post(reverse("accounts:login_code"), {"code": code})
    client.post(reverse("accounts:logout"))
    sign_in(client, "camille")
    response = client.post(reverse("accounts:login_code"), {"code": code})
    assert "Ce code n'est pas le bon" in text(response)
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_the_password_step_first(client, device):
    response = client.get(reverse("accounts:login_code"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Reconnectez-vous" in response.text


def test_wrong_codes_pause_sign_in_too(client, moderator, device):
    sign_in(client, "camille")
    for _ in range(5):
        response = client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert "Trop de tentatives de connexion ont échoué" in response.text
    response = client.post(reverse("accounts:login_code"), {"code": code_for(device)})
    assert "Trop de tentatives de connexion ont échoué" in response.text
    assert "_auth_user_id" not in client.session


# --- Sessions that end -------------------------------------------------------------------------


def age_session(client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN] = now - last_seen_ago
    session.save()


def test_an_hour_without_activity_ends_the_session(client, moderator):
    sign_in(client, "camille")
    age_session(client, signed_in_ago=2 * 3600, last_seen_ago=61 * 60)
    response = client.get(reverse("moderation:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Votre session a pris fin après 60 minutes sans activité" in response.text


def test_activity_keeps_the_session_alive(client, moderator):
    sign_in(client, "camille")
    age_session(client, signed_in_ago=2 * 3600, last_seen_ago=59 * 60)
    assert client.get(reverse("moderation:home")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_eight_hours_end_the_session_even_when_active(client, moderator):
    sign_in(client, "camille")
    age_session(client, signed_in_ago=8 * 3600 + 60, last_seen_ago=60)
    response = client.get(reverse("moderation:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Votre session a pris fin après 8 heures" in response.text


def test_the_session_cookie_dies_at_the_same_limit(client, moderator):
    response = sign_in(client, "camille")
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600


# --- The admin uses the same door --------------------------------------------------------------


def test_the_admin_sign_in_goes_through_the_back_office_one(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_a_member_without_admin_rights_is_not_sent_round_in_circles(client, moderator):
    sign_in(client, "camille")
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert "vous êtes connecté en tant que camille" in response.text.lower()


def test_signed_in_staff_go_straight_to_the_back_office(client, moderator):
    sign_in(client, "camille")
    response = client.get(reverse("accounts:login"))
    assert response["Location"] == reverse("moderation:home")


def test_the_consultation_of_a_member_is_not_needed_to_sign_in(client):
    UserFactory(username="nobody")
    ConsultationFactory()
    assert sign_in(client, "nobody").status_code == 302

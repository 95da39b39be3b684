"""Account security: two-step verification set up and turned off, passwords changed or
chosen again through an e-mailed link."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from tests.accounts.totp import code_for, code_from_secret
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "trois petits chats dans le jardin"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def organiser(client):
    user = MembershipFactory(role=MembershipRole.ORGANISER, user__username="alix").user
    client.force_login(user)
    return user


def start_setup(client):
    client.post(reverse("accounts:totp_start"))
    return client.get(reverse("accounts:totp_setup"))


def shown_secret(page) -> str:
    return re.search(r'<p class="totp-secret"><code>([A-Z2-7 ]+)</code>', page.text).group(1)


def test_organisers_are_told_why_two_step_verification_matters(client, organiser):
    page = text(client.get(reverse("accounts:security")))
    assert "Recommandée pour vous." in page
    assert "Activer la double authentification" in page


def test_moderators_may_turn_it_on_without_being_pressed(client):
    client.force_login(MembershipFactory().user)
    page = text(client.get(reverse("accounts:security")))
    assert "Recommandée pour vous." not in page
    assert "Activer la double authentification" in page


def test_the_set_up_page_shows_a_qr_code_and_the_secret_to_type(client, organiser):
    page = start_setup(client)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert '<svg role="img"' in page.text
    assert "<title>QR code à scanner avec votre application</title>" in page.text
    secret = shown_secret(page)
    assert len(secret.replace(" ", "")) == 32
    assert not TOTPDevice.objects.filter(user=organiser, confirmed=True).exists()


def test_a_right_code_from_the_typed_secret_turns_it_on(client, organiser):
    page = start_setup(client)
    response = client.post(
        reverse("accounts:totp_setup"), {"code": code_from_secret(shown_secret(page))}, follow=True
    )
    assert "La double authentification est activée" in text(response)
    assert "Vos codes de secours" in text(response)  # see test_recovery_codes.py
    assert "Activée." in text(client.get(reverse("accounts:security")))
    assert TOTPDevice.objects.get(user=organiser).confirmed
    assert AuditEvent.objects.filter(action="account.totp_enable", actor_user=organiser).exists()


def test_a_wrong_code_leaves_it_off(client, organiser):
    page = start_setup(client)
    right = code_from_secret(shown_secret(page))
    wrong = f"{(int(right) + 5) % 1_000_000:06d}"
    response = client.post(reverse("accounts:totp_setup"), {"code": wrong})
    assert response.status_code == 200
    assert "Ce code n'est pas le bon. Vérifiez que votre téléphone est à l'heure" in text(response)
    assert not TOTPDevice.objects.filter(user=organiser, confirmed=True).exists()


def test_turning_it_on_then_signing_in_asks_for_the_code(client, organiser):
    page = start_setup(client)
    client.post(reverse("accounts:totp_setup"), {"code": code_from_secret(shown_secret(page))})
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": "alix", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_code")
    device = TOTPDevice.objects.get(user=organiser)
    response = client.post(
        reverse("accounts:login_code"), {"code": code_for(device, steps_ahead=1)}
    )
    assert response["Location"] == reverse("moderation:home")


@pytest.fixture
def device(organiser):
    return TOTPDevice.objects.create(user=organiser, name="default", confirmed=True)


def test_a_code_turns_it_off(client, organiser, device):
    response = client.post(
        reverse("accounts:totp_disable"), {"code": code_for(device)}, follow=True
    )
    assert "La double authentification est désactivée." in text(response)
    assert not TOTPDevice.objects.filter(user=organiser).exists()
    assert AuditEvent.objects.filter(action="account.totp_disable").exists()


def test_without_the_right_code_it_stays_on(client, organiser, device):
    right = code_for(device)
    response = client.post(
        reverse("accounts:totp_disable"), {"code": f"{(int(right) + 3) % 1_000_000:06d}"}
    )
    assert response.status_code == 400
    assert "la double authentification reste activée" in text(response)
    assert TOTPDevice.objects.filter(user=organiser, confirmed=True).exists()


def test_pages_of_the_account_need_a_signed_in_user(client):
    for name in ("security", "totp_setup", "password_change"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- Passwords ---------------------------------------------------------------------------------


def test_a_short_password_is_refused_with_the_rule(client, organiser):
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Court1!", "new_password2": "Court1!"},
    )
    page = text(response)
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in page
    assert "Au moins 12 caractères" in page  # the hint says the rule before it is broken
    organiser.refresh_from_db()
    assert organiser.check_password(PASSWORD)


def test_a_common_password_is_refused(client, organiser):
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert "Ce mot de passe est trop courant." in text(response)


def test_a_strong_password_is_changed_and_the_session_goes_on(client, organiser):
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Votre mot de passe a été changé." in text(response)
    organiser.refresh_from_db()
    assert organiser.check_password(NEW_PASSWORD)
    assert client.get(reverse("moderation:home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_change").count() == 1


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://\S+", message.body).group(0)


def test_a_forgotten_password_is_chosen_again_through_a_link_that_works_once(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="bao", email="bao@ville-beauvais.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "Bao@Ville-Beauvais.fr"}, follow=True
        )
    assert "un e-mail avec un lien pour choisir un nouveau mot de passe vient d'y être envoyé" in (
        text(response)
    )
    assert mail.outbox[0].subject == "Choisir un nouveau mot de passe"
    assert "Quelqu'un a demandé à choisir un nouveau mot de passe" in mail.outbox[0].body
    link = reset_link()
    assert link.startswith("http://127.0.0.1:8000/gestion/mot-de-passe/")

    form_page = client.get(link, follow=True)
    assert "Pour le compte bao." in text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Votre mot de passe est enregistré : connectez-vous avec." in text(done)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_set", target_id=user.pk).exists()

    again = client.get(link, follow=True)
    assert "Ce lien ne fonctionne plus" in text(again)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "personne@example.org"}, follow=True
        )
    assert "Si cette adresse correspond à un compte" in text(response)
    assert mail.outbox == []


def test_requests_for_one_address_are_limited(client, django_capture_on_commit_callbacks):
    UserFactory(username="bao", email="bao@ville-beauvais.fr")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(reverse("accounts:password_reset"), {"email": "bao@ville-beauvais.fr"})
    assert len(mail.outbox) == 3

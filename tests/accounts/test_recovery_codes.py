"""Recovery codes: one-time codes to sign in without the phone, shown once when two-step
verification is turned on or when a new set is made."""

import html
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from tests.accounts.totp import code_for, code_from_secret
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
WRONG_RECOVERY_CODE = "zzzz-zzzz"  # "z" is in the alphabet, but no code is made of it only


def text(response) -> str:
    return html.unescape(response.content.decode())


def shown_codes(response) -> list[str]:
    """The codes as the page lists them, "abcd-2345"."""
    listing = re.search(r'<ul class="recovery-codes"[^>]*>(.*?)</ul>', text(response), re.S)
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", listing.group(1))


def turn_on(client) -> tuple[TOTPDevice, object]:
    """Turn two-step verification on as the user does; the page that answers, and the app."""
    client.post(reverse("accounts:totp_start"))
    setup = client.get(reverse("accounts:totp_setup"))
    secret = re.search(r'<p class="totp-secret"><code>([A-Z2-7 ]+)</code>', setup.text).group(1)
    response = client.post(reverse("accounts:totp_setup"), {"code": code_from_secret(secret)})
    return TOTPDevice.objects.get(user__username="alix", confirmed=True), response


@pytest.fixture
def organiser(client):
    user = MembershipFactory(role=MembershipRole.ORGANISER, user__username="alix").user
    client.force_login(user)
    return user


@pytest.fixture
def codes(client, organiser) -> list[str]:
    """The codes the user wrote down when turning the second factor on; then signed out."""
    _device, response = turn_on(client)
    client.post(reverse("accounts:logout"))
    return shown_codes(response)


def sign_in_with_code(client, code: str, **extra):
    client.post(reverse("accounts:login"), {"username": "alix", "password": PASSWORD})
    return client.post(reverse("accounts:login_code"), {"code": code}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Shown once ----------------------------------------------------------------------------------


def test_turning_it_on_shows_ten_codes_once(client, organiser):
    _device, response = turn_on(client)
    page = text(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Vos codes de secours</h1>" in page
    assert "La double authentification est activée" in page
    assert "Ils ne sont affichés que cette fois-ci." in page
    assert "Imprimez cette page, ou recopiez les codes dans un endroit sûr" in page
    assert "Chaque code ne fonctionne qu'une fois" in page
    codes = shown_codes(response)
    assert len(codes) == len(set(codes)) == 10
    assert (
        f'<a class="button" href="{reverse("accounts:security")}">'
        "Je les ai conservés : continuer vers la page de sécurité</a>"
    ) in page

    security = text(client.get(reverse("accounts:security")))
    assert "Il vous reste 10 codes de secours." in security
    assert not any(code in security for code in codes)
    assert not any(
        code in str(event.details) or code.replace("-", "") in str(event.details)
        for event in AuditEvent.objects.all()
        for code in codes
    )


# --- Signing in with one -----------------------------------------------------------------------


def test_the_sign_in_page_offers_to_type_a_recovery_code(client, codes):
    client.post(reverse("accounts:login"), {"username": "alix", "password": PASSWORD})
    page = text(client.get(reverse("accounts:login_code")))
    assert "Code de votre application, ou code de secours" in page
    assert 'autocomplete="one-time-code"' in page
    assert "Vous avez perdu votre téléphone ?" in page
    assert "Saisissez l'un de vos codes de secours à la place du code de votre application" in page
    assert "Plus de code de secours non plus ? Demandez à un administrateur" in page


def test_a_recovery_code_signs_in_once_and_not_twice(client, organiser, codes):
    typed = codes[3].upper()  # as copied from a sheet, in capitals: still the code
    response = sign_in_with_code(client, typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:home")
    assert signed_in(client)
    event = AuditEvent.objects.get(action="account.login")
    assert event.details == {"ip": "127.0.0.1", "second_factor": True, "recovery_code": True}

    client.post(reverse("accounts:logout"))
    again = sign_in_with_code(client, codes[3])
    assert again.status_code == 200
    assert "Ce code de secours ne fonctionne pas : il est erroné, ou il a déjà servi" in text(again)
    assert not signed_in(client)
    assert AuditEvent.objects.get(action="account.login_failed").details["step"] == "code"


def test_a_recovery_code_may_be_typed_without_its_hyphen_or_with_spaces(client, codes):
    assert sign_in_with_code(client, codes[0].replace("-", " ")).status_code == 302
    client.post(reverse("accounts:logout"))
    assert sign_in_with_code(client, codes[1].replace("-", "")).status_code == 302


def test_a_code_of_neither_kind_is_explained(client, codes):
    client.post(reverse("accounts:login"), {"username": "alix", "password": PASSWORD})
    response = client.post(reverse("accounts:login_code"), {"code": "12345"})
    assert "Un code de votre application a 6 chiffres" in text(response)
    response = client.post(reverse("accounts:login_code"), {"code": "abcd-234"})
    assert "ou l'un de vos codes de secours : 8 lettres et chiffres" in text(response)
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action="account.login_failed").exists()


def test_wrong_recovery_codes_pause_sign_in_like_wrong_app_codes(client, organiser, codes):
    client.post(reverse("accounts:login"), {"username": "alix", "password": PASSWORD})
    first = client.post(reverse("accounts:login_code"), {"code": WRONG_RECOVERY_CODE})
    assert "Ce code de secours ne fonctionne pas" in text(first)
    for _ in range(4):
        response = client.post(reverse("accounts:login_code"), {"code": WRONG_RECOVERY_CODE})
    assert "Trop de tentatives de connexion ont échoué" in text(response)

    right = client.post(reverse("accounts:login_code"), {"code": codes[0]})
    assert "Trop de tentatives de connexion ont échoué" in text(right)
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 5
    assert StaticToken.objects.filter(device__user=organiser).count() == 10  # none used up


# --- How many are left -------------------------------------------------------------------------


def test_the_security_page_counts_the_codes_left(client, organiser, codes):
    sign_in_with_code(client, codes[0])
    page = text(client.get(reverse("accounts:security")))
    assert "Codes de secours" in page
    assert "Il vous reste 9 codes de secours." in page
    assert "Créer de nouveaux codes de secours" in page
    assert codes[1] not in page


def test_with_few_codes_left_the_user_is_told_to_make_new_ones(client, organiser, codes):
    # Six codes used already (on earlier sign-ins): one more, and three are left: enough.
    StaticToken.objects.filter(token__in=[code.replace("-", "") for code in codes[:6]]).delete()
    page = text(sign_in_with_code(client, codes[6], follow=True))
    assert signed_in(client)
    assert "Plus que" not in page
    assert "Créez-en de nouveaux" not in text(client.get(reverse("accounts:security")))

    client.post(reverse("accounts:logout"))
    page = text(sign_in_with_code(client, codes[7], follow=True))
    assert "Plus que 2 codes de secours : créez-en de nouveaux avant d'en manquer." in page
    assert f'href="{reverse("accounts:security")}#recovery-codes-title"' in page

    security = text(client.get(reverse("accounts:security")))
    assert "Il vous reste 2 codes de secours." in security
    assert "Créez-en de nouveaux, au cas où vous perdriez votre téléphone." in security

    client.post(reverse("accounts:logout"))
    page = text(sign_in_with_code(client, codes[8], follow=True))
    assert "Plus que 1 code de secours : créez-en de nouveaux avant d'en manquer." in page


def test_an_account_without_codes_is_told_at_sign_in(client, organiser):
    """Two-step verification turned on before recovery codes existed: none yet."""
    device = TOTPDevice.objects.create(user=organiser, name="default", confirmed=True)
    client.logout()
    page = text(sign_in_with_code(client, code_for(device), follow=True))
    assert "Vous n'avez aucun code de secours : sans votre téléphone" in page
    assert "Vous n'avez aucun code de secours." in text(client.get(reverse("accounts:security")))


# --- A new set ---------------------------------------------------------------------------------


def test_a_new_set_replaces_the_old_one(client, organiser):
    device, response = turn_on(client)
    old = shown_codes(response)

    # The code of the next 30 seconds: the current one was used to turn it on.
    renewed = client.post(
        reverse("accounts:recovery_codes_renew"), {"renew_code": code_for(device, steps_ahead=1)}
    )
    assert renewed.status_code == 200
    assert "no-store" in renewed["Cache-Control"]
    assert "<h1>Vos codes de secours</h1>" in text(renewed)
    new = shown_codes(renewed)
    assert len(new) == 10
    assert not set(new) & set(old)
    event = AuditEvent.objects.get(action="account.recovery_codes_renew")
    assert event.actor_user == organiser
    assert event.details == {}

    client.post(reverse("accounts:logout"))
    assert sign_in_with_code(client, new[0]).status_code == 302
    client.post(reverse("accounts:logout"))
    refused = sign_in_with_code(client, old[0])
    assert "Ce code de secours ne fonctionne pas" in text(refused)
    assert not signed_in(client)


def test_a_new_set_needs_the_code_from_the_app(client, organiser):
    device, response = turn_on(client)
    old = shown_codes(response)
    right = code_for(device, steps_ahead=1)
    wrong = f"{(int(right) + 7) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:recovery_codes_renew"), {"renew_code": wrong})
    assert refused.status_code == 400
    page = text(refused)
    assert "Ce code n'est pas le bon : vos codes de secours n'ont pas changé." in page
    assert "Il vous reste 10 codes de secours." in page
    assert old[0] not in page

    # A recovery code is no proof of having the phone: it will not do.
    refused = client.post(reverse("accounts:recovery_codes_renew"), {"renew_code": old[0]})
    assert refused.status_code == 400
    assert "Saisissez les 6 chiffres affichés par votre application." in text(refused)

    assert not AuditEvent.objects.filter(action="account.recovery_codes_renew").exists()
    client.post(reverse("accounts:logout"))
    assert sign_in_with_code(client, old[0]).status_code == 302


def test_the_security_page_has_two_distinct_code_fields(client, organiser):
    turn_on(client)
    page = client.get(reverse("accounts:security")).text
    assert page.count('id="id_code"') == 1
    assert page.count('id="id_renew_code"') == 1
    assert 'for="id_renew_code"' in page
    assert 'aria-describedby="id_renew_code_helptext"' in page


# --- Turned off --------------------------------------------------------------------------------


def test_turning_it_off_removes_the_codes(client, organiser):
    device, response = turn_on(client)
    old = shown_codes(response)
    client.post(reverse("accounts:totp_disable"), {"code": code_for(device, steps_ahead=1)})
    assert not StaticDevice.objects.filter(user=organiser).exists()
    page = text(client.get(reverse("accounts:security")))
    assert "Codes de secours" not in page

    # Turned on again later: a new set, the old codes do not come back.
    _device, response = turn_on(client)
    assert not set(shown_codes(response)) & set(old)
    client.post(reverse("accounts:logout"))
    refused = sign_in_with_code(client, old[0])
    assert "Ce code de secours ne fonctionne pas" in text(refused)
    assert not signed_in(client)

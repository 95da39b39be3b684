"""Staff accounts: sign-in throttling, passwords and the second factor, each write audited.

Throttling counts failed sign-ins in the cache (`retex.core.ratelimit`, Redis in production):
after RETEX_LOGIN_FAILURES_PER_ACCOUNT failures for an account name, or
RETEX_LOGIN_FAILURES_PER_IP from one address, within RETEX_LOGIN_LOCK_MINUTES, sign-in is
refused for that name or address for RETEX_LOGIN_LOCK_MINUTES, whatever the password. A wrong
second-factor code (from the app, or a recovery code) counts as a failure of its account; a
complete sign-in clears the account's count.
"""

import hashlib
import re
from base64 import b32encode
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from retex.audit.services import audit_record
from retex.consultations.enums import MembershipRole
from retex.core.ratelimit import rate_limit_exceeded, rate_limit_reset

USER_TARGET = "auth.user"


# --- Sign-in throttling ------------------------------------------------------------------------


def _lock_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"login-lock:{scope}:{digest}"


def _throttle_keys(*, username: str, ip: str) -> list[tuple[str, str, int]]:
    """(scope, key, failures allowed) for each counter a sign-in attempt falls under."""
    account = username.strip().casefold()
    keys = [("login-account", account, settings.RETEX_LOGIN_FAILURES_PER_ACCOUNT)]
    if ip:
        keys.append(("login-ip", ip, settings.RETEX_LOGIN_FAILURES_PER_IP))
    return keys


def login_retry_at(*, username: str, ip: str) -> datetime | None:
    """When sign-in may be tried again for this account name or address, if it is locked."""
    locks = cache.get_many(
        [_lock_key(scope, key) for scope, key, _ in _throttle_keys(username=username, ip=ip)]
    )
    if not locks:
        return None
    return datetime.fromtimestamp(max(locks.values()), tz=timezone.get_current_timezone())


def _user_named(username: str):
    return get_user_model().objects.filter(username=username).first()


def login_failure_record(*, username: str, ip: str, step: str = "password") -> datetime | None:
    """Count and audit a failed sign-in (a wrong password or code); return when sign-in may be
    tried again if this failure locks it."""
    period = settings.RETEX_LOGIN_LOCK_MINUTES * 60
    retry_at = None
    for scope, key, allowed in _throttle_keys(username=username, ip=ip):
        # The counter trips on the `allowed`-th failure: the next attempt is refused.
        if rate_limit_exceeded(scope=scope, key=key, limit=allowed - 1, period_seconds=period):
            until = timezone.now() + timedelta(seconds=period)
            cache.set(_lock_key(scope, key), until.timestamp(), timeout=period)
            retry_at = max(retry_at, until) if retry_at else until
    # An unknown name is not kept: people sometimes type their password in that field.
    user = _user_named(username)
    audit_record(
        action="account.login_failed",
        target=user,
        target_type=USER_TARGET,
        details={"ip": ip, "step": step, "locked": retry_at is not None},
    )
    return retry_at


def login_throttled_record(*, username: str, ip: str) -> None:
    """Audit an attempt refused because its account name or address is locked."""
    audit_record(
        action="account.login_throttled",
        target=_user_named(username),
        target_type=USER_TARGET,
        details={"ip": ip},
    )


def login_success_record(
    *, user: AbstractBaseUser, ip: str, second_factor: bool, recovery_code: bool = False
) -> None:
    """Audit a sign-in, and forget the account's earlier failures: a few typos spread over
    weeks must not lock its owner out. (The address's count stays: one address trying many
    accounts is still stopped.) A sign-in with a recovery code says so (never the code)."""
    rate_limit_reset(scope="login-account", key=user.get_username().strip().casefold())
    details = {"ip": ip, "second_factor": second_factor}
    if recovery_code:
        details["recovery_code"] = True
    audit_record(action="account.login", target=user, actor_user=user, details=details)


# --- Passwords ---------------------------------------------------------------------------------


@transaction.atomic
def account_password_change(*, user: AbstractBaseUser, password: str, through_link: bool = False):
    """Set a password already checked by the validators (AUTH_PASSWORD_VALIDATORS)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action="account.password_set" if through_link else "account.password_change",
        target=user,
        actor_user=user,
    )
    return user


def password_reset_request_record(*, user: AbstractBaseUser, ip: str) -> None:
    audit_record(action="account.password_reset_request", target=user, details={"ip": ip})


# --- Second factor (TOTP: a code from an app on the phone) -------------------------------------


def user_organises_a_consultation(user: AbstractBaseUser) -> bool:
    """Organisers are told to turn on the second factor: they can change everything."""
    return user.consultation_memberships.filter(role=MembershipRole.ORGANISER).exists()


def totp_device(user: AbstractBaseUser, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@transaction.atomic
def totp_setup_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """A new secret, not active until confirmed with a code (any earlier draft is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


class TotpEnabled(NamedTuple):
    device: TOTPDevice
    recovery_codes: list[str]  # shown once to the user, then never again


@transaction.atomic
def totp_setup_confirm(*, user: AbstractBaseUser, token: str) -> TotpEnabled | None:
    """Turn the second factor on once the phone gives a right code, with a first set of
    recovery codes; None if the code is wrong."""
    draft = totp_device(user, confirmed=False)
    if draft is None or verify_token(user, draft.persistent_id, token.strip()) is None:
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    draft.confirmed = True
    draft.save(update_fields=["confirmed"])
    audit_record(action="account.totp_enable", target=user, actor_user=user)
    return TotpEnabled(device=draft, recovery_codes=_recovery_codes_replace(user))


@transaction.atomic
def totp_disable(*, user: AbstractBaseUser, token: str) -> bool:
    """Turn the second factor off, proven by a current code, and drop the recovery codes with
    it; False if the code is wrong."""
    device = totp_device(user)
    if device is None or verify_token(user, device.persistent_id, token.strip()) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # and their codes, by cascade
    audit_record(action="account.totp_disable", target=user, actor_user=user)
    return True


def totp_check(*, user: AbstractBaseUser, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code, if any: six digits are checked against the app, a
    recovery code against the account's unused ones (and is used up). django-otp refuses an
    app code used already, and slows down repeated failures of either kind."""
    device = totp_device(user)
    if device is None:
        return None
    code = token.strip().replace(" ", "")
    if recovery := recovery_code_clean(code):
        static = recovery_device(user)
        if static is None:
            return None
        return verify_token(user, static.persistent_id, recovery)
    return verify_token(user, device.persistent_id, code)


def is_recovery_device(device: object) -> bool:
    """Whether a sign-in was completed with a recovery code rather than the app."""
    return isinstance(device, StaticDevice)


# --- Recovery codes (for a lost phone: each works once, instead of the app's code) -------------

RECOVERY_CODES_COUNT = 10
# Recovery codes run low: the user is told to make new ones at each sign-in.
RECOVERY_CODES_LOW = 2
# django-otp's StaticToken.random_token(): 8 characters of lower-case base32 (a-z, 2-7).
_RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def recovery_code_clean(text: str) -> str | None:
    """A recovery code as stored, from what a person typed ("ABCD-2345", "abcd 2345"…); None
    if the text cannot be one."""
    code = re.sub(r"[\s-]", "", text).lower()
    return code if _RECOVERY_CODE.fullmatch(code) else None


def recovery_code_display(code: str) -> str:
    """A recovery code as shown to be written down: two groups of four ("abcd-2345")."""
    return f"{code[:4]}-{code[4:]}"


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user).order_by("pk").first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _recovery_codes_replace(user: AbstractBaseUser) -> list[str]:
    """A new set of recovery codes for the account; the earlier ones stop working. (The device
    holding them stays: a session signed in with one of them still names it.)"""
    device = recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    else:
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        device.throttle_reset()  # proven by the app's code: no wait for the new codes
    codes = []
    while len(codes) < RECOVERY_CODES_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: AbstractBaseUser, token: str) -> list[str] | None:
    """A new set of recovery codes, proven by a current code from the app (not a recovery
    code); None if the code is wrong or the second factor is off. The codes are never
    audited."""
    device = totp_device(user)
    if device is None or verify_token(user, device.persistent_id, token.strip()) is None:
        return None
    codes = _recovery_codes_replace(user)
    audit_record(action="account.recovery_codes_renew", target=user, actor_user=user)
    return codes

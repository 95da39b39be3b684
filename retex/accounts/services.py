"""Staff accounts: sign-in throttling, passwords and the second factor, each write audited.

Throttling counts failed sign-ins in the cache (`retex.core.ratelimit`, Redis in production):
after RETEX_LOGIN_FAILURES_PER_ACCOUNT failures for an account name, or
RETEX_LOGIN_FAILURES_PER_IP from one address, within RETEX_LOGIN_LOCK_MINUTES, sign-in is
refused for that name or address for RETEX_LOGIN_LOCK_MINUTES, whatever the password. A wrong
second-factor code counts as a failure of its account; a complete sign-in clears the
account's count.
"""

import hashlib
from base64 import b32encode
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
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


def login_success_record(*, user: AbstractBaseUser, ip: str, second_factor: bool) -> None:
    """Audit a sign-in, and forget the account's earlier failures: a few typos spread over
    weeks must not lock its owner out. (The address's count stays: one address trying many
    accounts is still stopped.)"""
    rate_limit_reset(scope="login-account", key=user.get_username().strip().casefold())
    audit_record(
        action="account.login",
        target=user,
        actor_user=user,
        details={"ip": ip, "second_factor": second_factor},
    )


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


@transaction.atomic
def totp_setup_confirm(*, user: AbstractBaseUser, token: str) -> TOTPDevice | None:
    """Turn the second factor on once the phone gives a right code; None if the code is
    wrong."""
    draft = totp_device(user, confirmed=False)
    if draft is None or verify_token(user, draft.persistent_id, token.strip()) is None:
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    draft.confirmed = True
    draft.save(update_fields=["confirmed"])
    audit_record(action="account.totp_enable", target=user, actor_user=user)
    return draft


@transaction.atomic
def totp_disable(*, user: AbstractBaseUser, token: str) -> bool:
    """Turn the second factor off, proven by a current code; False if the code is wrong."""
    device = totp_device(user)
    if device is None or verify_token(user, device.persistent_id, token.strip()) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(action="account.totp_disable", target=user, actor_user=user)
    return True


def totp_check(*, user: AbstractBaseUser, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, if any (django-otp refuses a code used
    already, and slows down repeated failures)."""
    device = totp_device(user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, token.strip())

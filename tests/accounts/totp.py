"""What an authenticator app computes from the secret it scanned or was typed into it."""

from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an app shows now, or `steps_ahead` periods of 30 s later (a code is accepted
    once only; the next period's code is accepted too, for clocks slightly ahead)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def code_from_secret(secret: str) -> str:
    """The code for the secret as the set-up page shows it to type by hand ("ABCD EFGH …")."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"

"""Staff sign-in (throttled), second-factor codes, and the password forms."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retex.accounts import services
from retex.core.email import absolute_url, email_send_after_commit
from retex.core.ratelimit import client_ip


def _hour(moment: datetime) -> str:
    moment = timezone.localtime(moment)
    if (get_language() or "").startswith("fr"):
        return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def throttled_error(retry_at: datetime) -> ValidationError:
    return ValidationError(
        _(
            "Too many failed sign-in attempts. For your security, sign-in is paused: try again"
            " from %(hour)s."
        ),
        code="throttled",
        params={"hour": _hour(retry_at)},
    )


class StaffAuthenticationForm(auth_forms.AuthenticationForm):
    """Django's sign-in form, refusing attempts while an account name or address is locked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        ip = client_ip(self.request)
        if retry_at := services.login_retry_at(username=username, ip=ip):
            services.login_throttled_record(username=username, ip=ip)
            raise throttled_error(retry_at)
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            retry_at = services.login_failure_record(username=username, ip=ip)
            if retry_at:
                raise throttled_error(retry_at)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _app_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from your app"),
        max_length=12,
        help_text=_("6 digits, shown by the authenticator app on your phone."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "size": "8",
                "class": "code-input",
            }
        ),
    )


def _six_digits(value: str) -> str:
    code = value.replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        raise ValidationError(_("Type the 6 digits shown by your app."))
    return code


class CodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    code = _app_code_field()

    def clean_code(self) -> str:
        return _six_digits(self.cleaned_data["code"])


class RecoveryCodesRenewForm(forms.Form):
    """The app's six digits again, for new recovery codes: a field of its own, since the
    security page shows it next to the one that turns the second factor off."""

    renew_code = _app_code_field()

    def clean_renew_code(self) -> str:
        return _six_digits(self.cleaned_data["renew_code"])


class SignInCodeForm(forms.Form):
    """The second step of a sign-in: the app's six digits, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your app, or a recovery code"),
        max_length=20,
        help_text=_(
            "6 digits, shown by the authenticator app on your phone. Without your phone: one"
            " of your recovery codes (8 letters and digits, such as abcd-2345)."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "size": "10",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        typed = self.cleaned_data["code"].strip()
        if recovery := services.recovery_code_clean(typed):
            return recovery
        code = typed.replace(" ", "")
        if code.isdigit():
            if len(code) != 6:
                raise ValidationError(
                    _("A code from your app has 6 digits: type the code it shows now.")
                )
            return code
        raise ValidationError(
            _(
                "Type the 6 digits shown by your app, or one of your recovery codes: 8 letters"
                " and digits, such as abcd-2345."
            )
        )

    @property
    def recovery_code_typed(self) -> bool:
        return services.recovery_code_clean(self.cleaned_data.get("code", "")) is not None


def password_hint() -> str:
    """The rules of AUTH_PASSWORD_VALIDATORS in one sentence (Django's own hint is a list)."""
    min_length = next(
        (
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ),
        8,
    )
    return _(
        "At least %(count)d characters, not only digits, not a common password, and not close"
        " to your name or e-mail. A sentence of a few words is easy to remember."
    ) % {"count": min_length}


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_hint()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_hint()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with our e-mail: French, queued, and a link to the site's own address
    (never the Host header of the request)."""

    def get_users(self, email):
        # Invited staff have no usable password until they choose one: they may ask again.
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "accounts:password_set", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        body = render_to_string(
            "accounts/emails/password_reset.txt",
            {
                "user": context["user"],
                "link": absolute_url(path),
                "site_name": settings.RETEX_SITE_NAME,
                "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
        )
        email_send_after_commit(to=to_email, subject=str(_("Choose a new password")), body=body)

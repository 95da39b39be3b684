"""Staff sign-in (with a second step for those who turned on the second factor), sign-out,
account security, and the password pages. Authors never need an account."""

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_otp import login as otp_login

from retex.accounts import services
from retex.accounts.forms import (
    CodeForm,
    PasswordChangeForm,
    PasswordResetForm,
    RecoveryCodesRenewForm,
    SetPasswordForm,
    SignInCodeForm,
    StaffAuthenticationForm,
    throttled_error,
)
from retex.accounts.middleware import session_start
from retex.core.forms import describe_fields
from retex.core.ratelimit import client_ip, rate_limit_exceeded

# Between the password and the code: who is signing in, since when, and where they go next.
PENDING_SIGN_IN = "retex_pending_sign_in"
PENDING_SIGN_IN_SECONDS = 5 * 60


def _sign_in(request: HttpRequest, user, *, backend: str, next_url: str, device=None):
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    session_start(request)
    services.login_success_record(
        user=user,
        ip=client_ip(request),
        second_factor=bool(device),
        recovery_code=services.is_recovery_device(device),
    )
    if device is not None:
        _recovery_codes_low_warn(request, user)
    if device is None and services.user_organises_a_consultation(user):
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "You organise a consultation: protect your account with two-step"
                    " verification (a code from your phone when you sign in)."
                ),
                reverse("accounts:security"),
                _("Turn on two-step verification"),
            ),
        )
    return HttpResponseRedirect(next_url)


def _recovery_codes_low_warn(request: HttpRequest, user) -> None:
    """Few recovery codes left (or none yet, for those who turned the second factor on before
    they existed): say so at each sign-in until new ones are made."""
    left = services.recovery_codes_left(user)
    if left > services.RECOVERY_CODES_LOW:
        return
    if left == 0:
        text = _(
            "You have no recovery codes: without your phone, you could not sign in. Make some now."
        )
    else:
        text = ngettext(
            "Only %(count)d recovery code is left: make new ones before you run out.",
            "Only %(count)d recovery codes are left: make new ones before you run out.",
            left,
        ) % {"count": left}
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            text,
            reverse("accounts:security") + "#recovery-codes-title",
            _("Make new recovery codes"),
        ),
    )


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = StaffAuthenticationForm

    def dispatch(self, request, *args, **kwargs):
        # Signed in already: straight to the back office, unless a page sent them here for
        # rights they lack (the admin): then they may sign in with another account.
        if request.user.is_authenticated and not self.get_redirect_url():
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        describe_fields(context["form"])
        return context

    def form_valid(self, form):
        user = form.get_user()
        if services.totp_device(user) is not None:
            self.request.session[PENDING_SIGN_IN] = {
                "user": user.pk,
                "backend": user.backend,
                "since": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login_code")
        return _sign_in(self.request, user, backend=user.backend, next_url=self.get_success_url())


def _pending_sign_in(request: HttpRequest):
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending or time.time() - pending["since"] > PENDING_SIGN_IN_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else (None, None)


@never_cache
@sensitive_post_parameters("code")
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a sign-in, for accounts with two-step verification."""
    user, pending = _pending_sign_in(request)
    if user is None:
        request.session.pop(PENDING_SIGN_IN, None)
        messages.info(request, _("Sign in again: the code is asked for right after the password."))
        return redirect("accounts:login")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        username = user.get_username()
        retry_at = services.login_retry_at(username=username, ip=ip)
        device = None
        if retry_at:
            services.login_throttled_record(username=username, ip=ip)
            form.add_error(None, throttled_error(retry_at))
        else:
            device = services.totp_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING_SIGN_IN]
            return _sign_in(
                request, user, backend=pending["backend"], next_url=pending["next"], device=device
            )
        if not retry_at:
            retry_at = services.login_failure_record(username=username, ip=ip, step="code")
            if retry_at:
                error = throttled_error(retry_at)
            elif form.recovery_code_typed:
                error = _(
                    "This recovery code does not work: it is wrong, or it has been used"
                    " already (each one works once). Check it, or type another one."
                )
            else:
                error = _(
                    "This code is not the right one. Type the code your app shows now: it"
                    " changes every 30 seconds."
                )
            form.add_error(None, error)
    describe_fields(form)
    return render(request, "accounts/login_code.html", {"form": form})


class StaffLogoutView(auth_views.LogoutView):
    pass


# --- Account security --------------------------------------------------------------------------


def _security_page(
    request: HttpRequest,
    *,
    disable_form: CodeForm | None = None,
    recovery_form: RecoveryCodesRenewForm | None = None,
    status=200,
):
    device = services.totp_device(request.user)
    if device is not None:
        disable_form = disable_form or CodeForm()
        recovery_form = recovery_form or RecoveryCodesRenewForm()
        describe_fields(disable_form)
        describe_fields(recovery_form)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "disable_form": disable_form,
            "recovery_form": recovery_form,
            "recovery_codes_left": services.recovery_codes_left(request.user),
            "recovery_codes_low": services.RECOVERY_CODES_LOW,
            "organiser": services.user_organises_a_consultation(request.user),
            "idle_minutes": settings.RETEX_STAFF_IDLE_MINUTES,
            "session_hours": settings.RETEX_STAFF_SESSION_HOURS,
        },
        status=status,
    )


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@login_required
@require_POST
def totp_start(request: HttpRequest) -> HttpResponse:
    services.totp_setup_start(user=request.user)
    return redirect("accounts:totp_setup")


def _qr_code_svg(device) -> str:
    """The otpauth:// address as an inline SVG QR code, black on white, with a text title."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code to scan with your app")
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escapes its input


@login_required
@never_cache
@sensitive_post_parameters("code")
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Scan (or type) the secret, then prove it works with a code: only then is it active."""
    draft = services.totp_device(request.user, confirmed=False)
    if draft is None:
        return redirect("accounts:security")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enabled = services.totp_setup_confirm(user=request.user, token=form.cleaned_data["code"])
        if enabled is not None:
            otp_login(request, enabled.device)
            messages.success(
                request,
                _("Two-step verification is on: your app's code will be asked at each sign-in."),
            )
            return _recovery_codes_page(request, enabled.recovery_codes)
        form.add_error(
            "code",
            _(
                "This code is not the right one. Check that your phone is on time, then type the"
                " code your app shows now."
            ),
        )
    describe_fields(form)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr_code": _qr_code_svg(draft), "secret": services.totp_secret(draft)},
    )


@login_required
@require_POST
@sensitive_post_parameters("code")
def totp_disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        if services.totp_disable(user=request.user, token=form.cleaned_data["code"]):
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:security")
        form.add_error("code", _("This code is not the right one: two-step verification stays on."))
    return _security_page(request, disable_form=form, status=400)


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The recovery codes, shown this once: in the answer to the form that made them, never
    kept anywhere else to be shown again."""
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": [services.recovery_code_display(code) for code in codes]},
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
@sensitive_post_parameters("renew_code")
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, the earlier ones stop working."""
    if services.totp_device(request.user) is None:
        return redirect("accounts:security")
    form = RecoveryCodesRenewForm(request.POST)
    if form.is_valid():
        codes = services.recovery_codes_renew(
            user=request.user, token=form.cleaned_data["renew_code"]
        )
        if codes is not None:
            return _recovery_codes_page(request, codes)
        form.add_error(
            "renew_code", _("This code is not the right one: your recovery codes are unchanged.")
        )
    return _security_page(request, recovery_form=form, status=400)


# --- Passwords ---------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        describe_fields(context["form"])
        return context

    def form_valid(self, form):
        user = services.account_password_change(
            user=self.request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgotten password": the same answer whether or not the address has an account."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_sent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        describe_fields(context["form"])
        return context

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(self.request)
        limited = rate_limit_exceeded(
            scope="password-reset-ip", key=ip, limit=10, period_seconds=3600
        ) or rate_limit_exceeded(
            scope="password-reset-email", key=email, limit=3, period_seconds=3600
        )
        if limited:
            return HttpResponseRedirect(self.get_success_url())
        for user in form.get_users(email):
            services.password_reset_request_record(user=user, ip=ip)
        return super().form_valid(form)


class PasswordResetSentView(TemplateView):
    template_name = "accounts/password_reset_sent.html"


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a password through an e-mailed link: a new team member's first one, or after
    "forgotten password"."""

    template_name = "accounts/password_set.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:login")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("form") is not None:
            describe_fields(context["form"])
        return context

    def form_valid(self, form):
        services.account_password_change(
            user=form.user, password=form.cleaned_data["new_password1"], through_link=True
        )
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password is saved: sign in with it."))
        return HttpResponseRedirect(self.get_success_url())

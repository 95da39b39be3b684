"""The author's journey: write a testimony, confirm it, edit or withdraw it, find its link.

Views translate HTTP; forms translate fields; every decision is a service's. Whatever happens
(an error, a closed consultation, an expired session, a limit reached), what the author typed
and the files they sent are shown again.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retex.consultations.models import Consultation
from retex.consultations.services import AudienceVerdict, audience_check
from retex.contributions import services
from retex.contributions.enums import LinkPurpose, TestimonyStatus, transition_allowed
from retex.contributions.forms import (
    TERRITORY_KINDS,
    LinksResendForm,
    TestimonyContentForm,
    TestimonyEditForm,
    TestimonySubmitForm,
    UploadsOutcome,
    content_initial,
    uploads_update,
)
from retex.contributions.models import Testimony
from retex.contributions.selectors import tool_names_for_suggestions
from retex.core.ratelimit import client_ip, rate_limit_exceeded
from retex.territories.models import Territory
from retex.territories.selectors import territory_search
from retex.territories.views import territory_label

# The "check your mail" page shows the address the link went to. It travels in a signed,
# short-lived cookie rather than the session: a submission then writes no session row.
SENT_COOKIE = "retex_sent_to"
SENT_COOKIE_SALT = "retex.contributions.sent-to"
SENT_COOKIE_SECONDS = 3600
SEARCH_BUTTON = "_search_territory"
SEARCH_RESULTS = 10
RESEND_PER_IP_PER_HOUR = 10
RESEND_PER_EMAIL_PER_HOUR = 3
HOUR = 3600
DAY = 24 * HOUR
# "Beauvais (Oise)", as the page shows a chosen place, searches for "Beauvais".
_LABEL_DETAIL = re.compile(r"\s*\([^)]*\)\s*$")


# --- Shared pieces -----------------------------------------------------------------------------


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("audience_rule"), slug=slug)


def _verdict(consultation: Consultation, territory: Territory) -> AudienceVerdict:
    rule = getattr(consultation, "audience_rule", None)
    if rule is None:
        return AudienceVerdict(in_audience=True, accepted=True)
    return audience_check(rule=rule, territory=territory)


def audience_summary(consultation: Consultation, territory: Territory) -> dict:
    """What the page says once a local authority is chosen, in words and as a tone."""
    verdict = _verdict(consultation, territory)
    if verdict.in_audience:
        message = _("%(name)s is in the audience of this consultation.") % {"name": territory.name}
        tone = "ok"
    elif verdict.accepted:
        message = _("Outside the target audience: your testimony will be flagged as such.")
        tone = "warning"
    else:
        message = _("This consultation does not take testimonies from %(name)s.") % {
            "name": territory.name
        }
        tone = "refused"
    return {
        "in_audience": verdict.in_audience,
        "accepted": verdict.accepted,
        "explanation": verdict.explanation,
        "message": message,
        "tone": tone,
    }


def _territory_facts(territory: Territory) -> dict:
    return {
        "id": territory.pk,
        "label": territory_label(territory),
        "kind_label": territory.get_kind_display(),
        "population": territory.population,
    }


def _territory_step(form: TestimonySubmitForm, consultation: Consultation, *, search: bool) -> dict:
    """The "who" step: the place chosen, or the places matching what was typed (without
    JavaScript, a search shows them as radio buttons, each with the audience's answer)."""
    chosen = form.chosen_territory()
    query = (form.data.get("territory_query", "") if form.is_bound else "").strip()
    step = {"chosen": None, "matches": None, "query": query}
    if search or (form.is_bound and chosen is None and query):
        words = _LABEL_DETAIL.sub("", query)
        territories = (
            list(territory_search(query=words, kinds=TERRITORY_KINDS, limit=SEARCH_RESULTS))
            if words
            else []
        )
        found = Territory.objects.select_related("departement", "region").in_bulk(
            [territory.pk for territory in territories]
        )
        matches = []
        for territory in territories:
            full = found[territory.pk]
            summary = audience_summary(consultation, full)
            matches.append(
                {
                    **_territory_facts(full),
                    "verdict": summary,
                    "checked": chosen is not None and chosen.pk == full.pk,
                    "disabled": not summary["accepted"],
                }
            )
        if len(matches) == 1 and not matches[0]["disabled"]:
            matches[0]["checked"] = True
        step["matches"] = matches
        return step
    if chosen is not None:
        step["chosen"] = {**_territory_facts(chosen), "territory": chosen}
        step["verdict"] = audience_summary(consultation, chosen)
    return step


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _privacy_contact(consultation: Consultation) -> dict:
    return {"email": consultation.contact_email, "organisers": consultation.organiser_names}


def _form_context(
    request: HttpRequest,
    form: TestimonyContentForm,
    *,
    upload_batch: str,
    uploads: UploadsOutcome | None,
    show_errors: bool,
    **extra,
) -> dict:
    if uploads and uploads.refusals:
        for message in uploads.refusals:
            form.add_error("attachments", message)
        show_errors = True
    form.describe_fields()
    return {
        "form": form,
        "consultation": form.consultation,
        "theme_groups": form.theme_groups(),
        "error_summary": form.error_summary() if show_errors and form.errors else [],
        "upload_batch": upload_batch,
        "staged": uploads.staged if uploads else [],
        "tool_names": tool_names_for_suggestions(),
        "privacy": _privacy_contact(form.consultation),
        "link_days": settings.RETEX_CONFIRMATION_LINK_DAYS,
        **extra,
    }


# --- Writing a testimony -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if request.method == "POST":
        return _create_post(request, consultation)
    closed = services.consultation_accepts_testimonies(consultation)
    form = TestimonySubmitForm(consultation=consultation)
    return _render_create(
        request,
        form,
        upload_batch=form.upload_batch_value(),
        uploads=None,
        show_errors=False,
        closed=closed,
        show_form=not closed,
    )


def _render_create(
    request: HttpRequest, form: TestimonySubmitForm, *, status=200, search=False, **kw
):
    consultation = form.consultation
    if form.is_bound and not search:
        chosen = form.chosen_territory()
        if chosen is not None:
            # A place picked among radio buttons is shown by its name from now on (only
            # when the page is drawn again: a successful submission needs no label).
            form.data["territory_query"] = territory_label(chosen)
    step = _territory_step(form, consultation, search=search)
    context = _form_context(
        request,
        form,
        territory_step=step,
        anonymous_territory=step["chosen"]["territory"] if step["chosen"] else None,
        mode="create",
        draft_key=f"retex-draft:consultation:{consultation.slug}",
        **kw,
    )
    context.setdefault("show_form", True)
    return render(request, "contributions/testimony_form.html", context, status=status)


def _create_post(
    request: HttpRequest, consultation: Consultation, *, session_expired: bool = False
) -> HttpResponse:
    data = request.POST.copy()
    searching = SEARCH_BUTTON in data
    form = TestimonySubmitForm(data, request.FILES, consultation=consultation)
    upload_batch = form.upload_batch_value()
    uploads = uploads_update(
        upload_batch=upload_batch,
        files=request.FILES.getlist("attachments"),
        discard_ids=data.getlist("remove_staged"),
    )
    render_again = {"upload_batch": upload_batch, "uploads": uploads}

    if session_expired:
        form.hide_errors()
        return _render_create(
            request,
            form,
            status=403,
            show_errors=False,
            notice=_("Your session has expired: check, then send again. Nothing has been lost."),
            **render_again,
        )
    closed = services.consultation_accepts_testimonies(consultation)
    if closed:
        form.hide_errors()
        return _render_create(request, form, show_errors=False, closed=closed, **render_again)
    if searching:
        form.hide_errors()
        return _render_create(request, form, search=True, show_errors=False, **render_again)
    if not form.is_valid() or uploads.refusals:
        return _render_create(request, form, show_errors=True, **render_again)

    email = form.cleaned_data["author_email"]
    if form.is_robot():
        # Answered as if it worked: a robot learns nothing from the page.
        return _redirect_to_sent(consultation, email)
    limited = _submission_limit_reached(request, email)
    if limited:
        form.hide_errors()
        return _render_create(
            request, form, status=429, show_errors=False, notice=limited, **render_again
        )
    try:
        services.testimony_submit(
            consultation=consultation,
            territory=form.cleaned_data["territory"],
            content=form.content(),
            author_name=form.cleaned_data["author_name"],
            author_role=form.cleaned_data["author_role"],
            author_email=email,
            publication_consent=form.cleaned_data["publication_consent"],
            upload_batch=upload_batch,
        )
    except ValidationError as error:
        _apply_service_errors(form, error)
        return _render_create(request, form, show_errors=True, **render_again)
    return _redirect_to_sent(consultation, email)


def _redirect_to_sent(consultation: Consultation, email: str) -> HttpResponse:
    response = redirect("contributions:sent", slug=consultation.slug)
    response.set_signed_cookie(
        SENT_COOKIE,
        email,
        salt=SENT_COOKIE_SALT,
        max_age=SENT_COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _create_after_csrf_failure(request: HttpRequest, slug: str) -> HttpResponse:
    return _create_post(request, _consultation(slug), session_expired=True)


# Called by retex.core.views.csrf_failure: the form comes back filled instead of a bare 403.
create.redisplay_after_csrf_failure = _create_after_csrf_failure


def _submission_limit_reached(request: HttpRequest, email: str) -> str | None:
    if rate_limit_exceeded(
        scope="testimony-submit-ip",
        key=client_ip(request),
        limit=settings.RETEX_SUBMISSIONS_PER_IP_PER_HOUR,
        period_seconds=HOUR,
    ):
        return _(
            "Many testimonies have been sent from your connection in the last hour, more than "
            "this site accepts. Your text is kept below: send it again in an hour."
        )
    if rate_limit_exceeded(
        scope="testimony-submit-email",
        key=email.strip().lower(),
        limit=settings.RETEX_SUBMISSIONS_PER_EMAIL_PER_DAY,
        period_seconds=DAY,
    ):
        return _(
            "Many testimonies have been sent with this e-mail address today, more than this "
            "site accepts. Your text is kept below: send it again tomorrow."
        )
    return None


@require_GET
def audience(request: HttpRequest, slug: str) -> JsonResponse:
    """What the audience rule says of a place, for the page's autocompletion."""
    consultation = _consultation(slug)
    try:
        pk = int(request.GET.get("territory", ""))
    except ValueError as error:
        raise Http404 from error
    territory = get_object_or_404(Territory, pk=pk, kind__in=TERRITORY_KINDS)
    return JsonResponse(audience_summary(consultation, territory))


@require_GET
def sent(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    return render(
        request,
        "contributions/sent.html",
        {
            "consultation": consultation,
            "email": request.get_signed_cookie(
                SENT_COOKIE, default="", salt=SENT_COOKIE_SALT, max_age=SENT_COOKIE_SECONDS
            ),
            "link_days": settings.RETEX_CONFIRMATION_LINK_DAYS,
            "draft_key": f"retex-draft:consultation:{consultation.slug}",
        },
    )


# --- Links e-mailed to the author ---------------------------------------------------------


def _link_refused(request: HttpRequest, refusal: services.LinkRefused) -> HttpResponse:
    return render(
        request,
        "contributions/link_refused.html",
        {"message": refusal.message, "expired": refusal.expired, "form": LinksResendForm()},
        status=410 if refusal.expired else 400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and that must not confirm."""
    try:
        testimony = services.testimony_from_link(token=token, purpose=LinkPurpose.CONFIRM)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    if request.method == "POST":
        try:
            services.testimony_confirm(testimony=testimony)
        except ValidationError as error:
            return render(
                request,
                "contributions/confirm.html",
                {"testimony": testimony, "error": " ".join(error.messages)},
                status=410,
            )
        return redirect(request.path)
    return render(
        request,
        "contributions/confirm.html",
        {"testimony": testimony, "consultation": testimony.consultation},
    )


def _testimony_state(testimony: Testimony) -> dict:
    status = TestimonyStatus(testimony.status)
    return {
        "status": status,
        "label": status.label,
        "pending_revision": testimony.pending_revision,
        "can_withdraw": transition_allowed(status, TestimonyStatus.WITHDRAWN),
    }


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, token: str) -> HttpResponse:
    try:
        testimony = services.testimony_from_link(token=token, purpose=LinkPurpose.EDIT)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    refusal = services.testimony_edit_refusal(testimony)
    if refusal:
        return render(
            request,
            "contributions/edit_refused.html",
            {
                "testimony": testimony,
                "consultation": testimony.consultation,
                "refusal": refusal,
                "state": _testimony_state(testimony),
                "withdrawn_now": "retire" in request.GET,
            },
        )
    if request.method == "POST":
        return _edit_post(request, testimony, token)
    form = TestimonyEditForm(
        initial=content_initial(testimony),
        consultation=testimony.consultation,
        testimony=testimony,
    )
    return _render_edit(
        request,
        form,
        token=token,
        upload_batch=form.upload_batch_value(),
        uploads=None,
        show_errors=False,
        saved="enregistre" in request.GET,
    )


def _render_edit(request, form: TestimonyEditForm, *, token: str, status=200, **kw):
    testimony = form.testimony
    removed = form.selected("remove_attached")
    attached = [
        {"attachment": attachment, "removed": attachment.pk in removed}
        for attachment in testimony.attachments.all()
    ]
    context = _form_context(
        request,
        form,
        mode="edit",
        testimony=testimony,
        anonymous_territory=testimony.territory,
        token=token,
        attached=attached,
        state=_testimony_state(testimony),
        draft_key=f"retex-draft:testimony:{testimony.pk}",
        show_form=True,
        **kw,
    )
    return render(request, "contributions/testimony_form.html", context, status=status)


def _edit_post(
    request: HttpRequest, testimony: Testimony, token: str, *, session_expired: bool = False
) -> HttpResponse:
    form = TestimonyEditForm(
        request.POST, request.FILES, consultation=testimony.consultation, testimony=testimony
    )
    upload_batch = form.upload_batch_value()
    attached = testimony.attachments.count()
    published = testimony.status == TestimonyStatus.PUBLISHED
    # An unpublished testimony loses the unticked files at once; a published one keeps them
    # until a moderator accepts the new version.
    freed = 0 if published else len(form.selected("remove_attached"))
    uploads = uploads_update(
        upload_batch=upload_batch,
        files=request.FILES.getlist("attachments"),
        discard_ids=request.POST.getlist("remove_staged"),
        room=services.MAX_ATTACHMENTS - attached + freed,
    )
    render_again = {"token": token, "upload_batch": upload_batch, "uploads": uploads}
    if session_expired:
        form.hide_errors()
        return _render_edit(
            request,
            form,
            status=403,
            show_errors=False,
            notice=_("Your session has expired: check, then send again. Nothing has been lost."),
            **render_again,
        )
    if not form.is_valid() or uploads.refusals:
        return _render_edit(request, form, show_errors=True, **render_again)
    try:
        services.testimony_edit(
            testimony=testimony,
            content=form.content(),
            editor_name=form.cleaned_data["editor_name"],
            upload_batch=upload_batch,
            removed_attachment_ids=form.cleaned_data["remove_attached"],
        )
    except ValidationError as error:
        _apply_service_errors(form, error)
        return _render_edit(request, form, show_errors=True, **render_again)
    return redirect(reverse("contributions:edit", kwargs={"token": token}) + "?enregistre=1")


def _edit_after_csrf_failure(request: HttpRequest, token: str) -> HttpResponse:
    try:
        testimony = services.testimony_from_link(token=token, purpose=LinkPurpose.EDIT)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    if services.testimony_edit_refusal(testimony):
        return redirect("contributions:edit", token=token)
    return _edit_post(request, testimony, token, session_expired=True)


edit.redisplay_after_csrf_failure = _edit_after_csrf_failure


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The edit page's button leads here; only the second, explicit POST withdraws."""
    try:
        testimony = services.testimony_from_link(token=token, purpose=LinkPurpose.EDIT)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    error = ""
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.testimony_withdraw(
                testimony=testimony, editor_name=request.POST.get("editor_name", "")[:150]
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect(reverse("contributions:edit", kwargs={"token": token}) + "?retire=1")
    return render(
        request,
        "contributions/withdraw.html",
        {
            "testimony": testimony,
            "consultation": testimony.consultation,
            "token": token,
            "state": _testimony_state(testimony),
            "error": error,
            "editor_name": request.POST.get("editor_name", "")[:150],
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """The same neutral answer whether the address is known or not."""
    if request.method == "GET":
        return render(
            request,
            "contributions/resend.html",
            {"form": LinksResendForm(), "done": "envoye" in request.GET},
        )
    form = LinksResendForm(request.POST)
    if not form.is_valid():
        return render(request, "contributions/resend.html", {"form": form}, status=400)
    if rate_limit_exceeded(
        scope="links-resend-ip",
        key=client_ip(request),
        limit=RESEND_PER_IP_PER_HOUR,
        period_seconds=HOUR,
    ):
        form.add_error(
            None,
            _("Many links have been asked for from your connection: try again in an hour."),
        )
        return render(request, "contributions/resend.html", {"form": form}, status=429)
    email = form.cleaned_data["email"]
    # One address cannot be flooded with messages: over the limit, nothing more is sent.
    if not rate_limit_exceeded(
        scope="links-resend-email",
        key=email.strip().lower(),
        limit=RESEND_PER_EMAIL_PER_HOUR,
        period_seconds=HOUR,
    ):
        services.testimony_links_resend(email=email)
    return redirect(reverse("contributions:resend") + "?envoye=1")

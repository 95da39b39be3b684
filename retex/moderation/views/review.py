"""The review page of one testimony and the decisions taken from it.

Every action posts to its own address and, once done, comes back to the review page with a
message; a form with an error is shown again on the review page with what was typed.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retex.contributions.enums import TestimonyStatus
from retex.contributions.enums import transition_allowed as status_transition_allowed
from retex.contributions.models import Testimony
from retex.moderation import duplicates, selectors, services
from retex.moderation.access import StaffContext, staff_view
from retex.moderation.forms import (
    AcceptEditForm,
    DuplicateForm,
    ModeratorEditForm,
    PublishForm,
    QueueFilterForm,
    RejectForm,
    RequestChangesForm,
    UnpublishForm,
    filters_query,
    moderator_edit_initial,
)
from retex.moderation.selectors import QueueFilters

S = TestimonyStatus


def _testimony(staff: StaffContext, pk: int) -> Testimony:
    try:
        return selectors.testimony_for_review(consultation=staff.consultation, pk=pk)
    except Testimony.DoesNotExist as error:
        raise Http404 from error


def _filters(request: HttpRequest, staff: StaffContext) -> QueueFilters:
    return QueueFilterForm(request.GET, themes=selectors.themes_of(staff.consultation)).filters()


def _review_url(staff: StaffContext, testimony: Testimony, filters: QueueFilters) -> str:
    url = reverse("moderation:review", args=[staff.consultation.slug, testimony.pk])
    query = filters_query(filters)
    return f"{url}?{query}" if query else url


FAILED_FORMS = {
    "publish": "publish_form",
    "reject": "reject_form",
    "request_changes": "changes_form",
    "unpublish": "unpublish_form",
    "mark_duplicate": "duplicate_form",
    "accept_edit": "accept_form",
}


def _actions(testimony: Testimony) -> dict[str, bool]:
    """The decisions the testimony's state allows (the services check them again)."""
    status = testimony.status
    return {
        "publish": status_transition_allowed(status, S.PUBLISHED),
        "reject": status_transition_allowed(status, S.REJECTED),
        "request_changes": status_transition_allowed(status, S.CHANGES_REQUESTED),
        "mark_duplicate": status_transition_allowed(status, S.DUPLICATE),
        "unpublish": status_transition_allowed(status, S.UNPUBLISHED),
        "accept_edit": status == S.PUBLISHED and testimony.pending_revision_id is not None,
        "edit": status in services.MODERATOR_EDITABLE_STATES,
    }


def _render_review(
    request: HttpRequest,
    staff: StaffContext,
    testimony: Testimony,
    *,
    failed: str = "",
    status: int = 200,
    **bound,
) -> HttpResponse:
    """The review page; `bound` replaces a blank form by the one just posted (with its
    errors), and `failed` names the action whose form holds them."""
    filters = _filters(request, staff)
    similar = duplicates.similar_testimonies(testimony)
    pending = testimony.pending_revision
    corrections = services.corrections_since(pending) if pending else []
    forms = {
        "publish_form": PublishForm(testimony=testimony),
        "reject_form": RejectForm(),
        "changes_form": RequestChangesForm(),
        "unpublish_form": UnpublishForm(),
        "duplicate_form": DuplicateForm(testimony=testimony, suggestions=similar),
        "accept_form": AcceptEditForm(),
    }
    forms.update(bound)
    for form in forms.values():
        form.describe_fields()
    failed_form = forms.get(FAILED_FORMS.get(failed, ""))
    query = filters_query(filters)
    attachments = list(testimony.attachments.all())
    context = {
        "staff": staff,
        "testimony": testimony,
        "place": testimony.territory,
        "actions": _actions(testimony),
        "failed": failed,
        "error_summary": failed_form.error_summary() if failed_form is not None else [],
        "similar": similar,
        "versions": selectors.version_history(testimony),
        "pending_changes": selectors.pending_changes(testimony),
        "corrections": corrections,
        "decisions": selectors.decisions_of(testimony),
        "neighbours": selectors.queue_neighbours(
            consultation=staff.consultation, filters=filters, testimony=testimony
        ),
        "filters": filters,
        "filter_query": query,
        "query_suffix": f"?{query}" if query else "",
        "attachments": [item for item in attachments if not item.awaiting_moderation],
        "new_attachments": [item for item in attachments if item.awaiting_moderation],
        "removed_attachments": set(pending.content.get("removed_attachments", []))
        if pending
        else set(),
        **forms,
    }
    return render(request, "moderation/review.html", context, status=status)


@staff_view()
def review(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _render_review(request, staff, _testimony(staff, pk))


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _decide(
    request: HttpRequest,
    staff: StaffContext,
    pk: int,
    *,
    action: str,
    form_name: str,
    make_form: Callable,
    run: Callable,
    done: str,
) -> HttpResponse:
    """The shape every decision takes: check the form, call the service, come back."""
    testimony = _testimony(staff, pk)
    form = make_form(testimony)
    if form.is_valid():
        try:
            run(testimony, form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_review_url(staff, testimony, _filters(request, staff)))
    return _render_review(request, staff, testimony, failed=action, **{form_name: form})


@require_POST
@staff_view()
def publish(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="publish",
        form_name="publish_form",
        make_form=lambda testimony: PublishForm(request.POST, testimony=testimony),
        run=lambda testimony, form: services.testimony_publish(
            testimony=testimony, moderator=request.user, **form.choices()
        ),
        done=_("The testimony is published; its author has been told by e-mail."),
    )


@require_POST
@staff_view()
def reject(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="reject",
        form_name="reject_form",
        make_form=lambda testimony: RejectForm(request.POST),
        run=lambda testimony, form: services.testimony_reject(
            testimony=testimony, moderator=request.user, reason=form.reason_text()
        ),
        done=_("The testimony is rejected; its author has been sent the reason by e-mail."),
    )


@require_POST
@staff_view()
def request_changes(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="request_changes",
        form_name="changes_form",
        make_form=lambda testimony: RequestChangesForm(request.POST),
        run=lambda testimony, form: services.testimony_request_changes(
            testimony=testimony, moderator=request.user, reason=form.cleaned_data["message"]
        ),
        done=_("The author has been asked by e-mail to change the testimony."),
    )


@require_POST
@staff_view()
def unpublish(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="unpublish",
        form_name="unpublish_form",
        make_form=lambda testimony: UnpublishForm(request.POST),
        run=lambda testimony, form: services.testimony_unpublish(
            testimony=testimony, moderator=request.user, reason=form.cleaned_data["message"]
        ),
        done=_("The testimony is no longer published; its author has been told by e-mail."),
    )


@require_POST
@staff_view()
def mark_duplicate(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="mark_duplicate",
        form_name="duplicate_form",
        make_form=lambda testimony: DuplicateForm(
            request.POST,
            testimony=testimony,
            suggestions=duplicates.similar_testimonies(testimony),
        ),
        run=lambda testimony, form: services.testimony_mark_duplicate(
            testimony=testimony,
            moderator=request.user,
            duplicate_of=form.cleaned_data["duplicate_of"],
        ),
        done=_("The testimony is set aside as a duplicate; its author has been told by e-mail."),
    )


@require_POST
@staff_view()
def accept_edit(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        pk,
        action="accept_edit",
        form_name="accept_form",
        make_form=lambda testimony: AcceptEditForm(request.POST),
        run=lambda testimony, form: services.testimony_accept_edit(
            testimony=testimony,
            moderator=request.user,
            undo_corrections=form.cleaned_data["undo_corrections"],
        ),
        done=_("The author's changes are published; the author has been told by e-mail."),
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def edit(request: HttpRequest, staff: StaffContext, pk: int) -> HttpResponse:
    """Correct a typo or take personal data out: a new version; the author's stay as written."""
    testimony = _testimony(staff, pk)
    filters = _filters(request, staff)
    if testimony.status not in services.MODERATOR_EDITABLE_STATES:
        messages.error(
            request,
            _("A testimony in the state “%(state)s” cannot be edited.")
            % {"state": testimony.get_status_display()},
        )
        return redirect(_review_url(staff, testimony, filters))
    if request.method == "POST":
        form = ModeratorEditForm(request.POST, testimony=testimony)
        if form.is_valid():
            try:
                services.testimony_moderator_edit(
                    testimony=testimony, moderator=request.user, content=form.content()
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your correction is saved as a new version; the previous ones are kept."),
                )
                return redirect(_review_url(staff, testimony, filters) + "#versions")
    else:
        form = ModeratorEditForm(initial=moderator_edit_initial(testimony), testimony=testimony)
    form.describe_fields()
    query = filters_query(filters)
    return render(
        request,
        "moderation/edit.html",
        {
            "staff": staff,
            "testimony": testimony,
            "form": form,
            "theme_groups": form.theme_groups(),
            "error_summary": form.error_summary() if form.is_bound and form.errors else [],
            "query_suffix": f"?{query}" if query else "",
        },
    )

"""The consultation's settings, for its organisers: texts and schedule, audience, themes and
sub-topics, and extending the deadline (kept, with its reason, in the public history)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from retex.backoffice.forms_consultation import (
    AudienceForm,
    ConsultationForm,
    DeadlineExtensionForm,
    SubtopicForm,
    ThemeForm,
)
from retex.backoffice.selectors_consultation import themes_with_usage
from retex.consultations import services
from retex.consultations.models import AudienceRule, Subtopic, Theme
from retex.core.text import render_markdown
from retex.moderation.access import StaffContext, staff_view


def form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when it names one of the form's."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, field_errors in error.message_dict.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)


def _page(request, staff: StaffContext, template: str, section: str, **context) -> HttpResponse:
    return render(
        request,
        f"backoffice/{template}",
        {"staff": staff, "consultation": staff.consultation, "section": section, **context},
    )


# --- Texts and schedule ------------------------------------------------------------------------


@staff_view(organise=True)
def texts(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    consultation = staff.consultation
    form = ConsultationForm(request.POST or None, consultation=consultation)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["description"])
        else:
            try:
                services.consultation_update(
                    consultation=consultation, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The consultation has been saved."))
                return redirect("backoffice:settings", slug=consultation.slug)
    return _page(
        request,
        staff,
        "consultation_settings.html",
        "texts",
        form=form.describe(),
        preview=preview,
        extensions=list(consultation.deadline_extensions.all()),
    )


# --- Audience ----------------------------------------------------------------------------------


@staff_view(organise=True)
def audience(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    consultation = staff.consultation
    rule = AudienceRule.objects.filter(consultation=consultation).first()
    form = AudienceForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            _rule, reflagged = services.audience_rule_update(
                consultation=consultation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            saved = _("The audience has been saved.")
            if reflagged:
                saved += " " + ngettext(
                    "%(count)s testimony already received was flagged again under this rule"
                    " (in or out of the audience).",
                    "%(count)s testimonies already received were flagged again under this rule"
                    " (in or out of the audience).",
                    reflagged,
                ) % {"count": reflagged}
            messages.success(request, saved)
            return redirect("backoffice:settings_audience", slug=consultation.slug)
    return _page(request, staff, "consultation_audience.html", "audience", form=form.describe())


# --- Themes and sub-topics ---------------------------------------------------------------------


@staff_view(organise=True)
def themes(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """The themes in order, and a form to add one at the end."""
    consultation = staff.consultation
    form = ThemeForm(request.POST or None, initial={"accepts_other_subtopics": True})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(
                consultation=consultation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("The theme “%(title)s” has been added: add its sub-topics now.")
                % {"title": theme.title},
            )
            return redirect("backoffice:settings_theme", slug=consultation.slug, theme_id=theme.pk)
    return _page(
        request,
        staff,
        "consultation_themes.html",
        "themes",
        themes=themes_with_usage(consultation=consultation),
        form=form.describe(),
    )


def _theme(staff: StaffContext, theme_id: int) -> Theme:
    return get_object_or_404(Theme, pk=theme_id, consultation=staff.consultation)


def _subtopic(staff: StaffContext, subtopic_id: int) -> Subtopic:
    return get_object_or_404(
        Subtopic.objects.select_related("theme"),
        pk=subtopic_id,
        theme__consultation=staff.consultation,
    )


def _theme_page(
    request,
    staff: StaffContext,
    theme: Theme,
    *,
    form: ThemeForm | None = None,
    subtopic_form: SubtopicForm | None = None,
    rename_form: SubtopicForm | None = None,
) -> HttpResponse:
    """A theme's page; a form sent with errors is shown again in its place."""
    usage = next(
        item for item in themes_with_usage(consultation=staff.consultation) if item.pk == theme.pk
    )
    for subtopic in usage.subtopic_list:
        prefix = f"subtopic-{subtopic.pk}"
        if rename_form is not None and rename_form.prefix == prefix:
            subtopic.rename_form = rename_form
        else:
            subtopic.rename_form = SubtopicForm(prefix=prefix, initial={"title": subtopic.title})
        subtopic.rename_form.fields["title"].label = _("Sub-topic %(number)d") % {
            "number": subtopic.position
        }
        subtopic.rename_form.describe()
    form = form or ThemeForm(
        initial={
            "title": theme.title,
            "description": theme.description,
            "accepts_other_subtopics": theme.accepts_other_subtopics,
        }
    )
    return _page(
        request,
        staff,
        "consultation_theme.html",
        "themes",
        theme=usage,
        form=form.describe(),
        subtopic_form=(subtopic_form or SubtopicForm(prefix="new")).describe(),
    )


@staff_view(organise=True)
def theme(request: HttpRequest, staff: StaffContext, theme_id: int) -> HttpResponse:
    """A theme: its title, description and "etc.", and its sub-topics."""
    theme = _theme(staff, theme_id)
    form = ThemeForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            services.theme_update(theme=theme, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The theme has been saved."))
            return redirect(
                "backoffice:settings_theme", slug=staff.consultation.slug, theme_id=theme.pk
            )
    return _theme_page(request, staff, theme, form=form)


def _offset(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@require_POST
@staff_view(organise=True)
def theme_move(request: HttpRequest, staff: StaffContext, theme_id: int) -> HttpResponse:
    theme = services.theme_move(
        theme=_theme(staff, theme_id), acting_user=request.user, offset=_offset(request)
    )
    messages.success(
        request,
        _("“%(title)s” is now theme %(position)d.")
        % {"title": theme.title, "position": theme.position},
    )
    return redirect(
        reverse("backoffice:settings_themes", args=[staff.consultation.slug]) + f"#theme-{theme.pk}"
    )


@staff_view(organise=True)
def theme_delete(request: HttpRequest, staff: StaffContext, theme_id: int) -> HttpResponse:
    """Confirm, then remove a theme no testimony uses; otherwise say why it stays."""
    theme = _theme(staff, theme_id)
    refusal = None
    if request.method == "POST":
        try:
            services.theme_delete(theme=theme, acting_user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request, _("The theme “%(title)s” has been removed.") % {"title": theme.title}
            )
            return redirect("backoffice:settings_themes", slug=staff.consultation.slug)
    usage = next(
        item for item in themes_with_usage(consultation=staff.consultation) if item.pk == theme.pk
    )
    return _page(
        request,
        staff,
        "consultation_delete.html",
        "themes",
        item=usage,
        theme=usage,
        kind="theme",
        refusal=refusal,
    )


@require_POST
@staff_view(organise=True)
def subtopic_add(request: HttpRequest, staff: StaffContext, theme_id: int) -> HttpResponse:
    theme = _theme(staff, theme_id)
    form = SubtopicForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            subtopic = services.subtopic_create(
                theme=theme, acting_user=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The sub-topic “%(title)s” has been added.") % {"title": subtopic.title}
            )
            return redirect(
                "backoffice:settings_theme", slug=staff.consultation.slug, theme_id=theme.pk
            )
    return _theme_page(request, staff, theme, subtopic_form=form)


@require_POST
@staff_view(organise=True)
def subtopic_rename(request: HttpRequest, staff: StaffContext, subtopic_id: int) -> HttpResponse:
    subtopic = _subtopic(staff, subtopic_id)
    form = SubtopicForm(request.POST, prefix=f"subtopic-{subtopic.pk}")
    if form.is_valid():
        try:
            services.subtopic_update(
                subtopic=subtopic, acting_user=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The sub-topic has been renamed."))
            return redirect(
                "backoffice:settings_theme",
                slug=staff.consultation.slug,
                theme_id=subtopic.theme_id,
            )
    return _theme_page(request, staff, subtopic.theme, rename_form=form)


@require_POST
@staff_view(organise=True)
def subtopic_move(request: HttpRequest, staff: StaffContext, subtopic_id: int) -> HttpResponse:
    subtopic = services.subtopic_move(
        subtopic=_subtopic(staff, subtopic_id), acting_user=request.user, offset=_offset(request)
    )
    messages.success(
        request,
        _("“%(title)s” is now sub-topic %(position)d.")
        % {"title": subtopic.title, "position": subtopic.position},
    )
    return redirect(
        reverse("backoffice:settings_theme", args=[staff.consultation.slug, subtopic.theme_id])
        + f"#subtopic-{subtopic.pk}"
    )


@staff_view(organise=True)
def subtopic_delete(request: HttpRequest, staff: StaffContext, subtopic_id: int) -> HttpResponse:
    subtopic = _subtopic(staff, subtopic_id)
    refusal = None
    if request.method == "POST":
        try:
            services.subtopic_delete(subtopic=subtopic, acting_user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("The sub-topic “%(title)s” has been removed.") % {"title": subtopic.title},
            )
            return redirect(
                "backoffice:settings_theme",
                slug=staff.consultation.slug,
                theme_id=subtopic.theme_id,
            )
    theme = next(
        item
        for item in themes_with_usage(consultation=staff.consultation)
        if item.pk == subtopic.theme_id
    )
    usage = next(item for item in theme.subtopic_list if item.pk == subtopic.pk)
    return _page(
        request,
        staff,
        "consultation_delete.html",
        "themes",
        item=usage,
        theme=theme,
        kind="subtopic",
        refusal=refusal,
    )


# --- The deadline ------------------------------------------------------------------------------


@staff_view(organise=True)
def deadline(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Extend the deadline: the previous date and the reason join the public history."""
    consultation = staff.consultation
    form = DeadlineExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_extend_deadline(
                consultation=consultation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "The deadline has been extended. The public page shows the new date and"
                    " the reason."
                ),
            )
            return redirect("backoffice:settings_deadline", slug=consultation.slug)
    return _page(
        request,
        staff,
        "consultation_deadline.html",
        "deadline",
        form=form.describe(),
        extensions=list(consultation.deadline_extensions.select_related("created_by")),
    )

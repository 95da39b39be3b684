"""Organisers edit consultations here until the dedicated back office exists.

The deadline is only moved through the "extend the deadline" page, which keeps the history.
Non-superusers see and edit only the consultations they organise.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from retex.consultations.enums import MembershipRole
from retex.consultations.forms import AudienceRuleForm, DeadlineExtensionForm
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    ConsultationMembership,
    DeadlineExtension,
    Subtopic,
    Theme,
)
from retex.consultations.services import consultation_extend_deadline


def organised_by(request: HttpRequest):
    if request.user.is_superuser:
        return Consultation.objects.all()
    return Consultation.objects.filter(
        memberships__user=request.user, memberships__role=MembershipRole.ORGANISER
    )


class AudienceRuleInline(admin.StackedInline):
    model = AudienceRule
    form = AudienceRuleForm
    can_delete = False
    min_num = 1
    max_num = 1


class ThemeInline(admin.TabularInline):
    model = Theme
    fields = ["position", "title", "accepts_other_subtopics"]
    show_change_link = True
    extra = 0


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    fields = ["previous_closes_at", "new_closes_at", "reason", "created_at", "created_by"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0


class MembershipInline(admin.TabularInline):
    model = ConsultationMembership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser_names", "opens_at", "closes_at", "phase_display"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AudienceRuleInline, ThemeInline, DeadlineExtensionInline, MembershipInline]
    readonly_fields = ["extend_deadline_link"]

    @admin.display(description=_("state"))
    def phase_display(self, consultation: Consultation) -> str:
        return consultation.phase().label

    @admin.display(description=_("Move the deadline"))
    def extend_deadline_link(self, consultation: Consultation) -> str:
        if not consultation.pk:
            return "—"
        url = reverse("admin:consultations_consultation_extend", args=[consultation.pk])
        return format_html('<a href="{}">{}</a>', url, _("Extend the deadline…"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["closes_at", "extend_deadline_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=organised_by(request).values("pk"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            ConsultationMembership.objects.get_or_create(
                consultation=obj, user=request.user, defaults={"role": MembershipRole.ORGANISER}
            )

    def get_urls(self):
        extend = self.admin_site.admin_view(self.extend_deadline_view)
        return [
            path("<int:pk>/reporter/", extend, name="consultations_consultation_extend"),
            *super().get_urls(),
        ]

    def extend_deadline_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        consultation = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, consultation):
            return HttpResponse(status=403)
        form = DeadlineExtensionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                consultation_extend_deadline(
                    consultation=consultation,
                    new_closes_at=form.cleaned_data["new_closes_at"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                self.message_user(request, _("The deadline has been moved."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:consultations_consultation_change", args=[pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": consultation,
            "title": _("Extend the deadline"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/consultations/consultation/extend_deadline.html", context
        )


class SubtopicInline(admin.TabularInline):
    model = Subtopic
    fields = ["position", "title"]
    extra = 1


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "consultation", "position"]
    list_filter = ["consultation"]
    inlines = [SubtopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(consultation__in=organised_by(request))

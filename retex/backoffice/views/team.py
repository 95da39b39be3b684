"""The team of a consultation, for its organisers: who moderates or organises it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retex.backoffice.forms_team import ROLE_HINTS, MemberAddForm, RoleForm
from retex.backoffice.views.consultation import form_errors_from
from retex.consultations import services
from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.moderation.access import StaffContext, staff_view


def _members(staff: StaffContext) -> list[ConsultationMembership]:
    members = sorted(
        staff.consultation.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username", "pk"
        ),
        key=lambda member: member.role != MembershipRole.ORGANISER,  # organisers first
    )
    organisers = sum(member.role == MembershipRole.ORGANISER for member in members)
    for member in members:
        member.role_form = RoleForm(initial={"role": member.role}, prefix=f"member-{member.pk}")
        # The last organiser can neither leave nor become a moderator.
        member.is_last_organiser = member.role == MembershipRole.ORGANISER and organisers == 1
    return members


def _team_page(request: HttpRequest, staff: StaffContext, form: MemberAddForm) -> HttpResponse:
    return render(
        request,
        "backoffice/team.html",
        {
            "staff": staff,
            "consultation": staff.consultation,
            "members": _members(staff),
            "form": form.describe(),
            "role_hints": ROLE_HINTS,
        },
    )


@staff_view(organise=True)
def team(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """The members and their roles; add someone by e-mail."""
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                consultation=staff.consultation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(email)s joins the team as %(role)s. An e-mail tells them so.")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return redirect("backoffice:team", slug=staff.consultation.slug)
    return _team_page(request, staff, form)


def _membership(staff: StaffContext, membership_id: int) -> ConsultationMembership:
    return get_object_or_404(
        ConsultationMembership.objects.select_related("user"),
        pk=membership_id,
        consultation=staff.consultation,
    )


def _name(membership: ConsultationMembership) -> str:
    return membership.user.get_full_name() or membership.user.email or membership.user.username


@require_POST
@staff_view(organise=True)
def team_role(request: HttpRequest, staff: StaffContext, membership_id: int) -> HttpResponse:
    membership = _membership(staff, membership_id)
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("backoffice:team", slug=staff.consultation.slug)
    try:
        membership = services.membership_change_role(
            membership=membership, acting_user=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _name(membership), "role": membership.get_role_display()},
        )
    if membership.user_id == request.user.pk and membership.role != MembershipRole.ORGANISER:
        return redirect("moderation:queue", slug=staff.consultation.slug)
    return redirect("backoffice:team", slug=staff.consultation.slug)


@staff_view(organise=True)
def team_remove(request: HttpRequest, staff: StaffContext, membership_id: int) -> HttpResponse:
    """Confirm, then take someone off the team (never the last organiser)."""
    membership = _membership(staff, membership_id)
    refusal = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, acting_user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request, _("%(name)s is no longer in the team.") % {"name": _name(membership)}
            )
            if membership.user_id == request.user.pk:
                return redirect("moderation:home")
            return redirect("backoffice:team", slug=staff.consultation.slug)
    return render(
        request,
        "backoffice/team_remove.html",
        {
            "staff": staff,
            "consultation": staff.consultation,
            "membership": membership,
            "name": _name(membership),
            "refusal": refusal,
        },
    )

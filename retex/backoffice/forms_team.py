"""Forms of the team page: add someone by e-mail, change a member's role."""

from django import forms
from django.utils.translation import gettext_lazy as _

from retex.consultations.enums import MembershipRole
from retex.core.forms import describe_fields

ROLE_HINTS = {
    MembershipRole.ORGANISER: _(
        "Everything: moderation, the consultation's texts, themes and schedule, the team and the"
        " log."
    ),
    MembershipRole.MODERATOR: _("Reads and moderates the testimonies, nothing else."),
}


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "If this person has no account yet, one is made and they receive a link to choose"
            " their password."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MODERATOR,
        widget=forms.RadioSelect,
    )

    def describe(self) -> "MemberAddForm":
        describe_fields(self)
        return self


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)

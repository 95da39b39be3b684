from django import forms
from django.utils.translation import gettext_lazy as _

from retex.consultations.models import AudienceRule
from retex.territories.enums import TerritoryKind


class AudienceRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of collectivity"),
        choices=TerritoryKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every kind is accepted."),
    )

    class Meta:
        model = AudienceRule
        fields = [
            "kinds",
            "population_min",
            "population_max",
            "epci_population_basis",
            "enforcement",
        ]


class DeadlineExtensionForm(forms.Form):
    new_closes_at = forms.DateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time, Paris time."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly with the history of the deadline."),
    )

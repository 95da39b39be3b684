"""The filters of the audit log page (also those of its CSV export)."""

from dataclasses import astuple

from django import forms
from django.utils.translation import gettext_lazy as _

from retex.audit.selectors import (
    AuditFilters,
    audit_action_choices,
    audit_actor_choices,
    audit_target_choices,
)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    target_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    target_id = forms.CharField(
        label=_("Object number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "8"}),
    )

    def __init__(self, *args, consultation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["action"].choices = everything + audit_action_choices(
            consultation_id=consultation_id
        )
        self.fields["actor"].choices = everything + audit_actor_choices(
            consultation_id=consultation_id
        )
        self.fields["target_type"].choices = everything + audit_target_choices(
            consultation_id=consultation_id
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("This date comes before the first one."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid one is ignored, and shown with its error)."""
        data = self.cleaned_data if self.is_bound else {}
        data = {name: value for name, value in data.items() if name not in self.errors}
        return AuditFilters(
            action=data.get("action", ""),
            actor=data.get("actor", ""),
            since=data.get("since"),
            until=data.get("until"),
            target_type=data.get("target_type", ""),
            target_id=data.get("target_id", "").strip(),
        )

    def active(self) -> bool:
        return any(astuple(self.filters()))

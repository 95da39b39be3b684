"""Forms of the import pages: the file to check, then the choices made when importing it."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from retex.backoffice.services_import import MAX_ROWS
from retex.contributions.enums import TestimonyStatus
from retex.core.forms import describe_fields


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to check"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": _("Choose the file to check.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8, separated by semicolons or commas) or XLSX; 5 MB and %(rows)s "
            "testimonies at most. Nothing is written at this step."
        ) % {"rows": number_format(MAX_ROWS, force_grouping=True)}

    def describe(self) -> "ImportUploadForm":
        describe_fields(self)
        return self


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Once imported, the testimonies are"),
        choices=[
            (TestimonyStatus.SUBMITTED, _("awaiting moderation: a moderator reads them first")),
            (
                TestimonyStatus.PUBLISHED,
                _("published at once, as a moderator would publish them"),
            ),
        ],
        initial=TestimonyStatus.SUBMITTED,
        widget=forms.RadioSelect,
    )
    notify_authors = forms.BooleanField(
        label=_("Tell the authors by e-mail"),
        help_text=_(
            "Awaiting moderation: they receive their personal link to complete or correct their "
            "testimony. Published at once: they receive the usual e-mail announcing the "
            "publication. Unticked, they are told nothing."
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("The authors agreed that their testimony be published on this site"),
        error_messages={
            "required": _(
                "Confirm that the authors agreed to the publication: the form asks each author."
            )
        },
    )

    def describe(self) -> "ImportConfirmForm":
        describe_fields(self)
        return self

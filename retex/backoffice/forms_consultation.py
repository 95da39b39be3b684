"""Forms of the consultation settings pages: texts and schedule, audience, themes, deadline."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retex.consultations.enums import AudienceEnforcement, ConsultationPhase, EpciPopulationBasis
from retex.consultations.models import AudienceRule, Consultation
from retex.core.forms import describe_fields
from retex.territories.enums import TerritoryKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class DescribedForm(forms.Form):
    """A form whose inputs name their hint and error for screen readers once validated."""

    def describe(self) -> "DescribedForm":
        describe_fields(self)
        return self


class ConsultationForm(DescribedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        help_text=_("Two or three sentences, shown on the home page and at the top of the page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_(
            "Markdown: **bold**, *italics*, lists starting with “- ”, links as"
            " [text](https://…), headings starting with “## ”."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    organiser_names = forms.CharField(
        label=_("Organised by"),
        max_length=300,
        help_text=_("As shown to the public, e.g. “Villes de France and Villes Internet”."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("Shown to authors: where to ask a question or the removal of their data."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens on"), widget=DateTimeLocalInput(), help_text=_("Date and time, Paris time.")
    )
    closes_at = forms.DateTimeField(
        label=_("Deadline"), widget=DateTimeLocalInput(), help_text=_("Date and time, Paris time.")
    )
    results_expected_on = forms.DateField(
        label=_("Results expected on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                name: getattr(consultation, name)
                for name in (
                    "title",
                    "summary",
                    "description",
                    "organiser_names",
                    "contact_email",
                    "opens_at",
                    "closes_at",
                    "results_expected_on",
                )
            },
        )
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.schedule_locked = consultation.phase() != ConsultationPhase.UPCOMING
        if self.schedule_locked:
            # Once open, the opening is history and the deadline moves only by an extension.
            for name in ("opens_at", "closes_at"):
                self.fields[name].disabled = True
            self.fields["opens_at"].help_text = _("The consultation has opened: this date stays.")
            self.fields["closes_at"].help_text = _(
                "The consultation has opened: the deadline moves only by an extension, whose"
                " reason is shown publicly."
            )

    def _same_minute(self, name: str) -> datetime:
        """The date as typed, or the stored one when it is the same minute: an input shows
        minutes only, and a date nobody touched must not count as a change."""
        value = self.cleaned_data[name]
        stored = getattr(self.consultation, name)
        if value and stored and _minute(value) == _minute(stored):
            return stored
        return value

    def clean_opens_at(self) -> datetime:
        return self._same_minute("opens_at")

    def clean_closes_at(self) -> datetime:
        return self._same_minute("closes_at")


class AudienceForm(DescribedForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of collectivity"),
        choices=TerritoryKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every kind is accepted."),
    )
    population_min = forms.IntegerField(
        label=_("Minimum population"),
        required=False,
        min_value=0,
        help_text=_("Inhabitants. Empty: no minimum."),
    )
    population_max = forms.IntegerField(
        label=_("Maximum population"),
        required=False,
        min_value=0,
        help_text=_("Inhabitants. Empty: no maximum."),
    )
    epci_population_basis = forms.ChoiceField(
        label=_("For intercommunalities, the population range applies to"),
        choices=EpciPopulationBasis.choices,
        widget=forms.RadioSelect,
    )
    enforcement = forms.ChoiceField(
        label=_("Testimonies from outside the audience"),
        choices=AudienceEnforcement.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, rule: AudienceRule | None, **kwargs):
        if rule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kinds": rule.kinds,
                    "population_min": rule.population_min,
                    "population_max": rule.population_max,
                    "epci_population_basis": rule.epci_population_basis,
                    "enforcement": rule.enforcement,
                },
            )
        super().__init__(*args, **kwargs)
        for name in ("population_min", "population_max"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})


class ThemeForm(DescribedForm):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("A sentence that says what the theme covers (shown on the form)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accepts_other_subtopics = forms.BooleanField(
        label=_("Accept testimonies on other sub-topics (“etc.”)"), required=False
    )


class SubtopicForm(DescribedForm):
    title = forms.CharField(label=_("Sub-topic"), max_length=200)


class DeadlineExtensionForm(DescribedForm):
    new_closes_at = forms.DateTimeField(
        label=_("New deadline"),
        widget=DateTimeLocalInput(),
        help_text=_("Date and time, Paris time."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown publicly with the history of the deadline, e.g. “To leave time to the"
            " smaller communes after the summer”."
        ),
    )

    def clean_new_closes_at(self) -> datetime:
        value = self.cleaned_data["new_closes_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a date to come."))
        return value

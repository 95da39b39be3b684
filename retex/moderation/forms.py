"""Moderation forms: what a moderator posts, translated for the services (rules live there)."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retex.consultations.models import Subtopic
from retex.contributions.enums import WithholdableField
from retex.contributions.forms import TestimonyContentForm
from retex.contributions.models import Testimony
from retex.contributions.services import TestimonyContent
from retex.core.forms import describe_fields
from retex.moderation import reasons
from retex.moderation.reasons import reject_reason_choices
from retex.moderation.selectors import QueueFilters, QueueState

# --- The queue --------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the address (GET): a wrong value falls back to "all"."""

    state = forms.ChoiceField(label=_("State"), required=False)
    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False, empty_value=None)
    out_of_audience = forms.BooleanField(label=_("Out of the target audience"), required=False)
    duplicate = forms.BooleanField(label=_("Possible duplicate"), required=False)
    q = forms.CharField(label=_("Words to search for"), required=False, max_length=200)

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = QueueState.choices()
        self.fields["theme"].choices = [("", _("All themes"))] + [
            (theme.pk, theme.title) for theme in themes
        ]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            state=data.get("state") or QueueState.DEFAULT,
            theme=data.get("theme"),
            out_of_audience=bool(data.get("out_of_audience")),
            duplicate=bool(data.get("duplicate")),
            q=(data.get("q") or "").strip(),
        )


def filters_query(filters: QueueFilters) -> str:
    """The filters as an address's query string (defaults left out), to come back to the
    same queue from a testimony and to find its neighbours."""
    params = {}
    if filters.state != QueueState.DEFAULT:
        params["state"] = filters.state
    if filters.theme:
        params["theme"] = filters.theme
    if filters.out_of_audience:
        params["out_of_audience"] = "1"
    if filters.duplicate:
        params["duplicate"] = "1"
    if filters.q:
        params["q"] = filters.q
    return urlencode(params)


class BulkPublishForm(forms.Form):
    selected = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any number: the service says, for each, whether it could be published.
        values = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        self.fields["selected"].choices = [(value, value) for value in values]

    def clean_selected(self) -> list[int]:
        selected = self.cleaned_data["selected"]
        if not selected:
            raise ValidationError(_("Tick the testimonies to publish first."))
        return selected


# --- Decisions on one testimony -----------------------------------------------------------------


class ActionForm(forms.Form):
    """A decision's form on the review page. Several share the page, so each has its own ids
    (`id_prefix`), and the hint and error of each input are tied to it for screen readers."""

    id_prefix = "action"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)

    def describe_fields(self) -> None:
        for bound in self:
            widget = bound.field.widget
            if isinstance(
                widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                continue
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}_error")
            if ids:
                widget.attrs["aria-describedby"] = " ".join(ids)

    def error_summary(self) -> list[dict]:
        """Every error of the form, each linked to its input."""
        entries = [{"text": message} for message in self.non_field_errors()]
        for bound in self:
            anchor = bound.auto_id
            if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{bound.auto_id}_0"
            entries += [{"href": f"#{anchor}", "text": message} for message in bound.errors]
        return entries


class PublishForm(ActionForm):
    id_prefix = "publish"

    withheld_fields = forms.MultipleChoiceField(
        label=_("Keep these parts private"),
        choices=WithholdableField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "They stay visible here but are left out of the public page, the exports and the "
            "API. The title, the initiative and the collectivity are always published."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Publish without naming the collectivity"),
        required=False,
    )
    anonymous_consent = forms.CharField(
        label=_("When and how did the author ask for it?"),
        required=False,
        max_length=300,
        help_text=_("For example: “e-mail of 3 March from the author”. Kept with the decision."),
    )

    def __init__(self, *args, testimony: Testimony, **kwargs):
        kwargs.setdefault(
            "initial",
            {"withheld_fields": testimony.withheld_fields, "anonymous": testimony.anonymous},
        )
        super().__init__(*args, **kwargs)
        self.testimony = testimony
        self.author_asked_anonymity = testimony.anonymous
        if testimony.anonymous:
            # The author's choice: shown, not editable (the service refuses to undo it).
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].initial = True
            del self.fields["anonymous_consent"]

    def clean(self):
        cleaned = super().clean()
        asked = cleaned.get("anonymous") and not self.author_asked_anonymity
        if asked and not (cleaned.get("anonymous_consent") or "").strip():
            self.add_error(
                "anonymous_consent",
                _("Say when and how the author asked to publish without naming the collectivity."),
            )
        return cleaned

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            "withheld_fields": data.get("withheld_fields", []),
            "anonymous": True if self.author_asked_anonymity else bool(data.get("anonymous")),
            "anonymous_consent": data.get("anonymous_consent", ""),
        }


class RejectForm(ActionForm):
    id_prefix = "reject"

    reason = forms.ChoiceField(
        label=_("Reason"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason, or “another reason” and write it.")},
    )
    message = forms.CharField(
        label=_("Message to the author"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent after the reason. Required for “another reason”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reject_reason_choices()

    def clean(self):
        cleaned = super().clean()
        message = (cleaned.get("message") or "").strip()
        if cleaned.get("reason") == reasons.OTHER and not message:
            self.add_error("message", _("Write the reason for the author."))
        return cleaned

    def reason_text(self) -> str:
        """What the author reads: the chosen reason's sentence, then the message."""
        data = self.cleaned_data
        sentence = str(reasons.REJECT_REASONS.get(data["reason"], ""))
        return "\n\n".join(part for part in (sentence, data["message"].strip()) if part)


class RequestChangesForm(ActionForm):
    id_prefix = "changes"

    message = forms.CharField(
        label=_("What the author should change"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author with a link to edit the testimony."),
        error_messages={"required": _("Write what the author should change.")},
    )


class UnpublishForm(ActionForm):
    id_prefix = "unpublish"

    message = forms.CharField(
        label=_("Reason given to the author"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DuplicateForm(ActionForm):
    id_prefix = "duplicate"

    original = forms.TypedChoiceField(
        label=_("Possible originals"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        empty_value=None,
    )
    number = forms.IntegerField(
        label=_("Or the number of another testimony"),
        required=False,
        min_value=1,
        help_text=_("Shown as “No.” in the queue and at the top of each testimony."),
    )

    def __init__(self, *args, testimony: Testimony, suggestions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.testimony = testimony
        self.fields["original"].choices = [
            (item.testimony.pk, item.testimony.title) for item in suggestions
        ]
        if not suggestions:
            del self.fields["original"]

    def clean(self):
        cleaned = super().clean()
        pk = cleaned.get("number") or cleaned.get("original")
        if not pk:
            if not self.errors:
                self.add_error(
                    "number" if "original" not in self.fields else None,
                    _("Choose the testimony this one repeats, or give its number."),
                )
            return cleaned
        original = (
            Testimony.objects.filter(consultation_id=self.testimony.consultation_id, pk=pk)
            .only("pk", "title", "consultation_id")
            .first()
        )
        if original is None:
            self.add_error(
                "number",
                _("No testimony of this consultation has the number %(number)s.") % {"number": pk},
            )
        cleaned["duplicate_of"] = original
        return cleaned


class AcceptEditForm(ActionForm):
    id_prefix = "accept"

    undo_corrections = forms.BooleanField(
        label=_("I have compared the versions: publish the author's text as it is"),
        required=False,
    )


class ModeratorEditForm(TestimonyContentForm):
    """A moderator's correction: the author's fields, without files nor the author's choice of
    anonymity (that is decided when publishing)."""

    def __init__(self, *args, testimony: Testimony, **kwargs):
        super().__init__(*args, consultation=testimony.consultation, **kwargs)
        self.testimony = testimony
        for name in ("attachments", "upload_batch", "anonymous"):
            del self.fields[name]
        self.fields["title"].label = _("Title")
        self.fields["tools"].widget.attrs.pop("list", None)  # no suggestions on this page

    def content(self) -> TestimonyContent:
        self.cleaned_data["anonymous"] = self.testimony.anonymous
        return super().content()

    def describe_fields(self) -> None:
        describe_fields(self)


def moderator_edit_initial(testimony: Testimony) -> dict:
    """The edit form filled with the text in force (not an author's edit still waiting)."""
    subtopics = [subtopic.pk for subtopic in testimony.subtopics.all()]
    implied = set(Subtopic.objects.filter(pk__in=subtopics).values_list("theme_id", flat=True))
    return {
        "title": testimony.title,
        "initiative": testimony.initiative,
        "difficulties": testimony.difficulties,
        "lessons": testimony.lessons,
        "partners": testimony.partners,
        "cost_and_team": testimony.cost_and_team,
        "started_on": testimony.started_on,
        "ended_on": testimony.ended_on,
        "links": "\n".join(testimony.links or []),
        "tools": ", ".join(tool.name for tool in testimony.tools.all()),
        "themes": sorted({theme.pk for theme in testimony.themes.all()} - implied),
        "subtopics": sorted(subtopics),
    }

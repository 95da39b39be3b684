"""Testimony forms: they translate what a browser posts into what the services take.

Rules (audience, schedule, limits on tools, links and files) live in the services; the forms
only check what a field can check on its own and say it next to the field.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from retex.consultations.models import Consultation, Subtopic
from retex.contributions.attachments import (
    AttachmentRefused,
    attachment_discard,
    attachment_stage,
    attachments_staged,
    new_upload_batch,
    upload_batch_is_valid,
)
from retex.contributions.enums import AuthorRole
from retex.contributions.models import Attachment, Testimony
from retex.contributions.services import MAX_ATTACHMENTS, MAX_LINKS, TestimonyContent
from retex.core.forms import describe_fields
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory

ACCEPTED_FILE_TYPES = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
TERRITORY_KINDS = [TerritoryKind.COMMUNE, TerritoryKind.EPCI]
# Fields whose length the page counts as the author types (with JavaScript).
COUNTED_FIELDS = ("title", "initiative", "difficulties", "lessons", "partners", "cost_and_team")
_TOOL_SEPARATORS = re.compile(r"[,;\n]")
# Error codes whose Django messages do not say which field they are about.
GENERIC_CODES = {"invalid", "max_length", "min_length", "invalid_choice", "invalid_date"}


def _written_here(field: forms.Field, code: str) -> bool:
    """Whether the field says this error in its own words (not Django's default message)."""
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return field.error_messages.get(code) is not defaults.get(code)


def _max_length(name: str) -> int:
    return Testimony._meta.get_field(name).max_length


class TextField(forms.CharField):
    """Browsers send line breaks as CRLF but count them as one character: keep the count the
    author saw, so that a text that fitted the box also fits the limit."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class StagedFilesField(forms.FileField):
    """The files of one POST. They are checked and stored by `uploads_update`, whatever the
    rest of the form holds, so the field itself accepts anything."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TestimonyContentForm(forms.Form):
    """What an author writes: the same fields to submit a testimony and to edit it."""

    title = TextField(
        label=_("Title of your testimony"),
        max_length=_max_length("title"),
        help_text=_("In a few words, what was done: “Online ordering for the open-air market”."),
        error_messages={"required": _("Give your testimony a title.")},
    )
    themes = forms.TypedMultipleChoiceField(label=_("Themes"), coerce=int, required=False)
    subtopics = forms.TypedMultipleChoiceField(label=_("Sub-topics"), coerce=int, required=False)
    initiative = TextField(
        label=_("The initiative"),
        max_length=_max_length("initiative"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done, for whom, with which tools, and when."),
        error_messages={"required": _("Describe the initiative.")},
    )
    difficulties = TextField(
        label=_("Difficulties met"),
        max_length=_max_length("difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went wrong or was harder than expected, and how you coped."),
    )
    lessons = TextField(
        label=_("Lessons and advice for other local authorities"),
        max_length=_max_length("lessons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you would do again, what you would do differently."),
    )
    tools = forms.CharField(
        label=_("Digital tools and services used"),
        required=False,
        max_length=1200,
        help_text=_("Separate them with commas: “Facebook, a click-and-collect platform”."),
    )
    partners = TextField(
        label=_("Partners"),
        max_length=_max_length("partners"),
        required=False,
        help_text=_("Associations, businesses, other local authorities…"),
    )
    cost_and_team = TextField(
        label=_("Cost or team size"),
        max_length=_max_length("cost_and_team"),
        required=False,
        help_text=_("An order of magnitude is enough: “3 staff for two weeks, €2,000”."),
    )
    started_on = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("For example 23/03/2020."),
    )
    ended_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Leave empty if it is still going on."),
    )
    links = TextField(
        label=_("Links"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Web pages about the initiative, one per line, starting with https:// (at most 5)."
        ),
    )
    attachments = StagedFilesField(
        label=_("Add files"),
        required=False,
        help_text=_(
            "Up to 5 files: photos or images (JPEG, PNG, WebP) and PDF documents, 10 MB each."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Publish without naming my local authority"),
        required=False,
    )
    upload_batch = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.theme_list = list(
            consultation.themes.prefetch_related("subtopics").order_by("position", "pk")
        )
        self.fields["themes"].choices = [(theme.pk, theme.title) for theme in self.theme_list]
        self.fields["subtopics"].choices = [
            (subtopic.pk, subtopic.title)
            for theme in self.theme_list
            for subtopic in theme.subtopics.all()
        ]
        self.fields["attachments"].widget.attrs["accept"] = ACCEPTED_FILE_TYPES
        self.fields["tools"].widget.attrs["list"] = "tool-suggestions"
        for name in COUNTED_FIELDS:
            self.fields[name].widget.attrs["data-counter"] = ""
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    # --- Cleaning ------------------------------------------------------------------------

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines()]
        links = [line for line in lines if line]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError as error:
                raise ValidationError(
                    _("« %(link)s » is not a web address: it must start with https:// or http://."),
                    params={"link": link},
                ) from error
        if len(links) > MAX_LINKS:
            raise ValidationError(_("Give at most %(count)d links."), params={"count": MAX_LINKS})
        return links

    def clean_tools(self) -> list[str]:
        names = _TOOL_SEPARATORS.split(self.cleaned_data["tools"])
        return [" ".join(name.split()) for name in names if name.strip()]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("themes") and not cleaned.get("subtopics"):
            self.add_error("themes", _("Choose at least one theme or sub-topic."))
        return cleaned

    def content(self) -> TestimonyContent:
        data = self.cleaned_data
        # The consultation's themes and sub-topics were loaded to build the choices.
        theme_ids = {int(pk) for pk in data["themes"]}
        subtopic_ids = {int(pk) for pk in data["subtopics"]}
        themes = [theme for theme in self.theme_list if theme.pk in theme_ids]
        subtopics = [
            subtopic
            for theme in self.theme_list
            for subtopic in theme.subtopics.all()
            if subtopic.pk in subtopic_ids
        ]
        return TestimonyContent(
            title=data["title"],
            initiative=data["initiative"],
            themes=themes,
            subtopics=subtopics,
            difficulties=data["difficulties"],
            lessons=data["lessons"],
            tools=data["tools"],
            partners=data["partners"],
            cost_and_team=data["cost_and_team"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            links=data["links"],
            anonymous=data["anonymous"],
        )

    # --- Showing ---------------------------------------------------------------------------

    def upload_batch_value(self) -> str:
        """The batch the page carries, or a new one (a forged value is never used)."""
        value = self.data.get("upload_batch", "") if self.is_bound else ""
        value = value or self.initial.get("upload_batch", "")
        return value if upload_batch_is_valid(value) else new_upload_batch()

    def selected(self, name: str) -> set[int]:
        """Checked values of a checkbox group, whether the form is bound or not."""
        if self.is_bound:
            raw = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        else:
            raw = self.initial.get(name, [])
        values = set()
        for value in raw:
            try:
                values.add(int(value))
            except (TypeError, ValueError):
                continue
        return values

    def theme_groups(self) -> list[dict]:
        """One group of checkboxes per theme: its sub-topics, then “other topic” when the
        theme takes testimonies outside its list (the theme alone)."""
        chosen_themes = self.selected("themes")
        chosen_subtopics = self.selected("subtopics")
        groups = []
        for theme in self.theme_list:
            options = [
                {
                    "name": "subtopics",
                    "value": subtopic.pk,
                    "label": subtopic.title,
                    "id": f"id_subtopic_{subtopic.pk}",
                    "checked": subtopic.pk in chosen_subtopics,
                }
                for subtopic in theme.subtopics.all()
            ]
            if theme.accepts_other_subtopics or theme.pk in chosen_themes:
                options.append(
                    {
                        "name": "themes",
                        "value": theme.pk,
                        "label": _("Another topic of this theme"),
                        "id": f"id_theme_{theme.pk}_other",
                        "checked": theme.pk in chosen_themes,
                        "other": True,
                    }
                )
            groups.append({"theme": theme, "options": options, "id": f"theme-{theme.pk}"})
        return groups

    def anchor(self, name: str) -> str:
        """Where a link to a field's error takes the reader: the first thing to fill."""
        if name in ("themes", "subtopics"):
            for group in self.theme_groups():
                if group["options"]:
                    return group["options"][0]["id"]
        if name in self.fields and isinstance(
            self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            return f"id_{name}_0"
        return f"id_{name}"

    def error_summary(self) -> list[dict]:
        """Every error, in the order of the page, each linked to its field.

        The messages written for this form name what to do ("Give your name."); Django's
        generic ones ("Enter a valid date.") get the field's label in front."""
        entries = [{"text": message} for message in self.non_field_errors()]
        errors = self.errors.as_data()
        for name, field in self.fields.items():
            for error in errors.get(name, []):
                for message in error:
                    generic = error.code in GENERIC_CODES and not _written_here(field, error.code)
                    text = _("%(label)s: %(message)s") % {"label": field.label, "message": message}
                    entries.append(
                        {
                            "href": f"#{self.anchor(name)}",
                            "text": text if generic and field.label else message,
                        }
                    )
        return entries

    def describe_fields(self) -> None:
        describe_fields(self)

    def hide_errors(self) -> None:
        """Show what was posted without judging it (a search step, an expired session)."""
        self.full_clean()
        self.errors.clear()


class TestimonySubmitForm(TestimonyContentForm):
    """A first submission: the content, who writes it and for which local authority."""

    territory = forms.ModelChoiceField(
        label=_("Your local authority"),
        queryset=Territory.objects.filter(kind__in=TERRITORY_KINDS),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose your local authority in the list of results."),
            "invalid_choice": _("Choose your local authority in the list of results."),
        },
    )
    territory_query = forms.CharField(
        label=_("Your local authority"),
        required=False,
        max_length=100,
        help_text=_("A commune or an intercommunality: type the beginning of its name."),
    )
    author_name = forms.CharField(
        label=_("Your first and last name"),
        max_length=_max_length("author_name"),
        error_messages={"required": _("Give your name.")},
    )
    author_role = forms.ChoiceField(
        label=_("You are"),
        choices=AuthorRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are an elected official or an agent.")},
    )
    author_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("A link to confirm your testimony will be sent to it. Format: name@example.fr"),
        error_messages={
            "required": _("Give your e-mail address: a confirmation link will be sent to it."),
            "invalid": _("Enter an e-mail address in the form name@example.fr."),
        },
    )
    publication_consent = forms.BooleanField(
        label=_(
            "I agree that this testimony be published on this site once read by the organisers."
        ),
        error_messages={"required": _("Your consent is needed to publish the testimony.")},
    )
    # A field people never see: robots fill every field they find.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    field_order = [
        "territory",
        "territory_query",
        "author_name",
        "author_role",
        "author_email",
        "title",
        "themes",
        "subtopics",
        "initiative",
        "difficulties",
        "lessons",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author_name"].widget.attrs["autocomplete"] = "name"
        self.fields["author_email"].widget.attrs["autocomplete"] = "email"
        self.fields["territory_query"].widget.attrs["autocomplete"] = "off"
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def anchor(self, name: str) -> str:
        if name == "territory":
            return "id_territory_query"
        return super().anchor(name)

    def describe_fields(self) -> None:
        super().describe_fields()
        # The search box carries the errors of the hidden choice it fills.
        ids = ["id_territory_query_helptext", "territory-verdict"]
        if self.is_bound and self.errors.get("territory"):
            ids.append("id_territory_error")
            self.fields["territory_query"].widget.attrs["aria-invalid"] = "true"
        self.fields["territory_query"].widget.attrs["aria-describedby"] = " ".join(ids)

    def chosen_territory(self) -> Territory | None:
        """The local authority picked so far, even when other fields are wrong."""
        raw = self.data.get("territory") if self.is_bound else self.initial.get("territory")
        return territory_from_value(raw)

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))


def territory_from_value(value) -> Territory | None:
    if isinstance(value, Territory):
        return value
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return (
        Territory.objects.select_related("departement", "region")
        .filter(pk=pk, kind__in=TERRITORY_KINDS)
        .first()
    )


class TestimonyEditForm(TestimonyContentForm):
    """An edit through the author's link: the content, and who makes the change."""

    editor_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_(
            "Whoever has the link may edit the testimony: each change records the name of the "
            "person who made it."
        ),
        error_messages={"required": _("Give your name: it is recorded with the change.")},
    )
    remove_attached = forms.TypedMultipleChoiceField(coerce=int, required=False)

    field_order = ["editor_name"]

    def __init__(self, *args, testimony: Testimony, **kwargs):
        super().__init__(*args, **kwargs)
        self.testimony = testimony
        self.fields["editor_name"].widget.attrs["autocomplete"] = "name"
        self.fields["remove_attached"].choices = [
            (pk, pk) for pk in testimony.attachments.values_list("pk", flat=True)
        ]


class LinksResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The one you gave with your testimony. Format: name@example.fr"),
        error_messages={
            "required": _("Give your e-mail address."),
            "invalid": _("Enter an e-mail address in the form name@example.fr."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


def content_initial(testimony: Testimony) -> dict:
    """What the edit form shows: the version awaiting moderation if there is one, else the
    testimony as it stands."""
    revision = testimony.pending_revision
    if revision is not None:
        data = revision.content
        subtopics = set(data.get("subtopics", []))
        themes = set(data.get("themes", []))
        tools = data.get("tools", [])
        started_on = _parse_date(data.get("started_on"))
        ended_on = _parse_date(data.get("ended_on"))
        removed = data.get("removed_attachments", [])
        values = {name: data.get(name, "") for name in _TEXT_NAMES}
        values["links"] = "\n".join(data.get("links", []))
        values["anonymous"] = bool(data.get("anonymous"))
    else:
        subtopics = set(testimony.subtopics.values_list("pk", flat=True))
        themes = set(testimony.themes.values_list("pk", flat=True))
        tools = list(testimony.tools.values_list("name", flat=True))
        started_on, ended_on = testimony.started_on, testimony.ended_on
        removed = []
        values = {name: getattr(testimony, name) for name in _TEXT_NAMES}
        values["links"] = "\n".join(testimony.links or [])
        values["anonymous"] = testimony.anonymous
    # A theme checked on its own means "another topic"; the themes of the chosen sub-topics
    # are implied and not shown as such.
    implied = set(Subtopic.objects.filter(pk__in=subtopics).values_list("theme_id", flat=True))
    values.update(
        themes=sorted(themes - implied),
        subtopics=sorted(subtopics),
        tools=", ".join(tools),
        started_on=started_on,
        ended_on=ended_on,
        remove_attached=removed,
    )
    return values


_TEXT_NAMES = ("title", "initiative", "difficulties", "lessons", "partners", "cost_and_team")


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Files ---------------------------------------------------------------------------------------


@dataclass
class UploadsOutcome:
    staged: list[Attachment]
    refusals: list[str] = dataclass_field(default_factory=list)


def uploads_update(
    *, upload_batch: str, files: list, discard_ids: list[str], room: int = MAX_ATTACHMENTS
) -> UploadsOutcome:
    """Apply one POST to the batch: drop the files the author unticked, store the new ones.

    Runs on every POST, valid or not, so that a file once sent is never asked for again.
    `room` is how many files the testimony may still take (fewer when editing)."""
    staged = list(attachments_staged(upload_batch=upload_batch))
    wanted_gone = {str(value) for value in discard_ids}
    for attachment in staged:
        if str(attachment.pk) in wanted_gone:
            attachment_discard(attachment=attachment)
    staged = [attachment for attachment in staged if str(attachment.pk) not in wanted_gone]
    refusals = []
    for uploaded in files:
        if not uploaded.name and not uploaded.size:
            continue  # an empty file input
        if len(staged) >= room:
            refusals.append(
                _("« %(name)s » was not added: at most %(count)d files per testimony.")
                % {"name": uploaded.name, "count": MAX_ATTACHMENTS}
            )
            continue
        try:
            staged.append(attachment_stage(upload_batch=upload_batch, uploaded_file=uploaded))
        except AttachmentRefused as refusal:
            refusals.append(refusal.message)
    return UploadsOutcome(staged=staged, refusals=[str(message) for message in refusals])

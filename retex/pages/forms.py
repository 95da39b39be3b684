from django import forms
from django.utils.translation import gettext_lazy as _

from retex.pages.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class SitePageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        help_text=_(
            "In Markdown: ## for a heading, **bold**, - for a list item,"
            " [text](https://address) for a link. Other HTML is removed."
        ),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
    )

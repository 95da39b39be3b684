"""Presentation helpers shared by the public templates: dates as people write them, numbers."""

from datetime import date, datetime

from django import template
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.timesince import timeuntil
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _long_date(value: date | datetime) -> str:
    # French writes the first day of a month as an ordinal: "1er mars 2021".
    if value.day == 1 and (get_language() or "").startswith("fr"):
        text = f"1er {date_format(value, 'F Y')}"
    else:
        text = date_format(value, "j F Y")
    # A date is never split across two lines.
    return text.replace(" ", "\u00a0")


@register.simple_tag
def time_element(value: date | datetime | None, with_time: bool = False) -> str:
    """A <time> element with a machine-readable datetime and a long, localised date.

    with_time adds the hour ("20 mars 2021 à 23 h 59"): a deadline is a moment, not a day.
    """
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime):
        machine = value.isoformat(timespec="minutes")
    else:
        machine = value.isoformat()
    text = _long_date(value)
    if with_time and isinstance(value, datetime):
        text = _("%(date)s at %(hour)s") % {"date": text, "hour": _hour(value)}
    return format_html('<time datetime="{}">{}</time>', machine, text)


def _hour(value: datetime) -> str:
    if (get_language() or "").startswith("fr"):
        # French typography: "23 h 59", with non-breaking spaces.
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour:02d}:{value.minute:02d}"


@register.filter
def time_left(value: datetime | None) -> str:
    """Coarse remaining time, "12 jours": enough to see whether a deadline is near."""
    if not value:
        return ""
    return timeuntil(value, depth=1)


@register.filter
def grouped_number(value: int | None) -> str:
    """10000 -> "10 000" in French, "10,000" in English."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def path_in_language(context: template.Context, language_code: str) -> str:
    """The current page's address in another language, for the language switcher's `next`.

    Django's set_language translates `next` itself, but it resolves it in the default language:
    from an English page (/en/…) it cannot find the French one, so the form sends it ready-made.
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)

"""Readable differences between two versions of a testimony, word by word.

Removed words are in <del>, added ones in <ins>, each announced in words for screen readers and
readers who do not see colours ("removed:", "added:"); everything else is escaped.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Words and the spaces between them apart: a word followed by a new sentence stays equal.
_TOKEN = re.compile(r"\s+|\S+")

# The fields of a version (a revision's content), in the order of the review page.
TEXT_FIELDS = {
    "title": gettext_lazy("Title"),
    "initiative": gettext_lazy("The initiative"),
    "difficulties": gettext_lazy("Difficulties met"),
    "lessons": gettext_lazy("Lessons and advice"),
    "partners": gettext_lazy("Partners"),
    "cost_and_team": gettext_lazy("Cost or team size"),
}
LIST_FIELDS = {
    "themes": gettext_lazy("Themes"),
    "subtopics": gettext_lazy("Sub-topics"),
    "tools": gettext_lazy("Tools and services"),
    "links": gettext_lazy("Links"),
}
DATE_FIELDS = {
    "started_on": gettext_lazy("Start date"),
    "ended_on": gettext_lazy("End date"),
}


def _removed(text: str) -> str:
    return format_html(
        '<del><span class="visually-hidden">{} </span>{}</del>', _("[removed:"), text
    ) + format_html('<span class="visually-hidden">{}</span>', _("]"))


def _added(text: str) -> str:
    return format_html(
        '<ins><span class="visually-hidden">{} </span>{}</ins>', _("[added:"), text
    ) + format_html('<span class="visually-hidden">{}</span>', _("]"))


def _grouped(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The edit operations, with changes separated only by spaces merged into one: "une
    dizaine de jours" → "dix jours à peine" reads as one replacement, not four."""
    merged: list[tuple[str, int, int, int, int]] = []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for operation in matcher.get_opcodes():
        if operation[0] != "equal" and len(merged) >= 2 and merged[-2][0] != "equal":
            _kind, space_start, space_end, _new_start, _new_end = merged[-1]
            if all(token.isspace() for token in old[space_start:space_end]):
                merged.pop()
        if operation[0] != "equal" and merged and merged[-1][0] != "equal":
            _kind, old_start, _old_end, new_start, _new_end = merged.pop()
            operation = ("replace", old_start, operation[2], new_start, operation[4])
        merged.append(operation)
    return merged


# Unchanged words kept around a change (tokens count words and spaces alike).
CONTEXT_TOKENS = 24
GAP = " […] "


def _shortened(tokens: list[str], *, first: bool, last: bool) -> str:
    """An unchanged stretch, its middle left out when long: what surrounds a change is
    enough to place it."""
    if len(tokens) <= 2 * CONTEXT_TOKENS + 8:
        return "".join(tokens)
    head = [] if first else tokens[:CONTEXT_TOKENS]
    tail = [] if last else tokens[-CONTEXT_TOKENS:]
    return "".join(head).rstrip() + GAP + "".join(tail).lstrip()


def text_diff(before: str, after: str, *, shorten: bool = False) -> SafeString:
    """`after` with what changed since `before` marked word by word (safe HTML); with
    `shorten`, long unchanged stretches are cut to the words around the changes."""
    old = _TOKEN.findall(before or "")
    new = _TOKEN.findall(after or "")
    parts = []
    operations = _grouped(old, new)
    for index, (operation, old_start, old_end, new_start, new_end) in enumerate(operations):
        if operation == "equal":
            tokens = new[new_start:new_end]
            if shorten and len(operations) > 1:
                text = _shortened(tokens, first=index == 0, last=index == len(operations) - 1)
            else:
                text = "".join(tokens)
            parts.append(escape(text))
            continue
        if operation in ("delete", "replace"):
            parts.append(_removed("".join(old[old_start:old_end])))
        if operation in ("insert", "replace"):
            parts.append(_added("".join(new[new_start:new_end])))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions: its label and the marked-up text."""

    name: str
    label: str
    diff: SafeString


def _as_text(values: list, names: dict[int, str] | None) -> str:
    if names is not None:
        return "\n".join(names.get(value, f"#{value}") for value in values)
    return "\n".join(str(value) for value in values)


def content_changes(
    before: dict | None,
    after: dict,
    *,
    theme_names: dict[int, str],
    subtopic_names: dict[int, str],
) -> list[FieldChange]:
    """What differs from one version's content to the next (from nothing for the first)."""
    before = before or {}
    changes = []
    for name, label in TEXT_FIELDS.items():
        old, new = before.get(name) or "", after.get(name) or ""
        if old != new:
            changes.append(FieldChange(name, str(label), text_diff(old, new, shorten=True)))
    lookups = {"themes": theme_names, "subtopics": subtopic_names, "tools": None, "links": None}
    for name, label in LIST_FIELDS.items():
        old_list, new_list = before.get(name) or [], after.get(name) or []
        if old_list != new_list:
            old = _as_text(old_list, lookups[name])
            new = _as_text(new_list, lookups[name])
            changes.append(FieldChange(name, str(label), text_diff(old, new)))
    for name, label in DATE_FIELDS.items():
        old, new = before.get(name) or "", after.get(name) or ""
        if old != new:
            changes.append(FieldChange(name, str(label), text_diff(old, new)))
    if bool(before.get("anonymous")) != bool(after.get("anonymous")) and before:
        state = (
            _("asks to publish without naming the collectivity")
            if after.get("anonymous")
            else _("agrees to name the collectivity")
        )
        changes.append(FieldChange("anonymous", _("Anonymity"), format_html("{}", state)))
    return changes

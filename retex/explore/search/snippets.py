"""Highlighted extracts of the original text, built in Python so that both backends show the
same thing, with the accents and capitals the author wrote.

The original text is split with the index's own word splitter; a word is marked when its stem
is one the query asks for (or starts with its prefix), a phrase when its stems follow each other
as in the query. Everything else is escaped.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from retex.explore.search.text import ParsedQuery, nfc, word_tuples

SNIPPET_LENGTH = 200
# How much text is kept before the first match of a window, for context.
LEAD = 40
ELLIPSIS = "…"

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    key: str  # which part of the query: a term, a phrase, the prefix


def find_matches(text: str, query: ParsedQuery) -> list[Match]:
    """Where the query's terms and phrases occur in a text (NFC), in order, not overlapping."""
    found = word_tuples(text)
    terms = set(query.terms)
    prefix_term = query.terms[-1] if query.prefix else None
    matches: list[Match] = []
    if query.phrases:
        stems = [word[3] for word in found]
        for phrase in query.phrases:
            size = len(phrase)
            first_stem = phrase[0]
            for index, stem in enumerate(stems[: len(stems) - size + 1]):
                if stem == first_stem and tuple(stems[index : index + size]) == phrase:
                    start, end = found[index][0], found[index + size - 1][1]
                    matches.append(Match(start, end, " ".join(phrase)))
    for start, end, folded, stem in found:
        if stem in terms:
            matches.append(Match(start, end, stem))
        elif prefix_term and folded.startswith(query.prefix):
            matches.append(Match(start, end, prefix_term))
    matches.sort(key=lambda match: (match.start, -match.end))
    kept: list[Match] = []
    for match in matches:  # a word of a phrase that is also a term: mark the phrase once
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def _render(text: str, matches: Sequence[Match], start: int, end: int) -> str:
    pieces = []
    position = start
    for match in matches:
        if match.start < start or match.end > end:
            continue
        pieces.append(escape(text[position : match.start]))
        pieces.append(f"<mark>{escape(text[match.start : match.end])}</mark>")
        position = match.end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


def _clean(text: str) -> str:
    # One line of single spaces: offsets are then those of the text shown.
    return _SPACES.sub(" ", nfc(text)).strip()


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """The whole text, escaped, with its matches marked (for a title)."""
    text = _clean(text)
    return mark_safe(_render(text, find_matches(text, query), 0, len(text)))  # noqa: S308


def _window(text: str, matches: Sequence[Match], length: int) -> tuple[int, int]:
    """The stretch of about `length` characters holding the most different matches."""
    best, best_score = 0, (-1, -1, 0)
    for index, first in enumerate(matches):
        inside = [m for m in matches[index:] if m.end <= first.start + length - LEAD]
        score = (len({m.key for m in inside}), len(inside), -first.start)
        if score > best_score:
            best, best_score = index, score
    start = max(0, matches[best].start - LEAD) if matches else 0
    if start > 0:  # begin on a word boundary
        space = text.find(" ", start, matches[best].start)
        start = space + 1 if space != -1 else matches[best].start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        covered = max((m.end for m in matches if m.end <= end), default=start)
        end = space if space > covered else end
    return start, end


def snippet(
    texts: Sequence[str], query: ParsedQuery, *, length: int = SNIPPET_LENGTH
) -> SafeString:
    """An extract of about `length` characters from the text that matches best (most
    different terms, then most matches; the first text when none matches), marked."""
    best_text, best_matches, best_score = "", [], (0, 0)
    for raw in texts:
        text = _clean(raw)
        if not best_text:
            best_text = text
        matches = find_matches(text, query) if query else []
        score = (len({m.key for m in matches}), len(matches))
        if score > best_score:
            best_text, best_matches, best_score = text, matches, score
    start, end = _window(best_text, best_matches, length)
    html = _render(best_text, best_matches, start, end)
    if start > 0:
        html = ELLIPSIS + " " + html
    if end < len(best_text):
        html += " " + ELLIPSIS
    return mark_safe(html)  # noqa: S308 - every piece of text went through escape()

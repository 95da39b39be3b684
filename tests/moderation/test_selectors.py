"""The queue's search: a folded word finds the text as written, accents and capitals."""

import fnmatch
import re

import pytest

from retex.core.text import fold_words
from retex.moderation.selectors import accent_pattern, loose_pattern

TEXTS = ["École maternelle", "les ÉLÈVES de CM2", "une œuvre commune", "Garçons", "Noël à l'Haÿ"]


def like(pattern: str, text: str) -> bool:
    """SQLite's LIKE: % any run, _ one character, ASCII letters in either case."""
    translated = pattern.replace("%", "*").replace("_", "?")
    return fnmatch.fnmatchcase(text.lower(), translated.lower())


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("ecole", [0]),
        ("eleves cm2", [1]),
        ("oeuvre", [2]),
        ("garcon", [3]),
        ("hay", [4]),
        ("ecoles", []),
    ],
)
def test_folded_words_find_the_texts_as_written(typed, found):
    words = fold_words(typed)
    matched = [
        index
        for index, text in enumerate(TEXTS)
        if all(re.search("(?i)" + accent_pattern(word), text) for word in words)
    ]
    assert matched == found
    for index in matched:  # the quick LIKE lets through at least as much
        assert all(like(loose_pattern(word), TEXTS[index]) for word in words)

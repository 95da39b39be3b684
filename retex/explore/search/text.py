"""The one normalisation pipeline: documents and queries go through it on both backends.

original text ─ NFC ─ words with their offsets ─ fold (accents, case) ─ drop stop words and
single letters ─ Snowball French stem ─ "stems separated by spaces"

The database only ever sees the result (stems made of a-z and 0-9), so SQLite and PostgreSQL
find exactly the same testimonies, and the snippets, built from the original text with the same
word splitter, highlight exactly what matched.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from retex.core.text import fold

# A word of the original text: letters and digits of any script. Apostrophes, hyphens and
# underscores separate words, as in `fold`.
_WORD = re.compile(r"[^\W_]+")

# Function words that carry no meaning for a search, folded. Kept short on purpose: a word
# missing here only costs a little ranking, a word wrongly here can never be found ("est" is
# also the east of "Grand Est", "été" a summer, "sur" part of place names: all kept).
STOP_WORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle elles en et etaient etait etre il ils je la
    le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ont ou par pas pour qu que
    qui sa se ses si son sont ta te tes toi ton tu un une vos votre vous
    """.split()  # noqa: SIM905 - a list of words reads better as words
)

# Longer "words" are not words (a pasted identifier, a run of letters): never indexed, never
# searched, and PostgreSQL refuses lexemes over 2 kB anyway.
MAX_WORD_LENGTH = 60
# A query is cut after this many characters and words: enough for any real search, and a
# pasted page does not become a thousand-term SQL expression.
MAX_QUERY_LENGTH = 500
MAX_QUERY_WORDS = 32

_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # A Snowball stemmer keeps state while it works: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=50_000)
def word_stems(word: str) -> tuple[tuple[str, str], ...]:
    """(folded, stem) for each indexed word a word of the original text stands for: usually
    one, none for a stop word, several for the odd character that folds into two ("½")."""
    pairs = []
    for folded in fold(word).split():
        if folded in STOP_WORDS or (len(folded) == 1 and not folded.isdigit()):
            continue
        if len(folded) > MAX_WORD_LENGTH:
            continue
        pairs.append((folded, _stemmer().stemWord(folded)))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    folded: str
    stem: str


def words(text: str) -> Iterator[Word]:
    """The indexed words of a text (already NFC), with their offsets in it."""
    for match in _WORD.finditer(text):
        for folded, stem in word_stems(match.group()):
            yield Word(match.start(), match.end(), folded, stem)


def word_tuples(text: str) -> list[tuple[int, int, str, str]]:
    """`words` as plain (start, end, folded, stem) tuples: the same, several times cheaper
    (snippets read some 150,000 characters for a page of results)."""
    return [
        (match.start(), match.end(), folded, stem)
        for match in _WORD.finditer(text)
        for folded, stem in word_stems(match.group())
    ]


def nfc(text: str) -> str:
    # Decomposed accents ("e" + U+0301) would split a word in two.
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=50_000)
def _stems_text(word: str) -> str:
    return " ".join(stem for _folded, stem in word_stems(word))


def normalise(text: str) -> str:
    """What the index stores for a text: its stems, in order, separated by spaces.

    The same as joining the stems of `words(nfc(text))`, without building a Word for each
    (a rebuild normalises hundreds of millions of words)."""
    return " ".join(filter(None, map(_stems_text, _WORD.findall(nfc(text)))))


# --- Queries -------------------------------------------------------------------------------

# Straight and typographic double quotes, and French guillemets, open or close a phrase.
_QUOTE = re.compile(r"[\"“”«»„]")


@dataclass(frozen=True)
class ParsedQuery:
    """A search as the backends run it: every term and every phrase is required.

    `terms` are stems; `phrases` are sequences of at least two stems that must follow each other
    (stop words left out, as in the index). `prefix`, when set, is the last loose word as typed
    (folded): the last term may then also match words that start with it ("teletrava" →
    "teletravail").
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


def parse_query(text: str, *, prefix_last: bool = False) -> ParsedQuery:
    """Split what a user typed into required terms and phrases.

    Text between double quotes (or « guillemets ») is a phrase; an unclosed quote runs to the
    end. A loose word that folds into several ("Saint-Étienne", "aujourd'hui") is a phrase too.
    With `prefix_last`, the last loose word may also match as a prefix (search as you type); it
    is off by default because a whole word would then find longer ones ("vent" would find
    "ventilation").
    """
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    last_loose: Word | None = None
    text = nfc(text[:MAX_QUERY_LENGTH])
    budget = MAX_QUERY_WORDS
    for index, chunk in enumerate(_QUOTE.split(text)):
        quoted = index % 2 == 1
        for piece in [chunk] if quoted else chunk.split():
            found = list(words(piece))[:budget]
            budget -= len(found)
            last_loose = None
            if len(found) == 1:
                if found[0].stem not in terms:
                    terms.append(found[0].stem)
                last_loose = None if quoted else found[0]
            elif found:
                stems = tuple(word.stem for word in found)
                if stems not in phrases:
                    phrases.append(stems)
    prefix = ""
    typing = bool(text) and not text[-1].isspace() and not _QUOTE.match(text[-1])
    if prefix_last and typing and last_loose and len(last_loose.folded) >= 3:
        # The prefix goes with the last term: move the word's stem there.
        terms.remove(last_loose.stem)
        terms.append(last_loose.stem)
        prefix = last_loose.folded
    return ParsedQuery(terms=tuple(terms), phrases=tuple(phrases), prefix=prefix)

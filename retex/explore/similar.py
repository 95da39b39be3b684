"""Similar testimonies: up to five other published testimonies of the same consultation whose
texts are closest to a given one.

How, in three bounded steps (see `search.similar` for the two reads):

1. The testimony's own public text (title, initiative, and the difficulties, lessons and tools
   unless a moderator kept them private; never the collectivity's name) goes through the
   search's normalisation: French stems, stop words out. Each stem gets its frequency in the
   text, the title's words counting three times. Stems of digits only ("120 agents") and of
   one or two letters say nothing of the subject and are left out.
2. The `CANDIDATE_TERMS` most frequent (then longest) stems have their document frequency
   counted in the index, no further than `COUNT_CAP`. Each gets a weight: its inverse
   document frequency times (1 + log of its frequency in the text). A stem no other testimony
   holds finds nothing; one held by `COUNT_CAP` testimonies or more is too common to tell
   texts apart (and slow to look up): both are left out. Words such as "trois", "puis" or
   "nouveau" (`NOISE_WORDS`) are never used.
3. The `QUERY_TERMS` heaviest stems are looked up (each held by fewer than `COUNT_CAP`
   testimonies: the lists are whole); a testimony scores the sum of the weights of the stems
   it shares, and needs to share at least two when two or more were looked up, and to score
   at least `MIN_RELATIVE_SCORE` of the best one. Ties go to the newest.

Both backends return the same plain lists and the score is computed here: SQLite and
PostgreSQL suggest the same testimonies.

Anonymity: an anonymous testimony is shown only as a population band and a région. Another
testimony of the same collectivity, suggested beside it, would tell where it comes from (or,
beside a named testimony, where an anonymous one does): such pairs are never suggested.

The answer (ids only) is cached per testimony, keyed on its last change and on the newest
publication in its consultation, for `CACHE_SECONDS`; the rows are read again at each display,
so a testimony unpublished since is never shown.
"""

import math
from collections import Counter

from django.core.cache import cache
from django.db.models import Q, QuerySet

from retex.contributions.enums import WithholdableField
from retex.contributions.models import Testimony
from retex.explore.search.similar import term_document_counts, testimonies_with_terms
from retex.explore.search.text import nfc, word_stems, words

SIMILAR_COUNT = 5
TITLE_WEIGHT = 3
CANDIDATE_TERMS = 40
QUERY_TERMS = 10
MIN_STEM_LENGTH = 3
COUNT_CAP = 1000
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = 1
# The number of published testimonies, for the weights: it moves slowly, and counting 100,000
# rows takes longer than the rest of the computation.
TOTAL_CACHE_SECONDS = 10 * 60

# Words the search keeps (a search may need them) but that say nothing of a testimony's
# subject: quantities, times, connectives. Left out of the stems that make texts similar.
NOISE_WORDS = """
    ainsi alors annee annees apres aussi autre autres avait avaient avant avoir beaucoup bien car
    ceci cela celle celles celui certaines certains ceux chacun chaque chez cinq cinquante comme
    comment dernier derniere deja depuis deux dix douze encore enfin entre ete etre fait faits
    faire fois huit ici jamais jour jours lors meme mille moins mois neuf nouveau nouveaux
    nouvelle nouvelles peu plus plusieurs premier premiere pres puis quand quarante quatre
    quelque quelques quinze sans seul seule seulement semaine semaines sept six soixante sous
    tant tous tout toute toutes tres trente trois trop vers via vingt cent cents
"""
NOISE_STEMS = frozenset(stem for word in NOISE_WORDS.split() for _folded, stem in word_stems(word))
# A suggestion must score at least this share of the best one: a long tail of testimonies
# sharing one common word is noise, not similarity.
MIN_RELATIVE_SCORE = 0.3

# What the list of similar testimonies shows (never author_* nor link_key).
_ROW_FIELDS = (
    "id",
    "title",
    "initiative",
    "anonymous",
    "published_at",
    "territory_id",
    "territory__name",
    "territory__kind",
    "territory__population",
    "territory__region__name",
)


def public_term_frequencies(testimony: Testimony) -> Counter[str]:
    """The stems of the testimony's public text with their weighted frequencies."""
    frequencies: Counter[str] = Counter()
    parts: list[tuple[str, int]] = [(testimony.title, TITLE_WEIGHT), (testimony.initiative, 1)]
    if testimony.shows_publicly(WithholdableField.DIFFICULTIES):
        parts.append((testimony.difficulties, 1))
    if testimony.shows_publicly(WithholdableField.LESSONS):
        parts.append((testimony.lessons, 1))
    if testimony.shows_publicly(WithholdableField.TOOLS):
        parts += [(tool.name, 1) for tool in testimony.tools.all()]
    for text, weight in parts:
        for word in words(nfc(text or "")):
            stem = word.stem
            if len(stem) >= MIN_STEM_LENGTH and not stem.isdigit() and stem not in NOISE_STEMS:
                frequencies[stem] += weight
    return frequencies


def term_weights(frequencies: Counter[str], *, using: str) -> dict[str, float]:
    """The most distinctive stems of a text with their weights (see step 2)."""
    candidates = sorted(frequencies, key=lambda stem: (-frequencies[stem], -len(stem), stem))
    candidates = candidates[:CANDIDATE_TERMS]
    counts = term_document_counts(candidates, cap=COUNT_CAP, using=using)
    total = cache.get_or_set(
        f"explore:similar:published:{using}",
        lambda: Testimony.objects.using(using).published().count(),
        TOTAL_CACHE_SECONDS,
    )
    weights = {}
    for stem in candidates:
        found = counts.get(stem, 0)
        # The testimony itself is in the index: `found` counts it.
        if 1 < found < COUNT_CAP:
            idf = math.log((total + 1) / (found + 0.5))
            weights[stem] = max(idf, 0.01) * (1 + math.log(frequencies[stem]))
    return weights


def similar_rows_compute(testimony: Testimony, *, using: str = "default") -> list[Testimony]:
    """The testimonies most similar to this one, best first (uncached)."""
    weights = term_weights(public_term_frequencies(testimony), using=using)
    chosen = sorted(weights, key=lambda stem: (-weights[stem], stem))[:QUERY_TERMS]
    if not chosen:
        return []
    holders = testimonies_with_terms(
        chosen,
        consultation_id=testimony.consultation_id,
        exclude_id=testimony.pk,
        cap=COUNT_CAP,
        using=using,
    )
    scores: Counter[int] = Counter()
    shared: Counter[int] = Counter()
    for stem, ids in holders.items():
        for testimony_id in ids:
            scores[testimony_id] += weights[stem]
            shared[testimony_id] += 1
    needed = min(2, len(chosen))
    ranked = sorted(
        (testimony_id for testimony_id in scores if shared[testimony_id] >= needed),
        key=lambda testimony_id: (-scores[testimony_id], -testimony_id),
    )
    if ranked:
        floor = scores[ranked[0]] * MIN_RELATIVE_SCORE
        ranked = [testimony_id for testimony_id in ranked if scores[testimony_id] >= floor]
    # A few more than shown: some may be left out for anonymity (see `_rows`).
    return _rows(testimony, ranked[: SIMILAR_COUNT * 4], using=using)[:SIMILAR_COUNT]


def _rows(testimony: Testimony, ids: list[int], *, using: str) -> list[Testimony]:
    """The published testimonies among `ids` that may be shown beside this one, in that order."""
    if not ids:
        return []
    rows: QuerySet[Testimony] = (
        Testimony.objects.using(using)
        .published()
        .filter(pk__in=ids, consultation_id=testimony.consultation_id)
        .exclude(pk=testimony.pk)
        .select_related("territory__region")
        .only(*_ROW_FIELDS)
        .order_by()  # ordered below, as `ids`
    )
    # No pair of the same collectivity where either is anonymous (see the module's doc).
    if testimony.anonymous:
        rows = rows.exclude(territory_id=testimony.territory_id)
    else:
        rows = rows.exclude(Q(territory_id=testimony.territory_id) & Q(anonymous=True))
    by_id = {row.pk: row for row in rows}
    return [by_id[testimony_id] for testimony_id in ids if testimony_id in by_id]


def _cache_key(testimony: Testimony, *, using: str) -> str:
    # The consultation's latest publication (read from the listing index): a new testimony may
    # be closer than those found before.
    newest = (
        Testimony.objects.using(using)
        .published()
        .filter(consultation_id=testimony.consultation_id, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    newest_mark = newest.timestamp() if newest else 0
    changed = testimony.updated_at.timestamp() if testimony.updated_at else 0
    return f"explore:similar:{CACHE_VERSION}:{using}:{testimony.pk}:{changed}:{newest_mark}"


def similar_testimonies(testimony: Testimony, *, using: str = "default") -> list[Testimony]:
    """Up to `SIMILAR_COUNT` published testimonies of the same consultation close to this one
    by text, best first, with their collectivity (for `explore/includes/collectivity.html`)."""
    key = _cache_key(testimony, using=using)
    ids = cache.get(key)
    if ids is None:
        rows = similar_rows_compute(testimony, using=using)
        cache.set(key, [row.pk for row in rows], CACHE_SECONDS)
        return rows
    return _rows(testimony, ids, using=using)

"""Possible duplicates: a collectivity that sent the same testimony twice.

Two testimonies are *possible duplicates* when they belong to the same consultation and the same
collectivity and their texts are alike: the Jaccard index of their sets of meaningful words
(title and initiative, folded like `retex.core.text.fold`, words of one or two letters and French
function words left out) is at least `SIMILARITY_THRESHOLD`. Withdrawn and expired testimonies
are never suggested.

Why 0.4: on the demo generator's corpus, two different initiatives of the same collectivity
score 0.0–0.2, and the same initiative written twice (other sentences around it, another
title) scores 0.3–0.8; a city that pastes its text again scores near 1. A false suggestion costs
a glance; a missed duplicate costs a second publication.

The review page compares one testimony on the fly (`similar_testimonies`). The queue needs the
answer for thousands of testimonies at once, so it reads pairs stored by `duplicates_refresh`,
which compares the testimonies awaiting a decision whose text changed since their last scan
(`DuplicateScan` keeps their `updated_at`). The queue looks for them at most every
`REFRESH_SECONDS` (`duplicates_refresh_for_queue`): a few newcomers are compared there and
then; more (an import, a first look at a large consultation) are handed to the task worker,
so that no page view pays for them, and the queue says how many wait. Pairs are stored in
both directions: the testimony already waiting learns about the newcomer too.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_tasks import task

from retex.consultations.models import Consultation
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.moderation.models import DuplicateScan, PossibleDuplicate

SIMILARITY_THRESHOLD = 0.4
# Never suggested as the other copy: the author took it back, or never confirmed it in time.
NOT_COMPARED = (TestimonyStatus.WITHDRAWN, TestimonyStatus.EXPIRED)
# The testimonies whose possible duplicates the queue shows: those awaiting a decision.
SCANNED = (TestimonyStatus.SUBMITTED, TestimonyStatus.CHANGES_REQUESTED)
# Newcomers the queue compares itself, at most; beyond, the task worker does (an import, a
# generated corpus). `duplicates_refresh(limit=None)` does them all.
SCAN_BATCH = 25
# Testimonies the worker compares per transaction.
WORKER_BATCH = 500
# How long a catch-up handed to the worker is not handed again.
WORKER_HANDOVER_SECONDS = 600
# How long the queue trusts its last look for testimonies to compare (a newcomer's possible
# duplicates show in the queue at most this late; its review page shows them at once).
REFRESH_SECONDS = 30

# The same words as retex.explore.search.text.STOP_WORDS (kept here: moderation does not
# depend on the public search).
_STOP_WORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle elles en et etaient etait etre il ils je la
    le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ont ou par pas pour qu que
    qui sa se ses si son sont ta te tes toi ton tu un une vos votre vous
    """.split()  # noqa: SIM905 - a list of words reads better as words
)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_WORD = re.compile(r"[a-z0-9]+")


def meaningful_words(*texts: str) -> frozenset[str]:
    """Folded words of the texts, without function words and one- or two-letter words.

    The same folding as `retex.core.text.fold` (accents and case away, anything else than a-z
    and 0-9 separates words), written with C-speed string operations: the queue folds
    thousands of texts when a batch arrives."""
    text = " ".join(texts).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.replace("Æ", "AE"))).lower()
    return frozenset(
        word for word in _WORD.findall(text) if len(word) > 2 and word not in _STOP_WORDS
    )


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard index: shared words over all the words of both (0 when both are empty)."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


@dataclass(frozen=True)
class Similar:
    testimony: Testimony
    similarity: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _compared(consultation_id: int) -> QuerySet[Testimony]:
    return Testimony.objects.filter(consultation_id=consultation_id).exclude(
        status__in=NOT_COMPARED
    )


def similar_testimonies(testimony: Testimony) -> list[Similar]:
    """The possible duplicates of one testimony, most alike first. For one awaiting a decision,
    the stored pairs (compared now if its text changed since); for the others, computed now."""
    if testimony.status in SCANNED:
        fresh = DuplicateScan.objects.filter(
            testimony=testimony, testimony_updated_at=testimony.updated_at
        ).exists()
        if not fresh:
            _scan(
                testimony.consultation_id,
                {testimony.pk: (testimony.territory_id, testimony.updated_at)},
            )
        pairs = (
            PossibleDuplicate.objects.filter(testimony=testimony)
            .exclude(other__status__in=NOT_COMPARED)
            .select_related("other")
            .only(*(f"other__{name}" for name in _SHOWN), "similarity")
        )
        found = [Similar(testimony=pair.other, similarity=pair.similarity) for pair in pairs]
    else:
        words = meaningful_words(testimony.title, testimony.initiative)
        peers = (
            _compared(testimony.consultation_id)
            .filter(territory_id=testimony.territory_id)
            .exclude(pk=testimony.pk)
            .only(*_SHOWN, "initiative")
        )
        found = []
        for peer in peers:
            score = similarity(words, meaningful_words(peer.title, peer.initiative))
            if score >= SIMILARITY_THRESHOLD:
                found.append(Similar(testimony=peer, similarity=score))
    found.sort(key=lambda item: (-item.similarity, item.testimony.pk))
    return found


_SHOWN = ("id", "title", "status", "submitted_at", "created_at")


def _stale(consultation: Consultation) -> QuerySet[Testimony]:
    """Testimonies awaiting a decision never compared, or changed since."""
    fresh = DuplicateScan.objects.filter(
        testimony=OuterRef("pk"), testimony_updated_at=OuterRef("updated_at")
    )
    return Testimony.objects.filter(consultation=consultation, status__in=SCANNED).filter(
        ~Exists(fresh)
    )


def duplicates_refresh_due(*, consultation: Consultation) -> bool:
    """Whether the queue should look for testimonies to compare now: at most every
    REFRESH_SECONDS per consultation (finding them reads every testimony awaiting a decision).
    The review page always compares on the fly."""
    return cache.add(_refresh_key(consultation), True, timeout=REFRESH_SECONDS)


def _refresh_key(consultation: Consultation) -> str:
    return f"retex:moderation:duplicates-refreshed:{consultation.pk}"


def _handover_key(consultation_id: int) -> str:
    return f"retex:moderation:duplicates-handed-over:{consultation_id}"


def duplicates_refresh_for_queue(*, consultation: Consultation) -> int:
    """What the queue does as it opens: at most every REFRESH_SECONDS, compare the newcomers
    itself when they are few (SCAN_BATCH), or hand them to the task worker, once, when there
    are more. Returns how many are left to compare (0 when it did not look)."""
    if not duplicates_refresh_due(consultation=consultation):
        return 0
    stale = duplicates_unscanned(consultation=consultation)
    if stale <= SCAN_BATCH:
        if stale:
            duplicates_refresh(consultation=consultation, limit=None)
        return 0
    if cache.add(_handover_key(consultation.pk), True, timeout=WORKER_HANDOVER_SECONDS):
        duplicates_refresh_all.enqueue(consultation_id=consultation.pk)
    return stale


@task()
def duplicates_refresh_all(*, consultation_id: int) -> int:
    """Compare every stale testimony of a consultation, WORKER_BATCH per transaction (the task
    the queue hands a large catch-up to); returns how many were compared."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    total = 0
    # Bounded: each batch leaves its testimonies fresh, unless edited meanwhile.
    for _ in range(duplicates_unscanned(consultation=consultation) // WORKER_BATCH + 2):
        compared = duplicates_refresh(consultation=consultation, limit=WORKER_BATCH)
        total += compared
        if compared < WORKER_BATCH:
            break
    cache.delete(_handover_key(consultation_id))
    return total


def duplicates_unscanned(*, consultation: Consultation) -> int:
    """How many testimonies awaiting a decision the stored pairs do not cover yet."""
    return _stale(consultation).count()


def duplicates_refresh(*, consultation: Consultation, limit: int | None = SCAN_BATCH) -> int:
    """Compare the stale testimonies awaiting a decision (at most `limit`, those waiting the
    longest first) with the others of their collectivity, and store the pairs found; returns
    how many were compared. Derived data only: no audit, safe to run at any time."""
    stale = _stale(consultation).order_by("submitted_at", "pk")
    if limit is not None:
        stale = stale[:limit]
    scanned = {
        pk: (territory_id, updated_at)
        for pk, territory_id, updated_at in stale.values_list("pk", "territory_id", "updated_at")
    }
    if scanned:
        _scan(consultation.pk, scanned)
    return len(scanned)


def duplicates_peers_changed(testimony: Testimony, *, territory_ids: set[int]) -> None:
    """A testimony's text changed: the testimonies awaiting a decision of its collectivity
    (before and after the change) are compared again at the queue's next look, since the pairs
    stored for them may name it. (Its own scan follows its `updated_at`.)"""
    DuplicateScan.objects.filter(
        testimony__consultation_id=testimony.consultation_id,
        testimony__territory_id__in=territory_ids,
        testimony__status__in=SCANNED,
    ).exclude(testimony=testimony).delete()


def _scan(consultation_id: int, scanned: dict[int, tuple[int, object]]) -> None:
    """Compare these testimonies (pk -> territory, updated_at) with the others of their
    collectivity, and store what was found in place of what was known about them."""
    territories = {territory_id for territory_id, _updated in scanned.values()}
    by_territory: dict[int, list[tuple[int, frozenset[str]]]] = defaultdict(list)
    rows = (
        _compared(consultation_id)
        .filter(territory_id__in=territories)
        .order_by()
        .values_list("pk", "territory_id", "title", "initiative")
    )
    for pk, territory_id, title, initiative in rows.iterator(chunk_size=2000):
        by_territory[territory_id].append((pk, meaningful_words(title, initiative)))
    words = {pk: text for group in by_territory.values() for pk, text in group}
    pairs: dict[tuple[int, int], float] = {}
    for pk, (territory_id, _updated) in scanned.items():
        if pk not in words:  # withdrawn since it was listed
            continue
        for other, other_words in by_territory[territory_id]:
            if other == pk:
                continue
            score = similarity(words[pk], other_words)
            if score >= SIMILARITY_THRESHOLD:
                pairs[(pk, other)] = pairs[(other, pk)] = score
    with transaction.atomic():
        ids = list(scanned)
        PossibleDuplicate.objects.filter(Q(testimony_id__in=ids) | Q(other_id__in=ids)).delete()
        PossibleDuplicate.objects.bulk_create(
            [
                PossibleDuplicate(testimony_id=first, other_id=second, similarity=score)
                for (first, second), score in pairs.items()
            ],
            ignore_conflicts=True,  # another moderator's page may store the same pairs
        )
        DuplicateScan.objects.bulk_create(
            [
                DuplicateScan(testimony_id=pk, testimony_updated_at=updated_at)
                for pk, (_territory, updated_at) in scanned.items()
            ],
            update_conflicts=True,
            unique_fields=["testimony"],
            update_fields=["testimony_updated_at"],
        )


def possibly_duplicated() -> Exists:
    """For a queryset of testimonies: whether a stored pair names another live testimony."""
    return Exists(
        PossibleDuplicate.objects.filter(testimony=OuterRef("pk")).exclude(
            other__status__in=NOT_COMPARED
        )
    )

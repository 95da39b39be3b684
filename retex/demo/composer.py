"""Composing fictional testimonies from the phrase banks: plain Python, no database.

Given a seed, the composer always produces the same drafts in the same order: the same places,
texts, tools, authors, states and dates. Sentences are drawn from shuffled decks that are only
reshuffled once every sentence of the deck was used, so that reuse is spread as evenly as
possible: in a small corpus (the demo's), a sentence rarely appears twice.
"""

import math
import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from retex.contributions.enums import AuthorRole, TestimonyStatus
from retex.core.text import fold
from retex.demo import corpus
from retex.territories.enums import TerritoryKind

# Bounds of a testimony's text: title, initiative, difficulties and lessons together.
MIN_TEXT_LENGTH = 300
MAX_TEXT_LENGTH = 4000

PARIS = ZoneInfo("Europe/Paris")

T = TypeVar("T")

# Most testimonies are published; the other states are there so that every screen has data.
DEFAULT_STATUS_WEIGHTS: dict[str, float] = {
    TestimonyStatus.PUBLISHED: 85,
    TestimonyStatus.SUBMITTED: 4,
    TestimonyStatus.CHANGES_REQUESTED: 2,
    TestimonyStatus.REJECTED: 2.5,
    TestimonyStatus.DUPLICATE: 1,
    TestimonyStatus.UNPUBLISHED: 1,
    TestimonyStatus.WITHDRAWN: 1,
    TestimonyStatus.PENDING_VERIFICATION: 2,
    TestimonyStatus.EXPIRED: 1.5,
}

# States reached only after the author confirmed the e-mail address.
SUBMITTED_STATES = frozenset(DEFAULT_STATUS_WEIGHTS) - {
    TestimonyStatus.PENDING_VERIFICATION,
    TestimonyStatus.EXPIRED,
}

AUTHOR_ROLE_WEIGHTS: dict[str, float] = {
    AuthorRole.AGENT: 68,
    AuthorRole.ELECTED_OFFICIAL: 24,
    AuthorRole.OTHER: 8,
}

NUMBER_WORDS = ("deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")

_THOUSANDS = re.compile(r"(\d) (?=\d{3}\b)")
_BEFORE_UNIT = re.compile(r"(\d) ([%€h])(?=\W|$)")
_EPCI_NAME_WORDS = frozenset(
    [
        "communaute",
        "d",
        "agglomeration",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "l",
        "communes",
        "urbaine",
        "metropole",
        "et",
    ]
)
_EPCI_DOMAIN_PREFIX = {"CA": "agglo", "CC": "cc", "CU": "cu", "ME": "metropole"}


def typeset(text: str) -> str:
    """French typography for figures: no line break inside 12 000, before % or €."""
    return _BEFORE_UNIT.sub("\\1\u00a0\\2", _THOUSANDS.sub("\\1\u202f", text))


def text_length(*, title: str, initiative: str, difficulties: str, lessons: str) -> int:
    return len(title) + len(initiative) + len(difficulties) + len(lessons)


@dataclass(frozen=True)
class Place:
    """A territory as the composer sees it."""

    pk: int
    kind: str
    code: str
    name: str
    population: int | None
    legal_form: str = ""
    in_audience: bool = True


@dataclass(frozen=True)
class ThemeShape:
    """A consultation theme: how many sub-topics, and whether "other" is accepted."""

    subtopic_count: int
    accepts_other: bool = True


@dataclass(frozen=True)
class TopicRef:
    """Indices into the consultation's themes and their sub-topics; None for "other"."""

    theme: int
    subtopic: int | None


@dataclass(frozen=True)
class Draft:
    place: Place
    status: str
    title: str
    initiative: str
    difficulties: str
    lessons: str
    topics: tuple[TopicRef, ...]
    tool_slugs: tuple[str, ...]
    partners: str
    cost_and_team: str
    started_on: date | None
    ended_on: date | None
    author_name: str
    author_role: str
    author_email: str
    anonymous: bool
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    publication_consent_at: datetime

    @property
    def text_length(self) -> int:
        return text_length(
            title=self.title,
            initiative=self.initiative,
            difficulties=self.difficulties,
            lessons=self.lessons,
        )


def lower_first(text: str) -> str:
    """Lower-case the first letter, for a sentence placed after a connector.

    Acronyms (CCAS) keep their case; a leading capitalised placeholder ({Collectivite}) becomes
    its lower-case twin.
    """
    if text.startswith("{") and len(text) > 1 and text[1].isupper():
        return "{" + text[1].lower() + text[2:]
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _format_number(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def _nice(value: float) -> int:
    """Round a figure the way people quote it: 37, 85, 240, 1 350, 12 400."""
    value = max(int(round(value)), 1)
    for limit, step in ((30, 1), (200, 5), (1000, 10), (10_000, 50)):
        if value < limit:
            return max(step, round(value / step) * step)
    return round(value / 100) * 100


def _about(population: int) -> str:
    """A population as said in a sentence: "environ 24 000 habitants"."""
    step = 100 if population < 10_000 else 1000
    return _format_number(max(step, round(population / step) * step))


class _Deck(Generic[T]):
    """Items (sentences, initiatives, topics) in a shuffled order, reshuffled once all were
    drawn."""

    __slots__ = ("items", "order", "position", "rng")

    def __init__(self, items: Sequence[T], rng: random.Random) -> None:
        self.items = tuple(items)
        self.rng = rng
        self.order = list(range(len(self.items)))
        rng.shuffle(self.order)
        self.position = 0

    def draw(self, used: set) -> T | None:
        """The next item not used yet in this testimony (and mark it used), or None."""
        for _ in range(len(self.items)):
            if self.position == len(self.order):
                self.rng.shuffle(self.order)
                self.position = 0
            item = self.items[self.order[self.position]]
            self.position += 1
            if item not in used:
                used.add(item)
                return item
        return None


@dataclass(frozen=True)
class _PlaceWords:
    """How texts name a place, computed once per place."""

    words: dict[str, str]
    population: int
    domain: str


def _place_words(place: Place) -> _PlaceWords:
    population = place.population or 20_000
    # A stable choice per place, so that all its testimonies agree.
    feminine = zlib.crc32(place.code.encode()) % 5 == 0
    if place.kind == TerritoryKind.EPCI:
        noun = {
            "CC": "la communauté de communes",
            "CU": "la communauté urbaine",
            "ME": "la métropole",
        }.get(place.legal_form, "l'agglomération")
        council = (
            "le conseil métropolitain" if place.legal_form == "ME" else "le conseil communautaire"
        )
        words = {
            "collectivite": noun,
            "de_collectivite": "de " + noun,
            "siege": "le siège de " + noun,
            "conseil": council,
            "elus": "les élus communautaires",
            "executif": "la présidente" if feminine else "le président",
            "ccas": "le CIAS",
            "du_ccas": "du CIAS",
            "au_ccas": "au CIAS",
        }
        short = [w for w in fold(place.name).split() if w not in _EPCI_NAME_WORDS][:3]
        prefix = _EPCI_DOMAIN_PREFIX.get(place.legal_form, "epci")
        domain = f"{prefix}-{'-'.join(short) or place.code}.example"
    else:
        small = population < 10_000
        noun = "la commune" if small else "la ville"
        words = {
            "collectivite": noun,
            "de_collectivite": "de " + noun,
            "siege": "la mairie" if small else "l'hôtel de ville",
            "conseil": "le conseil municipal",
            "elus": "les élus municipaux",
            "executif": "la maire" if feminine else "le maire",
            "ccas": "le CCAS",
            "du_ccas": "du CCAS",
            "au_ccas": "au CCAS",
        }
        domain = f"ville-{fold(place.name).replace(' ', '-')}.example"
    for key in ("collectivite", "conseil", "elus", "executif", "siege"):
        words[key[0].upper() + key[1:]] = upper_first(words[key])
    words["nom"] = place.name
    words["pop"] = _about(population)
    return _PlaceWords(words=words, population=population, domain=domain)


class _Slots(dict):
    """Placeholder values for one testimony; figures are drawn only when a sentence uses them."""

    def __init__(self, words: _PlaceWords, rng: random.Random, tools: str) -> None:
        super().__init__(words.words)
        self["outils"] = tools
        self._rng = rng
        self._population = words.population

    def __missing__(self, key: str) -> str:
        rng = self._rng
        size = self._population
        factor = rng.uniform(0.7, 1.3)
        match key:
            case "agents":
                value = _format_number(_nice(min(max(size / 55 * factor, 60), 4000)))
            case "agents_tt":
                value = _format_number(
                    _nice(min(max(size / 55 * rng.uniform(0.2, 0.45), 25), 1500))
                )
            case "postes":
                value = _format_number(_nice(min(max(size / 300 * factor, 15), 600)))
            case "commercants":
                value = _format_number(_nice(min(max(size / 400 * factor, 12), 600)))
            case "producteurs":
                value = str(rng.randint(6, 18) + min(int(size / 8000), 30))
            case "commandes":
                value = _format_number(_nice(min(max(size / 25 * factor, 150), 8000)))
            case "appels":
                value = _format_number(_nice(min(max(size / 30 * factor, 120), 9000)))
            case "seniors":
                value = _format_number(_nice(size * rng.uniform(0.015, 0.05)))
            case "familles":
                value = _format_number(_nice(min(max(size / 250 * factor, 20), 2000)))
            case "eleves":
                value = _format_number(_nice(min(max(size * rng.uniform(0.003, 0.009), 20), 1500)))
            case "equipements":
                value = _format_number(_nice(min(max(size * rng.uniform(0.002, 0.007), 15), 1200)))
            case "benevoles":
                value = _format_number(_nice(min(max(size / 180 * factor, 25), 900)))
            case "associations":
                value = _format_number(_nice(min(max(size / 1200 * factor, 8), 150)))
            case "participants":
                value = _format_number(_nice(min(max(size / 150 * factor, 25), 800)))
            case "rdv":
                value = _format_number(_nice(min(max(size * rng.uniform(0.04, 0.12), 300), 20_000)))
            case "budget":
                amount = min(max(size * rng.uniform(0.25, 1.6), 2000), 150_000)
                value = _format_number(int(round(amount / 500) * 500)) + "\u00a0€"
            case "pct":
                value = f"{rng.randrange(20, 80, 5)}\u00a0%"
            case "pct_low":
                value = f"{rng.randint(8, 35)}\u00a0%"
            case "semaines":
                value = str(rng.randint(3, 10))
            case "n_small":
                value = str(rng.randint(2, 9))
            case "n_small_txt":
                value = rng.choice(NUMBER_WORDS)
            case "n_mid":
                value = str(rng.randint(12, 45) + min(int(size / 6000), 40))
            case "n_big":
                value = _format_number(
                    _nice(min(max(size / 20 * rng.uniform(0.5, 2), 300), 12_000))
                )
            case _:
                raise KeyError(key)
        self[key] = value
        return value


def _typeset_bank(bank: corpus.Bank) -> corpus.Bank:
    def each(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(typeset(item) for item in items)

    return corpus.Bank(
        initiatives=tuple(
            corpus.Initiative(
                title=typeset(initiative.title),
                action=typeset(initiative.action),
                details=each(initiative.details),
                results=each(initiative.results),
                tools=initiative.tools,
                starts=initiative.starts,
                difficulties=each(initiative.difficulties),
                lessons=each(initiative.lessons),
            )
            for initiative in bank.initiatives
        ),
        details=each(bank.details),
        difficulties=each(bank.difficulties),
        lessons=each(bank.lessons),
        tools=bank.tools,
        partners=bank.partners,
    )


_BANK_FIELDS = ("initiatives", "details", "difficulties", "lessons")
_SHARED = {
    "openers": corpus.OPENERS,
    "tools_one": corpus.TOOL_SENTENCES_ONE,
    "tools_many": corpus.TOOL_SENTENCES_MANY,
    "closers": corpus.CLOSERS,
    "difficulties": corpus.GENERIC_DIFFICULTIES,
    "lessons": corpus.GENERIC_LESSONS,
    "costs": corpus.COST_TEMPLATES,
}


def _with_connector(connector: str, template: str, fallback: str = "") -> str:
    # Never two colons in one sentence ("Notre conseil : il faut : …").
    if connector.endswith(": ") and ":" in template:
        connector = fallback
    return connector + lower_first(template) if connector else template


@dataclass
class _Text:
    """Sentences of one field, with their running length."""

    sentences: list[str]
    length: int = 0

    def add(self, sentence: str) -> None:
        self.sentences.append(sentence)
        self.length += len(sentence) + 1


class TestimonyComposer:
    """Draws places, topics, texts, authors, states and dates for fictional testimonies."""

    def __init__(
        self,
        *,
        seed: int | str,
        themes: Sequence[ThemeShape],
        places: Sequence[Place],
        opens_at: datetime,
        closes_at: datetime,
        out_of_audience_share: float = 0.12,
        length_median: int = 1100,
        max_initiatives: int = 3,
        shared_share: float = 0.25,
        status_weights: dict[str, float] | None = None,
    ) -> None:
        if not themes:
            raise ValueError("The consultation has no themes to file testimonies under.")
        if not places:
            raise ValueError("No territories to draw from: load the territories first.")
        if closes_at <= opens_at:
            raise ValueError("The testimonies' window must end after it starts.")
        self.rng = random.Random(f"retex-demo:{seed}")
        self.opens_at = opens_at
        self.closes_at = closes_at
        self.length_median = length_median
        self.out_of_audience_share = out_of_audience_share
        # How many initiatives one testimony may tell; 1 keeps a small corpus free of repeats.
        self.max_initiatives = max(1, max_initiatives)
        # How often a difficulty or lesson comes from the shared banks rather than the topic's.
        self.shared_share = shared_share

        weights = status_weights or DEFAULT_STATUS_WEIGHTS
        self._statuses = list(weights)
        self._status_cum = list(accumulate(weights.values()))
        self._roles = list(AUTHOR_ROLE_WEIGHTS)
        self._role_cum = list(accumulate(AUTHOR_ROLE_WEIGHTS.values()))

        self._place_pools = self._pools(places)
        self._place_words: dict[int, _PlaceWords] = {}

        # Consultation themes map onto the corpus themes by position (wrapping around), so the
        # generator also fills consultations shaped differently from the demo's.
        typeset_themes = [
            ([_typeset_bank(bank) for bank in theme.subtopics], _typeset_bank(theme.other))
            for theme in corpus.THEMES
        ]
        self._banks: dict[TopicRef, tuple[tuple[int, int], corpus.Bank]] = {}
        topics: list[TopicRef] = []
        for theme_index, shape in enumerate(themes):
            corpus_index = theme_index % len(corpus.THEMES)
            subtopic_banks, other_bank = typeset_themes[corpus_index]
            for subtopic_index in range(shape.subtopic_count):
                bank_index = subtopic_index % len(subtopic_banks)
                topic = TopicRef(theme_index, subtopic_index)
                self._banks[topic] = ((corpus_index, bank_index), subtopic_banks[bank_index])
            if shape.accepts_other or not shape.subtopic_count:
                self._banks[TopicRef(theme_index, None)] = ((corpus_index, -1), other_bank)
        # A topic comes up as often as it has initiatives: over one round of the deck, each
        # initiative opens exactly one testimony (when testimonies tell one initiative each).
        for topic, (_key, bank) in self._banks.items():
            topics += [topic] * len(bank.initiatives)
        self._topics = _Deck(topics, self.rng)

        # One deck per bank and field, shared by the consultation themes that map onto it.
        self._decks: dict[tuple[tuple[int, int], str], _Deck] = {}
        for key, bank in self._banks.values():
            for field in _BANK_FIELDS:
                if (key, field) not in self._decks:
                    self._decks[(key, field)] = _Deck(getattr(bank, field), self.rng)
        self._shared = {
            name: _Deck([typeset(item) for item in items], self.rng)
            for name, items in _SHARED.items()
        }
        self._tools = {tool.slug: tool for tool in corpus.TOOLS}

    # -- places ----------------------------------------------------------------------------

    @staticmethod
    def _pools(places: Sequence[Place]) -> dict[bool, tuple[list[Place], list[float]]]:
        """Places in and out of the audience, weighted: bigger places testify more often,
        intercommunalities less often than communes."""
        pools: dict[bool, tuple[list[Place], list[float]]] = {}
        for in_audience in (True, False):
            members = [place for place in places if place.in_audience == in_audience]
            weights = [
                math.sqrt(place.population or 1000)
                * (0.35 if place.kind == TerritoryKind.EPCI else 1.0)
                for place in members
            ]
            if members:
                pools[in_audience] = (members, list(accumulate(weights)))
        return pools

    def _draw_place(self) -> Place:
        wanted = self.rng.random() >= self.out_of_audience_share
        members, cumulative = self._place_pools.get(wanted) or self._place_pools[not wanted]
        return self.rng.choices(members, cum_weights=cumulative)[0]

    def _words(self, place: Place) -> _PlaceWords:
        words = self._place_words.get(place.pk)
        if words is None:
            words = self._place_words[place.pk] = _place_words(place)
        return words

    def _deck(self, topic: TopicRef, field: str) -> _Deck:
        return self._decks[(self._banks[topic][0], field)]

    # -- dates -----------------------------------------------------------------------------

    def _office_time(self, moment: datetime) -> datetime:
        """Move a moment to a working hour, Paris time, and mostly off weekends."""
        local = moment.astimezone(PARIS)
        weekday = local.weekday()
        if weekday >= 5 and self.rng.random() < 0.85:
            local += timedelta(days=7 - weekday)
        return local.replace(
            hour=self.rng.randint(8, 18), minute=self.rng.randint(0, 59), second=0, microsecond=0
        )

    def _dates(
        self, status: str, end: datetime, not_before: date | None = None
    ) -> tuple[datetime, datetime | None, datetime | None]:
        """When the form was sent, the address confirmed and the testimony published.

        A testimony cannot tell an initiative before it started: `not_before` moves the
        window's start when the consultation leaves room after it.
        """
        rng = self.rng
        start = self.opens_at
        if not_before is not None:
            earliest = datetime.combine(not_before + timedelta(days=7), time(9), tzinfo=PARIS)
            if start < earliest < end:
                start = earliest
        span = (end - start).total_seconds()
        # A steady flow, and a rush in the last days before the deadline.
        share = 1 - rng.random() * 0.06 if rng.random() < 0.2 else rng.random()
        raw = start + timedelta(seconds=span * share)
        moment = self._office_time(raw)
        created = moment if start <= moment <= end else raw
        if status not in SUBMITTED_STATES:
            return created, None, None
        # Most people click the confirmation link within the hour, some the next day.
        minutes = rng.randint(2, 60) if rng.random() < 0.75 else rng.randint(60, 1800)
        submitted = created + timedelta(minutes=minutes)
        if submitted > end:
            submitted = created + (end - created) * rng.random()
        if status != TestimonyStatus.PUBLISHED:
            return created, submitted, None
        published = self._office_time(submitted + timedelta(days=rng.uniform(0.5, 8)))
        if not submitted <= published <= end:
            # Sent just before the deadline: published in the little time left.
            published = self._office_time(submitted + (end - submitted) * rng.random())
            if not submitted <= published <= end:
                published = submitted + (end - submitted) * rng.random()
        return created, submitted, published

    def _period(
        self, created: datetime, initiative: corpus.Initiative
    ) -> tuple[date | None, date | None]:
        """When the initiative started and (if it did) ended: mostly from spring 2020."""
        rng = self.rng
        if rng.random() < 0.12:
            return None, None
        latest = created.astimezone(PARIS).date()
        first_lockdown = date(2020, 3, 16)
        roll = rng.random()
        if initiative.starts is not None:
            earliest, last = initiative.starts
            started = earliest + timedelta(days=rng.randint(0, (last - earliest).days))
        elif roll < 0.55:
            started = first_lockdown + timedelta(days=rng.randint(0, 45))
        elif roll < 0.7:
            started = date(2020, 5, 1) + timedelta(days=rng.randint(0, 150))
        elif roll < 0.92:
            started = date(2020, 10, 15) + timedelta(days=rng.randint(0, 60))
        else:
            started = date(2021, 1, 4) + timedelta(days=rng.randint(0, 50))
        if started > latest:
            if initiative.starts is not None:
                return None, None
            started = min(first_lockdown + timedelta(days=rng.randint(0, 45)), latest)
        ended = None
        if rng.random() < 0.55:
            ended = min(started + timedelta(weeks=rng.randint(3, 20)), latest)
            if ended - started < timedelta(days=7):
                ended = None
        return started, ended

    # -- texts -----------------------------------------------------------------------------

    def _target_length(self) -> int:
        target = self.rng.lognormvariate(math.log(self.length_median), 0.6)
        return int(min(max(target, MIN_TEXT_LENGTH + 80), MAX_TEXT_LENGTH - 150))

    def _paragraphs(self, sentences: list[str]) -> str:
        paragraphs: list[str] = []
        start = 0
        while start < len(sentences):
            size = self.rng.choice((2, 3, 3, 4))
            paragraphs.append(" ".join(sentences[start : start + size]))
            start += size
        return "\n\n".join(paragraphs)

    def _tell(
        self,
        text: _Text,
        initiative: corpus.Initiative,
        slots: _Slots,
        target: int,
        connector: str = "",
        tools_sentence: str | None = None,
    ) -> None:
        """One initiative: its action, then details and results while there is room."""
        rng = self.rng
        text.add(_with_connector(connector, initiative.action, "En parallèle, ").format_map(slots))
        details = rng.sample(initiative.details, len(initiative.details))
        results = rng.sample(initiative.results, min(len(initiative.results), rng.randint(1, 2)))
        for index, detail in enumerate(details):
            if text.length >= target:
                break
            text.add(
                _with_connector(rng.choice(corpus.DETAIL_CONNECTORS), detail).format_map(slots)
            )
            if index == 0 and tools_sentence is not None:
                text.add(tools_sentence.format_map(slots))
                tools_sentence = None
        if tools_sentence is not None and text.length < target:
            text.add(tools_sentence.format_map(slots))
        for result in results:
            if text.length >= target:
                break
            text.add(result.format_map(slots))

    def _initiative(
        self,
        plan: list[tuple[TopicRef, corpus.Initiative]],
        slots: _Slots,
        used: set,
        target: int,
        tool_count: int,
    ) -> tuple[list[str], list[tuple[TopicRef, corpus.Initiative]]]:
        """The initiative text, and the initiatives it actually tells."""
        rng = self.rng
        text = _Text([])
        # Openers set the scene of spring 2020: not for initiatives that came later.
        if plan[0][1].starts is None and rng.random() < 0.45:
            opener = self._shared["openers"].draw(used)
            if opener is not None:
                text.add(opener.format_map(slots))
        tools_deck = self._shared["tools_one" if tool_count == 1 else "tools_many"]
        tools_sentence = tools_deck.draw(used) if tool_count else None
        self._tell(text, plan[0][1], slots, target, tools_sentence=tools_sentence)
        told = [plan[0]]
        for topic, initiative in plan[1:]:
            # Another initiative only if there is room to say more than its first sentence.
            if text.length >= target - 220:
                break
            connector = rng.choice(corpus.SECOND_ACTION_CONNECTORS)
            self._tell(text, initiative, slots, target, connector=connector)
            told.append((topic, initiative))
        # At most one of the sub-topic's general details: they are shared by many testimonies.
        if text.length < target:
            detail = self._deck(plan[0][0], "details").draw(used)
            if detail is not None:
                text.add(detail.format_map(slots))
        if rng.random() < 0.35:
            closer = self._shared["closers"].draw(used)
            if closer is not None:
                text.add(closer.format_map(slots))
        return text.sentences, told

    def _remarks(
        self,
        field: str,
        connectors: tuple[str, ...],
        told: list[tuple[TopicRef, corpus.Initiative]],
        slots: _Slots,
        used: set,
        target: int,
    ) -> list[str]:
        """Difficulties or lessons: the initiatives' own first, then their sub-topics', with
        some shared ones mixed in."""
        rng = self.rng
        text = _Text([])
        own = [sentence for _, initiative in told for sentence in getattr(initiative, field)]
        topics = list(dict.fromkeys(topic for topic, _ in told))
        turn = 0
        misses = 0
        last_connector = ""
        while text.length < target and misses < 2 * len(topics) + 2:
            template = None
            if own:
                template = own.pop(0)
                used.add(template)
            elif rng.random() >= self.shared_share:
                template = self._deck(topics[turn % len(topics)], field).draw(used)
                turn += 1
            if template is None:
                template = self._shared[field].draw(used)
            if template is None:
                misses += 1
                continue
            connector = rng.choice(connectors) if text.sentences else ""
            if connector == last_connector:
                connector = ""
            last_connector = connector
            text.add(_with_connector(connector, template).format_map(slots))
        return text.sentences

    def _fit(
        self, title: str, parts: dict[str, list[str]], slots: _Slots, used: set[str]
    ) -> dict[str, str]:
        """Join the sentences, then drop or add some to stay within the length bounds."""
        texts = {name: self._paragraphs(sentences) for name, sentences in parts.items()}

        def total() -> int:
            return len(title) + sum(len(text) for text in texts.values())

        while total() > MAX_TEXT_LENGTH:
            name = max(
                (n for n in parts if len(parts[n]) > (1 if n == "initiative" else 0)),
                key=lambda n: len(texts[n]),
            )
            parts[name].pop()
            texts[name] = self._paragraphs(parts[name])
        while total() < MIN_TEXT_LENGTH:
            name = (
                "difficulties" if len(texts["difficulties"]) <= len(texts["lessons"]) else "lessons"
            )
            template = self._shared[name].draw(used)
            if template is None:
                break
            parts[name].append(template.format_map(slots))
            texts[name] = self._paragraphs(parts[name])
        return texts

    def _title(self, initiative: corpus.Initiative, place: Place) -> str:
        title = initiative.title
        if place.kind == TerritoryKind.COMMUNE and ":" not in title and self.rng.random() < 0.2:
            title = f"{place.name} : {lower_first(title)}"
        return title[:200]

    # -- people ----------------------------------------------------------------------------

    def _author(self, words: _PlaceWords, role: str) -> tuple[str, str]:
        given = self.rng.choice(corpus.GIVEN_NAMES)
        surname = self.rng.choice(corpus.SURNAMES)
        local_given = fold(given).replace(" ", "-")
        local_surname = fold(surname).replace(" ", "-")
        if self.rng.random() < 0.4:
            local = f"{local_given[0]}.{local_surname}"
        else:
            local = f"{local_given}.{local_surname}"
        domain = "example.org" if role == AuthorRole.OTHER else words.domain
        return f"{given} {surname}", f"{local}@{domain}"

    # -- the whole testimony ---------------------------------------------------------------

    def _pick_tools(
        self, initiatives: list[corpus.Initiative], topics: list[TopicRef]
    ) -> tuple[str, ...]:
        """1 to 4 tools, those the initiatives rely on first."""
        rng = self.rng
        count = rng.choices((1, 2, 3, 4), weights=(30, 35, 25, 10))[0]
        own: list[str] = []
        for initiative in initiatives:
            own += [slug for slug in initiative.tools if slug not in own]
        chosen = rng.sample(own, min(count, len(own)))
        if len(chosen) < count:
            others: list[str] = []
            for topic in topics:
                others += [
                    slug
                    for slug in self._banks[topic][1].tools
                    if slug not in chosen and slug not in others
                ]
            chosen += rng.sample(others, min(count - len(chosen), len(others)))
        return tuple(chosen)

    def compose(self, *, status: str | None = None, now: datetime | None = None) -> Draft:
        """One more draft. `status` forces the state; `now` caps the dates for open windows."""
        rng = self.rng
        if status is None:
            status = rng.choices(self._statuses, cum_weights=self._status_cum)[0]
        place = self._draw_place()
        words = self._words(place)

        used: set = set()
        primary = self._topics.draw(used)
        plan = [(primary, self._deck(primary, "initiatives").draw(used))]
        if self.max_initiatives > 1 and len(self._banks) > 1 and rng.random() < 0.3:
            secondary = self._topics.draw(used)
            if secondary is not None:
                plan.append((secondary, self._deck(secondary, "initiatives").draw(used)))
        if len(plan) < self.max_initiatives:
            # Long testimonies go on with a further initiative of the main sub-topic.
            plan.append((primary, self._deck(primary, "initiatives").draw(used)))
        plan = [(topic, initiative) for topic, initiative in plan if initiative is not None]
        initiatives = [initiative for _topic, initiative in plan]

        tool_slugs = self._pick_tools(initiatives, [topic for topic, _ in plan])
        slots = _Slots(words, rng, join_words([self._tools[slug].phrase for slug in tool_slugs]))

        title = self._title(initiatives[0], place)
        target = self._target_length() - len(title)
        initiative_target = int(target * rng.uniform(0.4, 0.6))
        rest = target - initiative_target
        difficulties_target = int(rest * rng.uniform(0.35, 0.65))
        if rng.random() < 0.03:
            difficulties_target = 0
        lessons_target = rest - difficulties_target if rng.random() > 0.08 else 0
        initiative_sentences, told = self._initiative(
            plan, slots, used, initiative_target, len(tool_slugs)
        )
        topics = list(dict.fromkeys(topic for topic, _ in told))
        parts = {
            "initiative": initiative_sentences,
            "difficulties": self._remarks(
                "difficulties",
                corpus.DIFFICULTY_CONNECTORS,
                told,
                slots,
                used,
                difficulties_target,
            ),
            "lessons": self._remarks(
                "lessons", corpus.LESSON_CONNECTORS, told, slots, used, lessons_target
            ),
        }
        texts = self._fit(title, parts, slots, used)

        partners_pool = list(self._banks[primary][1].partners)
        partner_count = min(
            rng.choices((0, 1, 2, 3), weights=(20, 35, 30, 15))[0], len(partners_pool)
        )
        partners = upper_first(
            join_words([p.format_map(slots) for p in rng.sample(partners_pool, partner_count)])
        )
        cost = ""
        if rng.random() < 0.65:
            template = self._shared["costs"].draw(set())
            cost = upper_first(template.format_map(slots)) if template else ""

        end = self.closes_at if now is None else min(self.closes_at, now)
        end = max(end, self.opens_at + timedelta(hours=1))
        starts = initiatives[0].starts
        created, submitted, published = self._dates(status, end, starts[1] if starts else None)
        started_on, ended_on = self._period(created, initiatives[0])
        role = rng.choices(self._roles, cum_weights=self._role_cum)[0]
        author_name, author_email = self._author(words, role)
        return Draft(
            place=place,
            status=status,
            title=title,
            initiative=texts["initiative"],
            difficulties=texts["difficulties"],
            lessons=texts["lessons"],
            topics=tuple(topics),
            tool_slugs=tool_slugs,
            partners=partners[:500],
            cost_and_team=cost[:300],
            started_on=started_on,
            ended_on=ended_on,
            author_name=author_name,
            author_role=role,
            author_email=author_email,
            anonymous=rng.random() < 0.03,
            created_at=created,
            submitted_at=submitted,
            published_at=published,
            publication_consent_at=created,
        )

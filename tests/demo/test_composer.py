"""The composer alone: deterministic, plausible, within bounds. No database needed."""

import random
import string
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from retex.contributions.enums import TestimonyStatus
from retex.demo import corpus
from retex.demo.composer import (
    MAX_TEXT_LENGTH,
    MIN_TEXT_LENGTH,
    SUBMITTED_STATES,
    Place,
    TestimonyComposer,
    ThemeShape,
    TopicRef,
    _place_words,
    _Slots,
    lower_first,
    typeset,
)
from retex.territories.enums import TerritoryKind

PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2020, 11, 26, 9, tzinfo=PARIS)
CLOSES = datetime(2021, 3, 20, 23, 59, 59, tzinfo=PARIS)
DEMO_SHAPE = [ThemeShape(4), ThemeShape(4), ThemeShape(5)]

PLACES = [
    Place(1, TerritoryKind.COMMUNE, "60057", "Beauvais", 56_254),
    Place(2, TerritoryKind.COMMUNE, "62041", "Arras", 41_019),
    Place(3, TerritoryKind.COMMUNE, "49099", "Cholet", 53_917),
    Place(
        4,
        TerritoryKind.EPCI,
        "200067999",
        "Communauté d'agglomération du Beauvaisis",
        104_000,
        "CA",
    ),
    Place(
        5,
        TerritoryKind.EPCI,
        "200069961",
        "Communauté de communes du Grand Châteaudun",
        40_804,
        "CC",
    ),
    Place(6, TerritoryKind.COMMUNE, "78160", "Chevreuse", 5678, in_audience=False),
    Place(7, TerritoryKind.COMMUNE, "75056", "Paris", 2_100_000, in_audience=False),
]


def composer(seed="test", **options) -> TestimonyComposer:
    return TestimonyComposer(
        seed=seed, themes=DEMO_SHAPE, places=PLACES, opens_at=OPENS, closes_at=CLOSES, **options
    )


def drafts(count: int, seed="test", **options):
    maker = composer(seed, **options)
    return [maker.compose() for _ in range(count)]


def test_the_same_seed_gives_the_same_testimonies_and_another_seed_others():
    first = drafts(200, seed=42)
    assert first == drafts(200, seed=42)
    other = drafts(200, seed=43)
    assert [d.title for d in first] != [d.title for d in other]
    assert [d.initiative for d in first] != [d.initiative for d in other]


def test_texts_stay_within_bounds_and_their_lengths_are_spread():
    lengths = [draft.text_length for draft in drafts(3000)]
    assert min(lengths) >= MIN_TEXT_LENGTH
    assert max(lengths) <= MAX_TEXT_LENGTH
    # Spread, not uniform: many mid-length texts, some short ones, some long ones.
    assert sum(length < 700 for length in lengths) > 200
    assert sum(length > 2500 for length in lengths) > 60
    median = sorted(lengths)[len(lengths) // 2]
    assert 900 < median < 1600


def test_every_theme_and_sub_topic_comes_up_and_other_is_used():
    topics = Counter(topic for draft in drafts(1000) for topic in draft.topics)
    for theme, shape in enumerate(DEMO_SHAPE):
        for subtopic in range(shape.subtopic_count):
            assert topics[TopicRef(theme, subtopic)] > 20
        assert topics[TopicRef(theme, None)] > 0


def test_states_and_dates_tell_a_consistent_story():
    statuses = Counter()
    for draft in drafts(2000):
        statuses[draft.status] += 1
        assert OPENS <= draft.created_at <= CLOSES
        assert draft.publication_consent_at == draft.created_at
        if draft.status in SUBMITTED_STATES:
            assert draft.created_at <= draft.submitted_at <= CLOSES
        else:
            assert draft.submitted_at is None
        if draft.status == TestimonyStatus.PUBLISHED:
            assert draft.submitted_at <= draft.published_at <= CLOSES
        else:
            assert draft.published_at is None
        if draft.started_on and draft.ended_on:
            assert draft.started_on <= draft.ended_on
        if draft.started_on:
            assert draft.started_on <= draft.created_at.date()
    assert 0.8 < statuses[TestimonyStatus.PUBLISHED] / 2000 < 0.9
    assert set(statuses) == set(TestimonyStatus.values)


def test_dates_stop_at_now_for_a_consultation_still_open():
    now = datetime(2021, 1, 5, 12, tzinfo=PARIS)
    maker = composer()
    for _ in range(300):
        draft = maker.compose(now=now)
        assert draft.created_at <= now
        assert draft.published_at is None or draft.published_at <= now


def test_a_forced_state_is_kept():
    maker = composer()
    assert {maker.compose(status=TestimonyStatus.REJECTED).status for _ in range(20)} == {
        TestimonyStatus.REJECTED
    }


def test_places_out_of_the_audience_come_up_about_as_often_as_asked():
    out = sum(not draft.place.in_audience for draft in drafts(2000, out_of_audience_share=0.1))
    assert 140 < out < 260


def test_tools_authors_and_private_fields_look_real_but_are_fictional():
    known_tools = {tool.slug for tool in corpus.TOOLS}
    for draft in drafts(500):
        assert 1 <= len(draft.tool_slugs) <= 4
        assert set(draft.tool_slugs) <= known_tools
        assert draft.author_email.endswith((".example", "@example.org"))
        assert " " in draft.author_name
        assert len(draft.partners) <= 500 and len(draft.cost_and_team) <= 300
        assert len(draft.title) <= 200


def test_a_small_corpus_telling_one_initiative_each_never_repeats_a_title():
    titles = [draft.title for draft in drafts(90, max_initiatives=1)]
    assert len(set(titles)) == len(titles)


def _templates():
    for theme in corpus.THEMES:
        for bank in (*theme.subtopics, theme.other):
            yield from bank.details + bank.difficulties + bank.lessons + bank.partners
            for initiative in bank.initiatives:
                yield initiative.title
                yield initiative.action
                yield from initiative.details + initiative.results
                yield from initiative.difficulties + initiative.lessons
    for shared in (
        corpus.OPENERS,
        corpus.TOOL_SENTENCES_ONE,
        corpus.TOOL_SENTENCES_MANY,
        corpus.CLOSERS,
        corpus.GENERIC_DIFFICULTIES,
        corpus.GENERIC_LESSONS,
        corpus.COST_TEMPLATES,
    ):
        yield from shared


@pytest.mark.parametrize("place", [PLACES[0], PLACES[3], PLACES[4], PLACES[5]], ids=str)
def test_every_placeholder_of_the_corpus_has_a_value(place):
    slots = _Slots(_place_words(place), random.Random(1), "un outil de visioconférence")
    for template in _templates():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        for name in names:
            assert slots[name], (name, template)
        # The lower-case twin used after a connector exists too.
        lower_first(template).format_map(slots)


def test_every_tool_a_bank_names_exists():
    known_tools = {tool.slug for tool in corpus.TOOLS}
    for theme in corpus.THEMES:
        for bank in (*theme.subtopics, theme.other):
            assert set(bank.tools) <= known_tools
            for initiative in bank.initiatives:
                assert set(initiative.tools) <= known_tools


def test_figures_are_typeset_the_french_way():
    assert typeset("12 000 € et 35 % à 8 h") == "12\u202f000\u00a0€ et 35\u00a0% à 8\u00a0h"
    for draft in drafts(200):
        for text in (draft.initiative, draft.difficulties, draft.lessons):
            assert " %" not in text and " €" not in text

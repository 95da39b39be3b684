"""The filter state of the list (`TestimonyFilters`), the exact selection the API and the files
read (`testimonies_filtered`), and the list page's selection from the listing index
(`testimony_list_page`), which must always agree with it."""

import itertools

import pytest
from django.http import QueryDict

from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Tool
from retex.explore.search import search_index_rebuild, search_index_update
from retex.explore.selectors import TestimonyFilters, testimonies_filtered, testimony_list_page
from retex.territories.enums import TerritoryKind
from tests.factories import (
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    territory,
)

pytestmark = pytest.mark.django_db


def params(query: str) -> QueryDict:
    return QueryDict(query)


def tool(slug: str) -> Tool:
    return Tool.objects.get_or_create(slug=slug, defaults={"name": slug.capitalize()})[0]


def with_links(testimony, *, tools=(), subtopics=()):
    """Links set after creation, indexed again as the services do."""
    if tools:
        testimony.tools.set([tool(slug) for slug in tools])
    if subtopics:
        testimony.subtopics.set(subtopics)
    search_index_update(testimony_ids=[testimony.pk])
    return testimony


def page_of(consultation, filters: TestimonyFilters, *, page=1, size=50):
    return testimony_list_page(
        consultation=consultation, filters=filters, page_number=page, page_size=size
    )


def listed(consultation, query: str = "") -> list[str]:
    return [
        t.title
        for t in page_of(consultation, TestimonyFilters.from_params(params(query))).testimonies
    ]


# --- TestimonyFilters ------------------------------------------------------------------------


def test_filters_read_every_parameter_and_give_the_same_address_back():
    query = (
        "q=march%C3%A9+couvert&theme=4&subtopic=12&region=32&departement=2a&kind=epci"
        "&band=20k-50k&tool=vpn&tool=tablettes&territory=77&sort=population"
    )
    filters = TestimonyFilters.from_params(params(query))

    assert filters == TestimonyFilters(
        theme=4,
        subtopic=12,
        region="32",
        departement="2A",
        kind="epci",
        band="20k-50k",
        tools=("vpn", "tablettes"),
        territory=77,
        q="marché couvert",
        sort="population",
    )
    assert TestimonyFilters.from_params(filters.to_params()) == filters
    assert filters.to_params().urlencode() == (
        "q=march%C3%A9+couvert&theme=4&subtopic=12&region=32&departement=2A&kind=epci"
        "&band=20k-50k&territory=77&tool=vpn&tool=tablettes&sort=population"
    )


def test_malformed_parameters_are_dropped_not_refused():
    filters = TestimonyFilters.from_params(
        params(
            "theme=abc&subtopic=-3&region=Picardie&departement=999x&kind=region&band=huge"
            "&tool=%3Cscript%3E&territory=1e3&sort=random&q=" + "x" * 300
        )
    )

    assert filters == TestimonyFilters(q="x" * 200)
    assert filters.to_params().urlencode() == "q=" + "x" * 200
    assert TestimonyFilters.from_params({"tool": "vpn", "theme": "3"}).tools == ("vpn",)


def test_the_order_in_force_follows_the_search():
    assert TestimonyFilters().resolved_sort == "date"
    assert TestimonyFilters(q="vpn").resolved_sort == "relevance"
    assert TestimonyFilters(q="vpn", sort="date").resolved_sort == "date"
    assert TestimonyFilters(sort="relevance").resolved_sort == "date"
    assert TestimonyFilters(sort="population").resolved_sort == "population"
    assert not TestimonyFilters(q="vpn", sort="date").filtered
    assert TestimonyFilters(tools=("vpn",)).filtered


# --- testimonies_filtered and the list page agree ---------------------------------------------


@pytest.fixture
def corpus():
    """Eight testimonies over two régions, two kinds, three bands, themes, sub-topics, tools;
    one anonymous, one with its tools kept private, one not published."""
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Économie locale")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    delivery = SubtopicFactory(theme=economy, title="Livraison à domicile")
    schools = SubtopicFactory(theme=cohesion, title="Éducation numérique")

    def make(title, code, themes, kind=TerritoryKind.COMMUNE, **fields):
        return TestimonyFactory(
            consultation=consultation,
            title=title,
            territory=territory(code, kind),
            themes=themes,
            **fields,
        )

    with_links(make("Beauvais livre", "60057", [economy]), tools=["vpn"], subtopics=[delivery])
    with_links(make("Arras école", "62041", [cohesion]), tools=["tablettes"], subtopics=[schools])
    with_links(make("Chevreuse boutiques", "78160", [economy]), tools=["vpn", "tablettes"])
    with_links(make("Versailles deux thèmes", "78646", [economy, cohesion]), tools=["visio"])
    make("Agglo du Beauvaisis", "200067999", [economy], kind=TerritoryKind.EPCI)
    with_links(make("Beauvais anonyme", "60057", [cohesion], anonymous=True), tools=["vpn"])
    with_links(
        make(
            "Arras privé",
            "62041",
            [economy],
            withheld_fields=[WithholdableField.TOOLS.value],
        ),
        tools=["vpn"],
    )
    make("Arras en attente", "62041", [economy], status=TestimonyStatus.SUBMITTED)
    return consultation


FILTER_VALUES = {
    "theme": lambda c: ["", str(c.themes.get(title="Économie locale").pk)],
    "subtopic": lambda c: ["", str(c.themes.get(title="Économie locale").subtopics.get().pk)],
    "region": lambda c: ["", "32", "11"],
    "departement": lambda c: ["", "60", "78"],
    "kind": lambda c: ["", "commune", "epci"],
    "band": lambda c: ["", "50k-100k", "lt10k"],
    "tool": lambda c: ["", "vpn", "tablettes"],
}


def test_the_list_page_selects_exactly_what_testimonies_filtered_selects(corpus):
    names = list(FILTER_VALUES)
    values = [FILTER_VALUES[name](corpus) for name in names]
    checked = 0
    for combination in itertools.product(*values):
        if sum(1 for value in combination if value) > 2:
            continue
        chosen = zip(names, combination, strict=True)
        query = "&".join(f"{name}={value}" for name, value in chosen if value)
        filters = TestimonyFilters.from_params(params(query))
        exact = [t.title for t in testimonies_filtered(consultation=corpus, filters=filters)]
        page = page_of(corpus, filters)
        assert [t.title for t in page.testimonies] == exact, query
        assert page.count == len(exact), query
        checked += 1
    assert checked > 50


def test_anonymous_testimonies_match_no_departement_nor_collectivity(corpus):
    beauvais = territory("60057")

    assert "Beauvais anonyme" in listed(corpus, "region=32")
    assert "Beauvais anonyme" not in listed(corpus, "departement=60")
    assert "Beauvais anonyme" not in listed(corpus, f"territory={beauvais.pk}")
    assert listed(corpus, f"territory={beauvais.pk}") == ["Beauvais livre"]
    page = page_of(corpus, TestimonyFilters())
    oise = next(option for option in page.departements if option.value == "60")
    assert oise.count == 2  # Beauvais and its agglomeration; never the anonymous one
    # The same with a search (the full-text index's own filters).
    assert "Beauvais anonyme" in listed(corpus, "q=commande&region=32")
    assert "Beauvais anonyme" not in listed(corpus, "q=commande&departement=60")
    assert listed(corpus, f"q=commande&territory={beauvais.pk}") == ["Beauvais livre"]


def test_private_tools_match_no_tool_filter_and_count_for_none(corpus):
    assert "Arras privé" not in listed(corpus, "tool=vpn")
    assert "Arras privé" not in listed(corpus, "tool=vpn&q=commande")
    page = page_of(corpus, TestimonyFilters())
    counts = {option.value: option.count for option in page.tools}

    assert counts == {"vpn": 3, "tablettes": 2, "visio": 1}


def test_several_tools_must_all_be_named(corpus):
    assert listed(corpus, "tool=vpn&tool=tablettes") == ["Chevreuse boutiques"]
    assert listed(corpus, "tool=vpn&tool=inconnu") == []


def test_counts_per_value_ignore_their_own_filter_and_keep_the_others(corpus):
    economy = corpus.themes.get(title="Économie locale")
    page = page_of(corpus, TestimonyFilters.from_params(params(f"region=32&theme={economy.pk}")))

    regions = {option.value: option.count for option in page.regions}
    themes = {option.label: option.count for option in page.themes}
    kinds = {option.value: option.count for option in page.kinds}
    # Within the theme: Hauts-de-France has Beauvais, the agglomeration and Arras (private
    # tools); Île-de-France has Chevreuse and Versailles.
    assert regions == {"32": 3, "11": 2}
    # Within the région: themes count whatever theme is chosen.
    assert themes == {"Économie locale": 3, "Cohésion sociale": 2}
    assert kinds == {"commune": 2, "epci": 1}
    assert page.count == 3
    # Tools: how many of the results also name each.
    assert {option.value: option.count for option in page.tools} == {"vpn": 1}


def test_a_sub_topic_counts_whatever_the_theme_chosen(corpus):
    cohesion = corpus.themes.get(title="Cohésion sociale")
    page = page_of(corpus, TestimonyFilters(theme=cohesion.pk))
    subtopics = {sub.label: sub.count for theme in page.themes for sub in theme.subtopics}

    assert subtopics == {"Livraison à domicile": 1, "Éducation numérique": 1}


def test_largest_collectivities_first_and_anonymous_last(corpus):
    filters = TestimonyFilters(sort="population")
    titles = [t.title for t in page_of(corpus, filters).testimonies]

    assert titles[0] == "Agglo du Beauvaisis"
    assert titles[-1] == "Beauvais anonyme"
    assert titles == [t.title for t in testimonies_filtered(consultation=corpus, filters=filters)]


def test_a_page_past_the_last_shows_the_last(corpus):
    page = page_of(corpus, TestimonyFilters(), page=9, size=3)

    assert page.page.number == 3
    assert len(page.testimonies) == 1


def test_a_value_past_the_63_bits_is_still_filtered_exactly(monkeypatch):
    monkeypatch.setattr("retex.explore.search.slots.MAX_SLOTS", 2)
    consultation = ConsultationFactory()
    for number, slugs in enumerate((["a", "b"], ["a", "c"], ["c"], ["b", "c"])):
        with_links(TestimonyFactory(consultation=consultation, title=f"T{number}"), tools=slugs)

    assert sorted(listed(consultation, "tool=c")) == ["T1", "T2", "T3"]
    assert listed(consultation, "tool=b&tool=c") == ["T3"]
    page = page_of(consultation, TestimonyFilters())
    # Only the values with a bit are counted.
    assert {option.value for option in page.tools} == {"a", "b"}


def counts_of(consultation, query: str) -> dict:
    page = page_of(consultation, TestimonyFilters.from_params(params(query)))
    return {
        "count": page.count,
        "themes": {option.label: option.count for option in page.themes},
        "regions": {option.value: option.count for option in page.regions},
        "departements": {option.value: option.count for option in page.departements},
        "kinds": {option.value: option.count for option in page.kinds},
        "bands": {option.value: option.count for option in page.bands},
        "tools": {option.value: option.count for option in page.tools},
    }


def test_counts_follow_each_change_as_a_rebuild_would_count_them(corpus):
    """The counts by place and topic are kept per cell, updated at each indexing: after
    edits and an unpublishing they must equal those counted again from scratch."""
    cohesion = corpus.themes.get(title="Cohésion sociale")
    moved = corpus.testimonies.get(title="Chevreuse boutiques")
    moved.territory = territory("62041")
    moved.save()
    moved.themes.set([cohesion])
    gone = corpus.testimonies.get(title="Arras école")
    gone.status = TestimonyStatus.UNPUBLISHED
    gone.save()
    search_index_update(testimony_ids=[moved.pk, gone.pk])
    states = ["", f"theme={cohesion.pk}", "region=32", "departement=62&kind=commune"]
    incremental = {state: counts_of(corpus, state) for state in states}

    search_index_rebuild()

    assert {state: counts_of(corpus, state) for state in states} == incremental
    assert incremental[f"theme={cohesion.pk}"]["departements"] == {"62": 1, "78": 1}
    assert incremental["region=32"]["count"] == 5

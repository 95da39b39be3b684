"""Finding one's collectivity by typing the start of its name, as in the testimony form."""

import pytest

from retex.core.text import fold_words
from retex.territories.enums import TerritoryKind
from retex.territories.selectors import _prefix_upper_bound, territory_get, territory_search

COMMUNE_AND_EPCI = [TerritoryKind.COMMUNE, TerritoryKind.EPCI]


def search(query: str, kinds=None, limit: int = 10) -> list:
    return list(territory_search(query=query, kinds=kinds, limit=limit))


def codes(results) -> list[tuple[str, str]]:
    return [(territory.kind, territory.code) for territory in results]


@pytest.mark.django_db
def test_the_start_of_a_name_finds_the_town_and_its_agglomeration_first():
    names = [t.name for t in search("beauv", kinds=COMMUNE_AND_EPCI)]

    # Both names start with "beauv" once the agglomeration's legal form is set aside; the
    # bigger place comes first, then every smaller commune.
    assert names[:2] == ["Communauté d'agglomération du Beauvaisis", "Beauvais"]


@pytest.mark.django_db
def test_among_communes_the_start_of_a_name_finds_the_town_first():
    results = search("beauv", kinds=[TerritoryKind.COMMUNE])

    assert (results[0].name, results[0].code) == ("Beauvais", "60057")


@pytest.mark.django_db
def test_an_exact_name_comes_before_the_agglomeration_named_after_it():
    names = [t.name for t in search("beauvais", kinds=COMMUNE_AND_EPCI)]

    assert names[:2] == ["Beauvais", "Communauté d'agglomération du Beauvaisis"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["sete", "Sète", "SETE", "  sète  ", "SÈTE"])
def test_accents_and_case_do_not_matter(query):
    results = search(query)

    assert results, f"nothing found for {query!r}"
    assert (results[0].kind, results[0].code) == (TerritoryKind.COMMUNE, "34301")
    assert results[0].name == "Sète"


@pytest.mark.django_db
def test_any_word_of_a_name_can_be_typed():
    results = search("beauvaisis", kinds=[TerritoryKind.EPCI])

    assert [t.name for t in results] == ["Communauté d'agglomération du Beauvaisis"]


@pytest.mark.django_db
def test_an_exact_name_comes_first_then_bigger_places():
    results = search("arras", kinds=COMMUNE_AND_EPCI, limit=20)

    # The exact name, then the group named after it ("Communauté urbaine d'Arras"), then the
    # names starting with the query, then those where another word matches; bigger first.
    assert [(t.name, t.code) for t in results[:2]] == [
        ("Arras", "62041"),
        ("Communauté urbaine d'Arras", "200033579"),
    ]
    names_starting = [t for t in results[2:] if t.search_name.startswith("arras")]
    others = [t for t in results[2:] if not t.search_name.startswith("arras")]
    assert results[2:] == names_starting + others
    for group in (names_starting, others):
        populations = [t.population or 0 for t in group]
        assert populations == sorted(populations, reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["saint etienne", "saint-étienne", "Saint Étienne", "SAINT-ETIENNE"]
)
def test_several_words_find_saint_etienne(query):
    results = search(query, kinds=[TerritoryKind.COMMUNE])

    assert (results[0].name, results[0].code) == ("Saint-Étienne", "42218")
    for territory in results:
        words = fold_words(territory.name)
        assert any(word.startswith("saint") for word in words)
        assert any(word.startswith("etienne") for word in words)


@pytest.mark.django_db
def test_words_of_a_query_may_come_in_any_order_and_be_partial():
    results = search("etien sain", kinds=[TerritoryKind.COMMUNE])

    assert "42218" in [t.code for t in results]


@pytest.mark.django_db
def test_kinds_filter_restricts_results():
    epcis = search("beauv", kinds=[TerritoryKind.EPCI], limit=20)
    assert epcis
    assert {t.kind for t in epcis} == {TerritoryKind.EPCI}

    communes = search("saint", kinds=[TerritoryKind.COMMUNE], limit=20)
    assert len(communes) == 20
    assert {t.kind for t in communes} == {TerritoryKind.COMMUNE}

    departements = search("oise", kinds=[TerritoryKind.DEPARTEMENT])
    assert [(t.kind, t.code) for t in departements][0] == (TerritoryKind.DEPARTEMENT, "60")


@pytest.mark.django_db
def test_unknown_kinds_are_ignored_rather_than_matching_nothing():
    assert search("beauvais", kinds=["town", TerritoryKind.COMMUNE])[0].code == "60057"
    # Only unknown kinds: no filter at all.
    assert search("beauvais", kinds=["town"])[0].code == "60057"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "-", "'!?", "— …"])
def test_an_empty_or_punctuation_only_query_finds_nothing(query):
    assert search(query) == []


@pytest.mark.django_db
def test_a_query_matching_nothing_finds_nothing():
    assert search("xqzw") == []


@pytest.mark.django_db
def test_limit_is_respected():
    assert len(search("saint", limit=3)) == 3
    assert len(search("saint", limit=20)) == 20


@pytest.mark.parametrize(
    ("prefix", "bound"),
    [
        ("", None),
        ("z", None),
        ("zz", None),
        ("az", "b"),
        ("azz", "b"),
        ("a", "b"),
        ("a9", "aa"),
        ("9", "a"),
        ("0", "1"),
        ("rodez", "rodf"),
        ("metz", "meu"),
        ("saint e", "saint f"),
    ],
)
def test_prefix_upper_bound(prefix, bound):
    assert _prefix_upper_bound(prefix) == bound


@pytest.mark.parametrize(
    "prefix", ["a", "az", "a9", "9", "rodez", "metz", "saint e", "saint z", "val 8"]
)
def test_prefix_upper_bound_is_above_every_extension_and_only_those(prefix):
    bound = _prefix_upper_bound(prefix)
    assert bound is not None
    for suffix in ["", "0", "9", "a", "z", "zzzz", " ", " zz"]:
        assert prefix + suffix < bound
    assert prefix <= bound
    # The bound itself does not start with the prefix: it is excluded from the range.
    assert not bound.startswith(prefix)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [("rodez", "12202"), ("metz", "57463"), ("biarritz", "64122"), ("rode", "12202")],
)
def test_names_ending_in_z_are_found(query, code):
    results = search(query, kinds=[TerritoryKind.COMMUNE])

    assert results, f"nothing found for {query!r}"
    assert results[0].code == code


@pytest.mark.django_db
def test_names_with_digits_are_found():
    results = search("val 81", kinds=[TerritoryKind.EPCI])
    assert "Communauté de communes Val 81" in [t.name for t in results]

    results = search("altitude 8", kinds=[TerritoryKind.EPCI])
    assert "Communauté de communes Altitude 800" in [t.name for t in results]


@pytest.mark.django_db
def test_a_single_z_finds_only_names_with_a_word_starting_with_z():
    results = search("z", kinds=[TerritoryKind.COMMUNE], limit=20)

    assert len(results) == 20
    for territory in results:
        assert any(word.startswith("z") for word in fold_words(territory.name)), territory.name


@pytest.mark.django_db
def test_search_runs_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        results = search("beauv", kinds=COMMUNE_AND_EPCI)
        # The département is fetched with the territory, for labels like "Beauvais (Oise)".
        assert results[0].departement.name == "Oise"


@pytest.mark.django_db
def test_territory_get_by_kind_and_code():
    beauvais = territory_get(kind=TerritoryKind.COMMUNE, code="60057")

    assert beauvais.name == "Beauvais"
    assert territory_get(kind=TerritoryKind.EPCI, code="60057") is None
    assert territory_get(kind=TerritoryKind.COMMUNE, code="00000") is None

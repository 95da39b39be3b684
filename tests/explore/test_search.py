"""French full-text search: what a visitor typing in the search box finds, on the backend the
suite runs on (SQLite or PostgreSQL)."""

import pytest
from django.core.management import call_command

from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Testimony, Tool
from retex.contributions.services import TestimonyContent, testimony_confirm, testimony_submit
from retex.explore.search import (
    ParsedQuery,
    SearchCount,
    parse_query,
    search,
    search_count,
    search_highlight,
    search_index_rebuild,
    search_index_update,
    search_snippets,
    search_snippets_many,
    search_testimonies,
)
from retex.explore.selectors import TestimonyFilters, testimony_list_page
from retex.moderation.services import (
    testimony_moderator_edit,
    testimony_publish,
    testimony_unpublish,
)
from tests.factories import (
    ConsultationFactory,
    TestimonyFactory,
    ThemeFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db


def testimony(**fields) -> Testimony:
    """A published testimony with neutral texts, unless told otherwise."""
    fields.setdefault("title", "Une initiative locale")
    fields.setdefault("initiative", "Les services ont travaillé ensemble pendant la crise.")
    fields.setdefault("difficulties", "")
    fields.setdefault("lessons", "")
    return TestimonyFactory(**fields)


def indexed(*testimonies: Testimony) -> list[Testimony]:
    search_index_update(testimony_ids=[item.pk for item in testimonies])
    return list(testimonies)


def found(text: str, queryset=None, **options) -> list[Testimony]:
    queryset = Testimony.objects.all() if queryset is None else queryset
    return list(search_testimonies(queryset=queryset, text=text, **options))


def test_a_plural_finds_the_singular_and_back():
    ordering = testimony(initiative="Une commande en ligne, retirée le samedi.")
    other = testimony(initiative="Une permanence téléphonique pour les aînés.")
    indexed(ordering, other)

    assert found("commandes") == [ordering]
    assert found("Commande") == [ordering]
    assert found("écoles") == []


def test_accents_and_capitals_do_not_matter():
    accented = testimony(initiative="Le télétravail des agents a été organisé en une semaine.")
    plain = testimony(lessons="Le TELETRAVAIL demande du materiel et de la confiance.")
    school = testimony(difficulties="Les familles sans ordinateur, à l'école comme à la maison.")
    indexed(accented, plain, school)

    assert set(found("télétravail")) == {accented, plain}
    assert set(found("teletravail")) == {accented, plain}
    assert found("écoles") == [school]
    assert found("ECOLE") == [school]


def test_a_quoted_phrase_finds_the_words_together_only():
    together = testimony(initiative="Le marché de plein vent a fermé le 23 mars 2020.")
    scattered = testimony(
        initiative="Le marché couvert est resté ouvert ; en plein centre, le vent soufflait."
    )
    indexed(together, scattered)

    assert found('"marché de plein vent"') == [together]
    assert found("« marché de plein vent »") == [together]
    assert set(found("marché de plein vent")) == {together, scattered}


def test_the_collectivity_name_finds_its_testimonies_unless_anonymous():
    beauvais = testimony(territory=territory("60057"))
    arras = testimony(territory=territory("62041"))
    anonymous = testimony(territory=territory("60057"), anonymous=True)
    indexed(beauvais, arras, anonymous)

    assert found("Beauvais") == [beauvais]
    assert found("arras") == [arras]


def test_a_tool_name_finds_its_testimonies():
    with_tool = testimony()
    with_tool.tools.set([Tool.objects.create(name="Nextcloud", slug="nextcloud")])
    indexed(with_tool, testimony())

    assert found("nextcloud") == [with_tool]


def test_every_word_is_required():
    both = testimony(initiative="Une commande groupée de tablettes pour chaque école.")
    ordering = testimony(initiative="Une commande de masques pour les commerçants.")
    school = testimony(initiative="Une école ouverte aux enfants des soignants.")
    indexed(both, ordering, school)

    assert found("commande école") == [both]
    assert set(found("commande")) == {both, ordering}


def test_a_title_match_ranks_above_a_body_match():
    in_body = testimony(
        title="Le marché du samedi",
        initiative="Les habitants passaient commande en ligne, puis une seconde commande.",
    )
    in_title = testimony(
        title="Commande en ligne au marché",
        initiative="Les producteurs livraient sur la place des Halles.",
    )
    indexed(in_body, in_title)

    results = found("commande")

    assert results == [in_title, in_body]
    assert results[0].search_rank > results[1].search_rank


def test_only_published_testimonies_are_found():
    published = testimony(initiative="Des paniers de légumes livrés à domicile.")
    waiting = testimony(
        initiative="Des paniers de légumes livrés à domicile.",
        status=TestimonyStatus.SUBMITTED,
    )
    rejected = testimony(
        initiative="Des paniers de légumes livrés à domicile.",
        status=TestimonyStatus.REJECTED,
    )
    indexed(published, waiting, rejected)

    assert found("paniers légumes") == [published]


def test_the_search_keeps_the_filters_of_the_queryset():
    consultation = ConsultationFactory()
    inside = testimony(consultation=consultation, initiative="Une plateforme de commande.")
    outside = testimony(initiative="Une plateforme de commande.")
    indexed(inside, outside)

    results = search_testimonies(
        queryset=Testimony.objects.filter(consultation=consultation), text="plateforme"
    )

    assert list(results) == [inside]
    assert results.count() == 1


def test_a_count_stops_at_a_limit():
    indexed(*(testimony(initiative=f"Une tournée de distribution numéro {n}.") for n in range(4)))
    everything = Testimony.objects.all()

    assert search_count(queryset=everything, text="tournée") == SearchCount(value=4, exact=True)
    assert search_count(queryset=everything, text="tournées", at_most=4) == SearchCount(4, True)
    assert search_count(queryset=everything, text="tournée", at_most=3) == SearchCount(3, False)
    assert search_count(queryset=everything, text="de la") == SearchCount(value=0, exact=True)


def test_a_broad_search_ranks_its_most_recent_matches_only():
    older = testimony(title="Tournée des marchés", initiative="Une tournée chaque jour.")
    newer = [testimony(initiative=f"Une tournée, la numéro {n}.") for n in range(3)]
    indexed(older, *newer)

    assert set(found("tournée", limit=3)) == set(newer)
    assert found("tournée", limit=None)[0] == older
    assert found("tournée")[0] == older


def test_search_gives_a_page_its_results_and_their_count():
    rounds = indexed(*(testimony(initiative=f"Une tournée, la numéro {n}.") for n in range(5)))
    everything = Testimony.objects.all()

    broad = search(queryset=everything, text="tournées", limit=3)
    whole = search(queryset=everything, text="tournées", limit=5)

    assert broad.count == SearchCount(value=3, exact=False)
    assert set(broad.testimonies) == set(rounds[2:])
    assert broad.testimonies.count() == 3
    assert whole.count == SearchCount(value=5, exact=True)
    assert search(queryset=everything, text="tournée", limit=None).count == SearchCount(5, True)


def test_an_edit_replaces_the_old_words_once_indexed_again():
    edited = indexed(testimony(initiative="Une cellule de crise réunie chaque matin."))[0]

    edited.initiative = "Une visioconférence hebdomadaire avec les maires."
    edited.save()
    search_index_update(testimony_ids=[edited.pk])

    assert found("visioconférence") == [edited]
    assert found("cellule crise") == []


def test_an_unpublished_testimony_disappears_once_indexed_again():
    withdrawn = indexed(testimony(initiative="Un annuaire des commerçants ouverts."))[0]
    assert found("annuaire") == [withdrawn]

    withdrawn.status = TestimonyStatus.UNPUBLISHED
    withdrawn.save()
    search_index_update(testimony_ids=[withdrawn.pk])

    assert found("annuaire") == []


def test_rebuild_indexes_every_published_testimony_and_drops_the_others():
    never_indexed = testimony(initiative="Une application de covoiturage solidaire.")
    stale = indexed(testimony(initiative="Un covoiturage pour les soignants."))[0]
    Testimony.objects.filter(pk=stale.pk).update(status=TestimonyStatus.UNPUBLISHED)
    testimony(initiative="Du covoiturage encore.", status=TestimonyStatus.SUBMITTED)
    messages = []

    count = search_index_rebuild(progress=messages.append, batch_size=1)

    assert count == 1
    assert found("covoiturage") == [never_indexed]
    assert messages[-1] == "1 rows of testimonies no longer published removed."


def test_rebuild_command():
    published = testimony(initiative="Un guichet numérique pour les aides sociales.")

    call_command("search", "rebuild", verbosity=0)

    assert found("guichet") == [published]


def test_a_search_without_meaningful_words_finds_nothing():
    indexed(testimony(initiative="De la place pour tous."))

    assert found("de la") == []
    assert found("   ") == []


def test_a_pasted_text_or_an_endless_word_does_not_break_the_search():
    indexed(item := testimony(initiative="Un tableau de bord des stocks de masques."))
    pasted = "tableau de bord " + " ".join(f"mot{n}" for n in range(200))

    assert found("tableau " + "x" * 3000) == [item]
    assert found("x" * 3000) == []
    assert found(pasted) == []  # every word counts, up to a limit
    assert len(parse_query(pasted).terms) == 32


def test_the_last_word_may_match_as_a_prefix_when_typing():
    indexed(remote := testimony(initiative="Le télétravail a été généralisé."))

    assert found("télétrav") == []
    assert found("télétrav", prefix_last=True) == [remote]
    assert found("télétrav ", prefix_last=True) == []


def test_parse_query():
    assert parse_query('Commandes "marché de plein vent" écoles') == ParsedQuery(
        terms=("command", "ecol"), phrases=(("march", "plein", "vent"),)
    )
    assert parse_query("Saint-Étienne") == ParsedQuery(phrases=(("saint", "etien"),))
    assert parse_query("l'école de la") == ParsedQuery(terms=("ecol",))
    assert parse_query("télétrav", prefix_last=True) == ParsedQuery(
        terms=("teletrav",), prefix="teletrav"
    )
    assert not parse_query("de la")


def test_snippets_mark_the_words_as_written_and_escape_the_rest():
    item = testimony(
        initiative="Nous avons publié <script>alert(1)</script> un formulaire.",
        difficulties="Les Écoles ont reçu des tablettes & des clés 4G.",
    )

    html = search_snippets(testimony=item, text="école tablette")

    assert html == (
        "Les <mark>Écoles</mark> ont reçu des <mark>tablettes</mark> &amp; des clés 4G."
    )
    assert "&lt;script&gt;" in search_snippets(testimony=item, text="formulaire")
    assert "<script>" not in search_snippets(testimony=item, text="formulaire")


def test_a_snippet_marks_a_phrase_whole_and_keeps_a_window_around_it():
    item = testimony(
        initiative=("Avant la crise, la ville tenait deux marchés par semaine. " * 8)
        + "Le marché de plein vent a rouvert en drive sur la place des Halles. "
        + ("Les producteurs ont suivi, les habitants aussi. " * 8)
    )

    html = search_snippets(testimony=item, text='"marché de plein vent"')

    assert "<mark>marché de plein vent</mark>" in html
    assert html.count("<mark>") == 1
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 260


def test_snippets_for_a_page_of_results_and_highlighted_titles():
    first = testimony(title="Commande <en> ligne", initiative="Une commande par jour.")
    second = testimony(initiative="Rien à signaler.", lessons="Commander tôt.")

    snippets = search_snippets_many(testimonies=[first, second], text="commande")

    assert snippets == {
        first.pk: "Une <mark>commande</mark> par jour.",
        second.pk: "<mark>Commander</mark> tôt.",
    }
    assert (
        search_highlight(text=first.title, query="commandes")
        == "<mark>Commande</mark> &lt;en&gt; ligne"
    )


# --- The list page's search (the listing index) ------------------------------------------------


def list_search(consultation, query: str, **filters) -> list[str]:
    """Titles the list page shows for a search, with filters, as a visitor would get them."""
    page = testimony_list_page(
        consultation=consultation,
        filters=TestimonyFilters(q=query, **filters),
        page_number=1,
        page_size=50,
    )
    return [testimony.title for testimony in page.testimonies]


@pytest.fixture
def french_corpus():
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Économie locale")
    public_service = ThemeFactory(consultation=consultation, title="Service public")
    texts = [
        (
            "Marché de Beauvais",
            "60057",
            economy,
            "Le marché de plein vent a fermé le 23 mars.",
            "Les commandes arrivaient par téléphone.",
        ),
        (
            "Drive d'Arras",
            "62041",
            economy,
            "Les habitants passaient commande en ligne.",
            "Le marché couvert est resté ouvert ; en plein centre, le vent soufflait.",
        ),
        (
            "Agents à domicile",
            "78160",
            public_service,
            "Le télétravail des agents a été organisé en une semaine.",
            "Le plan de continuité du service public était prêt.",
        ),
        (
            "Mairie connectée",
            "62041",
            public_service,
            "Le TELETRAVAIL demande du materiel.",
            "Une visioconférence chaque matin.",
        ),
        (
            "École ouverte",
            "78646",
            public_service,
            "Les écoles ont prêté des tablettes aux familles.",
            "",
        ),
    ]
    for title, code, theme, initiative, lessons in texts:
        testimony(
            consultation=consultation,
            title=title,
            territory=territory(code),
            themes=[theme],
            initiative=initiative,
            lessons=lessons,
        )
    return consultation


FRENCH_QUERIES = [
    # (what a visitor types, extra filters, the testimonies expected, in any order)
    ("commandes", {}, {"Marché de Beauvais", "Drive d'Arras"}),
    ("commande", {}, {"Marché de Beauvais", "Drive d'Arras"}),
    ("télétravail", {}, {"Agents à domicile", "Mairie connectée"}),
    ("teletravail", {}, {"Agents à domicile", "Mairie connectée"}),
    ("TÉLÉTRAVAIL agents", {}, {"Agents à domicile"}),
    ("école", {}, {"École ouverte"}),
    ("ecoles", {}, {"École ouverte"}),
    ('"marché de plein vent"', {}, {"Marché de Beauvais"}),
    ("« marché de plein vent »", {}, {"Marché de Beauvais"}),
    ("marché plein vent", {}, {"Marché de Beauvais", "Drive d'Arras"}),
    ('"plein vent"', {}, {"Marché de Beauvais"}),
    ('"continuité du service public"', {}, {"Agents à domicile"}),
    ('"service public continuité"', {}, set()),
    ("Beauvais", {}, {"Marché de Beauvais"}),
    ("arras", {}, {"Drive d'Arras", "Mairie connectée"}),
    ("commande", {"region": "32"}, {"Marché de Beauvais", "Drive d'Arras"}),
    ("commande", {"departement": "62"}, {"Drive d'Arras"}),
    ("télétravail", {"region": "11"}, {"Agents à domicile"}),
    ("télétravail", {"kind": "epci"}, set()),
    ("de la", {}, set()),
    ("zzzz", {}, set()),
]


@pytest.mark.parametrize(("query", "filters", "expected"), FRENCH_QUERIES)
def test_french_queries_on_the_list(french_corpus, query, filters, expected):
    assert set(list_search(french_corpus, query, **filters)) == expected


def test_french_queries_with_a_theme(french_corpus):
    public_service = french_corpus.themes.get(title="Service public")

    assert list_search(french_corpus, "plein", theme=public_service.pk) == []
    assert list_search(french_corpus, "semaine", theme=public_service.pk) == ["Agents à domicile"]


def test_the_list_search_ranks_a_title_match_first(french_corpus):
    assert list_search(french_corpus, "marché") == ["Marché de Beauvais", "Drive d'Arras"]
    assert list_search(french_corpus, "marché", sort="date") == [
        "Drive d'Arras",
        "Marché de Beauvais",
    ]


def test_the_newest_matches_are_found_whatever_their_bucket(monkeypatch):
    """On PostgreSQL the newest buckets of ids are asked first (see backends): with buckets of
    two ids, a search reads several of them and still finds every match, newest first."""
    monkeypatch.setattr("retex.explore.search.lexemes.BUCKET_BITS", 1)
    consultation = ConsultationFactory()
    made = [
        testimony(consultation=consultation, title=f"Tournée {n}", initiative="Une tournée.")
        for n in range(9)
    ]
    for n in range(5):
        testimony(consultation=consultation, title=f"Autre {n}")

    assert list_search(consultation, "tournée", sort="date") == [t.title for t in made[::-1]]


def test_kept_private_words_are_neither_found_nor_quoted():
    consultation = ConsultationFactory()
    private = testimony(
        consultation=consultation,
        title="Une cellule de crise",
        initiative="Une réunion chaque matin.",
        difficulties="Le prestataire informatique a fait faillite.",
        lessons="Garder un double des sauvegardes.",
        withheld_fields=[WithholdableField.DIFFICULTIES.value],
    )
    private.tools.set([Tool.objects.create(name="Nextcloud", slug="nextcloud")])
    private.withheld_fields = [WithholdableField.DIFFICULTIES.value, WithholdableField.TOOLS.value]
    private.save()
    search_index_update(testimony_ids=[private.pk])

    assert list_search(consultation, "faillite") == []
    assert list_search(consultation, "nextcloud") == []
    assert list_search(consultation, "sauvegardes") == ["Une cellule de crise"]
    assert "faillite" not in search_snippets(testimony=private, text="réunion prestataire")


def test_the_list_follows_publication_edits_and_unpublishing():
    """Through the services, as in production: the author submits, a moderator publishes,
    corrects, then unpublishes."""
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    moderator = UserFactory()
    ConsultationMembership.objects.create(
        consultation=consultation, user=moderator, role=MembershipRole.MODERATOR
    )

    def content(initiative: str) -> TestimonyContent:
        return TestimonyContent(
            title="Le marché en click and collect",
            initiative=initiative,
            themes=[economy],
            tools=["Click & collect"],
        )

    item = testimony_submit(
        consultation=consultation,
        territory=territory("60057"),
        content=content("Commandes en ligne, retrait le samedi sur la place des Halles."),
        author_name="Camille Martin",
        author_role="agent",
        author_email="camille.martin@example.org",
        publication_consent=True,
    )
    item = testimony_confirm(testimony=item)
    assert list_search(consultation, "commandes") == []

    testimony_publish(testimony=item, moderator=moderator)
    assert list_search(consultation, "commandes") == ["Le marché en click and collect"]
    assert list_search(consultation, "click collect") == ["Le marché en click and collect"]

    testimony_moderator_edit(
        testimony=item, moderator=moderator, content=content("Un drive fermier le samedi.")
    )
    assert list_search(consultation, "commandes") == []
    assert list_search(consultation, "drive fermier") == ["Le marché en click and collect"]

    testimony_unpublish(testimony=item, moderator=moderator, reason="")
    assert list_search(consultation, "drive fermier") == []
    assert list_search(consultation, "") == []

"""Similar testimonies (retex.explore.similar): which ones, and when they change."""

import pytest
from django.core.cache import cache

from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.explore.search import search_index_update
from retex.explore.similar import SIMILAR_COUNT, similar_rows_compute, similar_testimonies
from tests.factories import ConsultationFactory, TestimonyFactory

pytestmark = pytest.mark.django_db

MARKET = "Les producteurs du marché de plein vent prenaient les commandes en ligne."
SCHOOL = "Des tablettes prêtées aux élèves pour suivre l'école à distance."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def made(consultation, title, initiative, **fields):
    testimony = TestimonyFactory(
        consultation=consultation,
        title=title,
        initiative=initiative,
        difficulties=fields.pop("difficulties", ""),
        lessons=fields.pop("lessons", ""),
        **fields,
    )
    search_index_update(testimony_ids=[testimony.pk])
    return testimony


def titles(testimonies) -> list[str]:
    return [testimony.title for testimony in testimonies]


def test_only_other_published_testimonies_of_the_same_consultation():
    consultation = ConsultationFactory()
    market = made(consultation, "Marché", MARKET)
    made(consultation, "Marché bis", MARKET)
    made(consultation, "Marché retiré", MARKET, status=TestimonyStatus.UNPUBLISHED)
    made(ConsultationFactory(), "Marché ailleurs", MARKET)
    made(consultation, "École", SCHOOL)
    assert titles(similar_rows_compute(market)) == ["Marché bis"]


def test_at_most_five_the_closest_first():
    consultation = ConsultationFactory()
    market = made(consultation, "Marché", MARKET, lessons="Retrait des commandes le samedi.")
    close = made(consultation, "Très proche", MARKET, lessons="Retrait des commandes le samedi.")
    for number in range(6):
        made(consultation, f"Proche {number}", MARKET)
        made(consultation, f"École {number}", SCHOOL)
    found = similar_rows_compute(market)
    assert len(found) == SIMILAR_COUNT
    assert found[0] == close
    assert all(testimony.title.startswith("Proche") for testimony in found[1:])


def test_words_of_a_withheld_field_do_not_make_testimonies_similar():
    consultation = ConsultationFactory()
    secret = "Rançongiciel sur les sauvegardes, messagerie chiffrée restaurée."
    testimony = made(
        consultation,
        "Continuité",
        SCHOOL,
        lessons=secret,
        withheld_fields=[WithholdableField.LESSONS.value],
    )
    attack = "Un rançongiciel a chiffré nos sauvegardes et la messagerie."
    made(consultation, "Cyberattaque", attack)
    made(consultation, "Sans rapport", "Un drive pour les producteurs locaux.")
    assert titles(similar_rows_compute(testimony)) == []

    testimony.withheld_fields = []
    testimony.save()
    search_index_update(testimony_ids=[testimony.pk])  # as the moderation service does
    assert titles(similar_rows_compute(testimony)) == ["Cyberattaque"]


def test_the_cached_answer_follows_new_publications_and_never_shows_an_unpublished_one():
    consultation = ConsultationFactory()
    market = made(consultation, "Marché", MARKET)
    first = made(consultation, "Marché bis", MARKET)
    assert titles(similar_testimonies(market)) == ["Marché bis"]

    made(consultation, "Marché ter", MARKET)  # a newer publication: computed again
    assert titles(similar_testimonies(market)) == ["Marché ter", "Marché bis"]

    first.status = TestimonyStatus.UNPUBLISHED
    first.save()
    search_index_update(testimony_ids=[first.pk])
    assert titles(similar_testimonies(market)) == ["Marché ter"]


def test_a_text_without_distinctive_words_finds_nothing():
    consultation = ConsultationFactory()
    alone = made(consultation, "De la", "Le la les.")
    made(consultation, "Marché", MARKET)
    assert similar_rows_compute(alone) == []

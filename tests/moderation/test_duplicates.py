"""Possible duplicates: a collectivity that sent the same testimony twice is caught."""

import pytest
from django.utils import timezone

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.moderation.duplicates import (
    SIMILARITY_THRESHOLD,
    duplicates_refresh,
    duplicates_unscanned,
    meaningful_words,
    possibly_duplicated,
    similar_testimonies,
    similarity,
)
from retex.moderation.models import PossibleDuplicate
from tests.factories import ConsultationFactory, TestimonyFactory, territory

S = TestimonyStatus

MARKET = (
    "Le 23 mars 2020, la ville a fermé ses marchés de plein vent. Avec les commerçants, nous"
    " avons monté un service de commande en ligne : retrait le samedi place des Halles, sur un"
    " créneau choisi à l'avance."
)
MARKET_AGAIN = (
    "Le 23 mars 2020 la ville a dû fermer ses marchés de plein vent. Avec les commerçants du"
    " marché, nous avons monté un service de commande en ligne, avec un retrait le samedi place"
    " des Halles sur un créneau choisi."
)
SCHOOL = (
    "La ville a prêté des ordinateurs portables aux élèves qui n'en avaient pas, et ouvert une"
    " permanence téléphonique pour aider les familles à se connecter à l'espace numérique."
)


def test_words_are_folded_and_function_words_left_out():
    assert meaningful_words("Les Écoles et l'ŒUVRE", "de la cantine") == {
        "ecoles",
        "oeuvre",
        "cantine",
    }


def test_the_same_text_rewritten_is_alike_and_another_subject_is_not():
    market = meaningful_words("Le marché en ligne", MARKET)
    assert similarity(market, meaningful_words("Notre marché en commande", MARKET_AGAIN)) >= (
        SIMILARITY_THRESHOLD
    )
    assert similarity(market, meaningful_words("Un ordinateur par élève", SCHOOL)) < 0.2
    assert similarity(frozenset(), frozenset()) == 0.0


@pytest.fixture
def consultation():
    return ConsultationFactory()


def witness(consultation, code="60057", *, status=S.SUBMITTED, initiative=MARKET, **fields):
    return TestimonyFactory(
        consultation=consultation,
        territory=territory(code),
        status=status,
        initiative=initiative,
        title=fields.pop("title", "Le marché en ligne"),
        **fields,
    )


@pytest.mark.django_db
def test_only_the_same_collectivity_of_the_same_consultation_is_compared(consultation):
    testimony = witness(consultation)
    same_city = witness(consultation, status=S.PUBLISHED, initiative=MARKET_AGAIN)
    witness(consultation, code="62041", initiative=MARKET)  # Arras: another collectivity
    witness(ConsultationFactory(), initiative=MARKET)  # Beauvais, another consultation
    witness(consultation, title="Un ordinateur par élève", initiative=SCHOOL)
    witness(consultation, status=S.WITHDRAWN, initiative=MARKET)
    witness(consultation, status=S.EXPIRED, initiative=MARKET)

    found = similar_testimonies(testimony)

    assert [item.testimony for item in found] == [same_city]
    assert found[0].percent >= 40


@pytest.mark.django_db
def test_the_queue_learns_the_pairs_in_both_directions_and_follows_changes(consultation):
    first = witness(consultation)
    assert duplicates_refresh(consultation=consultation) == 1
    assert not PossibleDuplicate.objects.exists()

    second = witness(consultation, initiative=MARKET_AGAIN)
    assert duplicates_unscanned(consultation=consultation) == 1
    assert duplicates_refresh(consultation=consultation) == 1  # only the newcomer
    flagged = Testimony.objects.filter(possibly_duplicated())
    assert set(flagged) == {first, second}

    # The newcomer is rewritten about something else: both lose the flag.
    second.initiative = SCHOOL
    second.save()
    assert duplicates_refresh(consultation=consultation) == 1
    assert not Testimony.objects.filter(possibly_duplicated()).exists()
    assert duplicates_refresh(consultation=consultation) == 0


@pytest.mark.django_db
def test_a_withdrawn_copy_no_longer_flags_the_other(consultation):
    first = witness(consultation)
    second = witness(consultation, initiative=MARKET_AGAIN)
    duplicates_refresh(consultation=consultation)
    Testimony.objects.filter(pk=second.pk).update(status=S.WITHDRAWN, updated_at=timezone.now())

    assert first not in Testimony.objects.filter(possibly_duplicated())
    assert similar_testimonies(first) == []


@pytest.mark.django_db
def test_scans_go_a_batch_at_a_time_the_longest_waiting_first(consultation):
    for _ in range(3):
        witness(consultation, code="62041", initiative=SCHOOL)
    assert duplicates_refresh(consultation=consultation, limit=2) == 2
    assert duplicates_unscanned(consultation=consultation) == 1
    assert duplicates_refresh(consultation=consultation, limit=None) == 1
    assert PossibleDuplicate.objects.count() == 6  # three alike: each pair, both ways

"""A consultation's phase comes from its dates; the home page lists open ones first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from retex.consultations.enums import ConsultationPhase
from retex.consultations.models import Consultation
from tests.factories import ConsultationFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# The seeds' schedule: opened 26 November 2020, deadline 20 January 2021.
OPENS = paris(2020, 11, 26, 9)
CLOSES = paris(2021, 1, 20, 23, 59)


def seeds_like(**fields) -> Consultation:
    return ConsultationFactory(opens_at=OPENS, closes_at=CLOSES, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (paris(2020, 11, 1), ConsultationPhase.UPCOMING),
        (paris(2020, 11, 26, 8, 59), ConsultationPhase.UPCOMING),
        (OPENS, ConsultationPhase.OPEN),
        (paris(2020, 12, 17), ConsultationPhase.OPEN),
        (paris(2021, 1, 20, 23, 58), ConsultationPhase.OPEN),
        (CLOSES, ConsultationPhase.CLOSED),
        (paris(2021, 5, 1), ConsultationPhase.CLOSED),
    ],
)
def test_phase_follows_the_schedule(now, phase):
    assert seeds_like().phase(now=now) == phase


@pytest.mark.django_db
def test_results_published_once_their_date_has_come():
    consultation = seeds_like(results_published_at=paris(2021, 6, 15, 10))

    assert consultation.phase(now=paris(2021, 6, 1)) == ConsultationPhase.CLOSED
    assert consultation.phase(now=paris(2021, 6, 15, 10)) == ConsultationPhase.RESULTS_PUBLISHED
    assert consultation.phase(now=paris(2022, 1, 1)) == ConsultationPhase.RESULTS_PUBLISHED


@pytest.mark.django_db
def test_phase_is_the_same_whatever_the_timezone_of_now():
    consultation = seeds_like()
    # 20 January 2021 23:30 in Paris is 22:30 UTC: still open.
    utc_now = datetime(2021, 1, 20, 22, 30, tzinfo=ZoneInfo("UTC"))

    assert consultation.phase(now=utc_now) == ConsultationPhase.OPEN


@pytest.mark.django_db
def test_open_queryset_uses_the_same_rule_as_phase():
    open_one = seeds_like()
    ConsultationFactory(opens_at=paris(2021, 2, 1), closes_at=paris(2021, 3, 1))

    now = paris(2020, 12, 17)
    assert list(Consultation.objects.open(now=now)) == [open_one]
    assert list(Consultation.objects.open(now=CLOSES)) == []


@pytest.mark.django_db
def test_home_lists_open_consultations_first_then_upcoming_then_closed():
    now = paris(2021, 1, 10)
    closed = ConsultationFactory(
        title="closed", opens_at=paris(2020, 9, 1), closes_at=paris(2020, 10, 1)
    )
    upcoming = ConsultationFactory(
        title="upcoming", opens_at=paris(2021, 3, 1), closes_at=paris(2021, 4, 1)
    )
    published = ConsultationFactory(
        title="published",
        opens_at=paris(2020, 12, 1),
        closes_at=paris(2020, 12, 31),
        results_published_at=paris(2021, 1, 5),
    )
    open_one = seeds_like(title="open")

    ordered = list(Consultation.objects.ordered_for_home(now=now))

    assert ordered[0] == open_one
    assert ordered[1] == upcoming
    assert set(ordered[2:]) == {closed, published}
    assert {c.phase(now=now) for c in ordered[2:]} == {
        ConsultationPhase.RESULTS_PUBLISHED,
        ConsultationPhase.CLOSED,
    }


@pytest.mark.django_db
def test_home_lists_the_open_consultation_closing_soonest_first():
    now = paris(2021, 1, 10)
    closing_soon = ConsultationFactory(
        title="closing soon", opens_at=paris(2020, 11, 1), closes_at=paris(2021, 1, 15)
    )
    closing_later = ConsultationFactory(
        title="closing later", opens_at=paris(2020, 12, 1), closes_at=paris(2021, 3, 20)
    )

    ordered = list(Consultation.objects.ordered_for_home(now=now))

    assert ordered == [closing_soon, closing_later], (
        "ConsultationQuerySet.ordered_for_home (retex/consultations/models.py) promises 'open"
        " consultations first (closing soonest first)' but orders them by -opens_at, so the"
        " most recently opened comes first even when another closes in five days."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("closes_at", [OPENS, paris(2020, 11, 25)])
def test_the_database_refuses_a_deadline_not_after_the_opening(closes_at):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(
            title="Dates à l'envers",
            slug="dates-a-l-envers",
            summary="Résumé.",
            organiser_names="Villes de France",
            opens_at=OPENS,
            closes_at=closes_at,
        )
    assert not Consultation.objects.filter(slug="dates-a-l-envers").exists()


@pytest.mark.django_db
def test_audience_kind_labels_follow_the_rule_order():
    rule = seeds_like().audience_rule
    rule.kinds = ["epci", "commune", "unknown"]

    with translation.override("en"):
        assert [str(label) for label in rule.kind_labels()] == ["intercommunality", "commune"]

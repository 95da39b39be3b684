"""The generator against the database: bulk writes that read like the real thing."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from retex.consultations.enums import ConsultationPhase
from retex.consultations.services import ThemeSpec, audience_check, consultation_create
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Revision, Testimony
from retex.demo import showcase
from retex.demo.composer import MAX_TEXT_LENGTH, MIN_TEXT_LENGTH
from retex.demo.services import (
    demo_consultation_create,
    demo_practice_consultation_create,
    testimonies_generate,
)

pytestmark = pytest.mark.django_db


def demo_shaped_consultation(slug: str):
    return consultation_create(
        title=f"Copie {slug}",
        slug=slug,
        summary="Même structure que la démo.",
        organiser_names=showcase.ORGANISERS,
        opens_at=showcase.OPENS_AT,
        closes_at=showcase.CLOSES_AT,
        themes=showcase.THEMES,
        audience_kinds=showcase.AUDIENCE_KINDS,
        population_min=showcase.POPULATION_MIN,
        population_max=showcase.POPULATION_MAX,
    )


def fingerprint(consultation) -> list[tuple]:
    return list(
        Testimony.objects.filter(consultation=consultation)
        .order_by("pk")
        .values_list("territory_id", "status", "title", "initiative", "lessons", "published_at")
    )


def test_generating_500_testimonies_writes_them_with_their_links_and_versions():
    consultation, _ = demo_consultation_create()
    messages = []
    written = testimonies_generate(
        consultation=consultation, count=500, seed=7, batch_size=150, progress=messages.append
    )
    assert written == 500
    assert messages[-1].startswith("500/500 testimonies written")
    assert len(messages) == 4  # one message per batch: 150, 300, 450, 500

    testimonies = Testimony.objects.filter(consultation=consultation)
    assert testimonies.count() == 500
    assert Revision.objects.filter(testimony__consultation=consultation).count() == 500
    assert not testimonies.filter(themes=None).exists()
    assert not testimonies.filter(tools=None).exists()
    themes = consultation.themes.all()
    for theme in themes:
        assert testimonies.filter(themes=theme).count() > 50

    statuses = Counter(testimonies.values_list("status", flat=True))
    assert 0.78 < statuses[TestimonyStatus.PUBLISHED] / 500 < 0.92
    assert len(statuses) >= 5

    for testimony in testimonies.select_related("territory")[:60]:
        length = sum(
            len(text)
            for text in (
                testimony.title,
                testimony.initiative,
                testimony.difficulties,
                testimony.lessons,
            )
        )
        assert MIN_TEXT_LENGTH <= length <= MAX_TEXT_LENGTH
        verdict = audience_check(rule=consultation.audience_rule, territory=testimony.territory)
        assert testimony.in_audience == verdict.in_audience
        # Backdated: the rows tell when things happened, not when the generator ran.
        assert consultation.opens_at <= testimony.created_at <= consultation.closes_at
        assert testimony.updated_at <= consultation.closes_at
        if testimony.status == TestimonyStatus.PUBLISHED:
            assert testimony.created_at <= testimony.submitted_at <= testimony.published_at
            assert testimony.publication_consent_at is not None
    assert testimonies.filter(in_audience=False).exists()
    assert testimonies.filter(territory__kind="epci").exists()


def test_the_same_seed_writes_the_same_testimonies():
    first = demo_shaped_consultation("copie-a")
    second = demo_shaped_consultation("copie-b")
    testimonies_generate(consultation=first, count=120, seed="same")
    testimonies_generate(consultation=second, count=120, seed="same")
    assert fingerprint(first) == fingerprint(second)
    third = demo_shaped_consultation("copie-c")
    testimonies_generate(consultation=third, count=120, seed="other")
    assert fingerprint(first) != fingerprint(third)


def test_forced_states_are_written_in_order():
    consultation, _ = demo_consultation_create()
    statuses = [TestimonyStatus.SUBMITTED, TestimonyStatus.REJECTED, TestimonyStatus.PUBLISHED]
    testimonies_generate(consultation=consultation, count=3, seed=1, statuses=statuses)
    assert (
        list(
            Testimony.objects.filter(consultation=consultation)
            .order_by("pk")
            .values_list("status", flat=True)
        )
        == statuses
    )
    with pytest.raises(ValueError):
        testimonies_generate(consultation=consultation, count=2, seed=1, statuses=statuses)


def test_a_consultation_shaped_otherwise_and_still_open_gets_plausible_testimonies():
    now = timezone.now()
    consultation = consultation_create(
        title="Inondations : vos retours",
        slug="inondations",
        summary="Une autre consultation, encore ouverte.",
        organiser_names="Un réseau de villes",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        themes=[
            ThemeSpec(title="Alerte", subtopics=["SMS", "Sirènes"]),
            ThemeSpec(title="Après la crue", subtopics=[]),
        ],
    )
    testimonies_generate(consultation=consultation, count=200, seed=2, now=now)
    testimonies = Testimony.objects.filter(consultation=consultation)
    assert testimonies.count() == 200
    assert all(testimonies.filter(themes=theme).exists() for theme in consultation.themes.all())
    assert not testimonies.filter(created_at__gt=now).exists()
    assert not testimonies.filter(published_at__gt=now).exists()
    # No audience rule restricts kinds or sizes here: everyone is in the audience.
    assert not testimonies.filter(in_audience=False).exists()


@pytest.mark.django_db
def test_the_demo_keeps_a_consultation_open_to_try_the_form():
    practice = demo_practice_consultation_create()
    assert practice.phase() == ConsultationPhase.OPEN
    assert [theme.title for theme in practice.themes.order_by("position")] == [
        "Protéger les personnes fragiles",
        "Adapter les services publics",
    ]

    # Months later, running the demo again reopens it, and the history says so.
    later = timezone.now() + timedelta(days=120)
    again = demo_practice_consultation_create(now=later)
    again.refresh_from_db()
    assert again.pk == practice.pk
    assert again.closes_at > later
    assert again.deadline_extensions.count() == 1

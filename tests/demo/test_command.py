"""`manage.py demo`: the seeds' consultation, its testimonies and an organiser who can log in."""

import re
from collections import Counter
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from retex.consultations.enums import AudienceEnforcement, EpciPopulationBasis, MembershipRole
from retex.consultations.models import (
    Consultation,
    ConsultationMembership,
    DeadlineExtension,
    Subtopic,
    Theme,
)
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Revision, Testimony, Tool
from retex.demo import showcase

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def credentials(output: str) -> tuple[str, str]:
    username = re.search(r"Username: (\S+)", output).group(1)
    password = re.search(r"Password: (\S+)", output).group(1)
    return username, password


def published(consultation: Consultation):
    return Testimony.objects.filter(consultation=consultation, status=TestimonyStatus.PUBLISHED)


def test_demo_creates_the_seeds_consultation_with_its_schedule_and_audience():
    run_demo()
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    assert consultation.organiser_names == "Villes de France et Villes Internet"
    assert "crise" in consultation.title.lower() and "numérique" in consultation.title.lower()
    assert consultation.opens_at.astimezone(PARIS).date() == date(2020, 11, 26)
    assert consultation.closes_at == datetime(2021, 3, 20, 23, 59, 59, tzinfo=PARIS)
    assert consultation.results_expected_on == date(2021, 6, 1)
    assert consultation.results_published_at is None

    (extension,) = DeadlineExtension.objects.filter(consultation=consultation)
    assert extension.previous_closes_at == datetime(2021, 1, 20, 23, 59, 59, tzinfo=PARIS)
    assert extension.new_closes_at == consultation.closes_at
    assert extension.created_at.astimezone(PARIS).date() == date(2021, 1, 14)
    assert "20 mars 2021" in extension.reason

    rule = consultation.audience_rule
    assert sorted(rule.kinds) == ["commune", "epci"]
    assert (rule.population_min, rule.population_max) == (10_000, 100_000)
    assert rule.epci_population_basis == EpciPopulationBasis.MEMBER_COMMUNES
    assert rule.enforcement == AudienceEnforcement.ADVISORY


def test_demo_themes_and_sub_topics_come_in_the_seeds_order():
    run_demo()
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    themes = list(Theme.objects.filter(consultation=consultation).order_by("position"))
    assert [theme.title for theme in themes] == [
        "Organisation du service public territorial",
        "Soutien à l'économie locale",
        "Cohésion sociale",
    ]
    assert all(theme.accepts_other_subtopics for theme in themes)
    subtopics = [
        list(
            Subtopic.objects.filter(theme=theme)
            .order_by("position")
            .values_list("title", flat=True)
        )
        for theme in themes
    ]
    assert subtopics == [
        [
            "Cybersécurité",
            "Continuité du service public",
            "Télétravail des agents",
            "Mobilisation des corps intermédiaires",
        ],
        [
            "Circuits courts",
            "Production et distribution locales",
            "Livraison à domicile",
            "Mobilisation des entreprises locales",
        ],
        [
            "Accès aux droits et aide sociale",
            "Inclusion numérique",
            "Mobilisation des associations",
            "Numérique éducatif",
            "Santé publique",
        ],
    ]


def test_demo_publishes_97_testimonies_among_them_the_three_the_seeds_cite():
    run_demo()
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    assert published(consultation).count() == 97
    # Other testimonies may come from the same places: find these by what they tell.
    beauvais = published(consultation).get(
        territory__code="60057", initiative__contains="place des Halles"
    )
    assert "23 mars 2020" in beauvais.initiative
    chevreuse = published(consultation).get(
        territory__code="78160", initiative__contains="marketplace"
    )
    arras = published(consultation).get(
        territory__code="62041", initiative__contains="parcours numérique"
    )
    for testimony in (beauvais, chevreuse, arras):
        assert testimony.difficulties and testimony.lessons and testimony.tools.exists()

    # Chevreuse (about 5,700 inhabitants) is outside the audience: kept, and flagged.
    assert chevreuse.in_audience is False
    assert beauvais.in_audience is True and arras.in_audience is True

    # A few awaiting moderation, one sent back to its author, two turned down.
    states = Counter(
        Testimony.objects.filter(consultation=consultation)
        .exclude(status=TestimonyStatus.PUBLISHED)
        .values_list("status", flat=True)
    )
    assert states == {
        TestimonyStatus.SUBMITTED: 5,
        TestimonyStatus.CHANGES_REQUESTED: 1,
        TestimonyStatus.REJECTED: 2,
    }


def test_demo_testimonies_cover_every_sub_topic_without_repeating_a_title():
    run_demo()
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    titles = list(published(consultation).values_list("title", flat=True))
    assert len(set(titles)) == len(titles) == 97
    for subtopic in Subtopic.objects.filter(theme__consultation=consultation):
        assert published(consultation).filter(subtopics=subtopic).exists(), subtopic.title
    assert not published(consultation).filter(themes=None).exists()
    assert published(consultation).filter(territory__kind="epci").exists()
    assert published(consultation).filter(in_audience=False).count() >= 2


def test_demo_testimonies_are_dated_within_the_consultation_and_have_a_first_version():
    run_demo()
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    for testimony in Testimony.objects.filter(consultation=consultation):
        assert consultation.opens_at <= testimony.submitted_at <= consultation.closes_at
        assert testimony.created_at <= testimony.submitted_at
        assert testimony.publication_consent_at is not None
        if testimony.status == TestimonyStatus.PUBLISHED:
            assert testimony.submitted_at <= testimony.published_at <= consultation.closes_at
        else:
            assert testimony.published_at is None
        assert testimony.author_email.endswith((".example", "@example.org"))
        revision = Revision.objects.get(testimony=testimony, number=1)
        assert revision.content["title"] == testimony.title
        assert revision.created_at == testimony.created_at


def row_counts() -> dict[str, int]:
    models = (
        Consultation,
        Theme,
        Subtopic,
        DeadlineExtension,
        Testimony,
        Revision,
        Tool,
        Group,
        ConsultationMembership,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_running_the_demo_twice_duplicates_nothing_but_changes_the_password():
    first = run_demo()
    counts = row_counts()
    second = run_demo()
    assert row_counts() == counts
    assert "nothing added" in second
    assert credentials(first)[1] != credentials(second)[1]


def test_the_organiser_signs_in_to_the_back_office_with_the_printed_credentials(client):
    output = run_demo()
    assert "/gestion/" in output
    username, password = credentials(output)

    response = client.post(
        "/gestion/connexion/", {"username": username, "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert response.wsgi_request.path == "/gestion/"
    assert "Gestion de crise" in response.text

    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Organisateurs").exists()
    assert user.has_perm("contributions.change_testimony")
    assert user.has_perm("consultations.change_consultation")
    assert user.has_perm("territories.view_territory")
    assert not user.has_perm("territories.change_territory")
    assert not user.has_perm("auth.add_user")
    memberships = ConsultationMembership.objects.filter(user=user).order_by("consultation__slug")
    assert [(m.consultation.slug, m.role) for m in memberships] == [
        (showcase.PRACTICE_SLUG, MembershipRole.ORGANISER),
        (showcase.SLUG, MembershipRole.ORGANISER),
    ]


def test_a_new_run_revokes_the_previous_password(client):
    username, old_password = credentials(run_demo())
    run_demo()
    assert not client.login(username=username, password=old_password)


def test_count_adds_generated_testimonies_to_the_demo_consultation():
    output = run_demo("--count", "500", "--seed", "3", "--batch-size", "200")
    consultation = Consultation.objects.get(slug=showcase.SLUG)
    assert Testimony.objects.filter(consultation=consultation).count() == 105 + 500
    assert "500/500 testimonies written" in output
    assert re.search(r"Generated 500 testimonies in [\d.]+ s", output)


def test_count_needs_an_existing_consultation():
    with pytest.raises(CommandError, match="no-such-consultation"):
        run_demo("--count", "10", "--consultation", "no-such-consultation")

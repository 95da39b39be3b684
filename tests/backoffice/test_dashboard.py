"""The dashboard: figures right on a small known set of testimonies, the audience reached, the
median time to moderation, who may read it."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from retex.backoffice import selectors_dashboard
from retex.backoffice.selectors_dashboard import audience_members, dashboard_figures
from retex.consultations.enums import MembershipRole
from retex.consultations.services import audience_check
from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.models import Revision
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.moderation.services import testimony_publish
from retex.territories.enums import PopulationBand, TerritoryKind
from retex.territories.models import Territory
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db
S = TestimonyStatus


@pytest.fixture(autouse=True)
def empty_cache():
    # Rolled-back tests reuse primary keys: figures cached by another test must not show.
    cache.clear()
    yield
    cache.clear()


def decided(testimony, hours: float, kind=DecisionKind.PUBLISH) -> ModerationDecision:
    decision = ModerationDecision.objects.create(testimony=testimony, kind=kind)
    ModerationDecision.objects.filter(pk=decision.pk).update(
        created_at=testimony.submitted_at + timedelta(hours=hours)
    )
    return decision


@pytest.fixture
def story():
    """Beauvais twice (one published, one rejected), Arras waiting, Chevreuse (outside the
    audience: fewer than 10,000 inhabitants) published, one never confirmed."""
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    markets = SubtopicFactory(theme=economy, title="Circuits courts")
    SubtopicFactory(theme=economy, title="Livraison à domicile")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    now = timezone.now()
    beauvais, arras, chevreuse = territory("60057"), territory("62041"), territory("78160")
    published = TestimonyFactory(
        consultation=consultation,
        territory=beauvais,
        themes=[economy],
        submitted_at=now - timedelta(days=3),
    )
    published.subtopics.set([markets])
    rejected = TestimonyFactory(
        consultation=consultation,
        territory=beauvais,
        status=S.REJECTED,
        themes=[economy, cohesion],
        submitted_at=now - timedelta(days=2),
    )
    waiting = TestimonyFactory(
        consultation=consultation,
        territory=arras,
        status=S.SUBMITTED,
        themes=[cohesion],
        submitted_at=now - timedelta(days=1),
    )
    outside = TestimonyFactory(
        consultation=consultation,
        territory=chevreuse,
        themes=[economy],
        in_audience=False,
        submitted_at=now - timedelta(days=2),
    )
    TestimonyFactory(
        consultation=consultation,
        territory=arras,
        status=S.PENDING_VERIFICATION,
        themes=[economy],
        submitted_at=None,
    )
    # Time to the first decision: 26 h, 2 h and 10 h; the median is 10 h.
    decided(published, 26)
    decided(published, 40, DecisionKind.UNPUBLISH)  # not the first: does not count
    decided(rejected, 2, DecisionKind.REJECT)
    decided(outside, 10)
    return {
        "consultation": consultation,
        "economy": economy,
        "markets": markets,
        "cohesion": cohesion,
        "published": published,
        "waiting": waiting,
    }


def tally(tallies, label):
    return next((item.received, item.published) for item in tallies if str(item.label) == label)


def test_counts_by_state_theme_sub_topic_and_collectivity(story):
    figures = dashboard_figures(story["consultation"])
    assert (figures.total, figures.received, figures.published) == (5, 4, 2)
    assert dict(figures.states)[S.PENDING_VERIFICATION] == 1
    assert tally(figures.themes, "Soutien à l'économie locale") == (3, 2)
    assert tally(figures.themes, "Cohésion sociale") == (2, 0)
    economy = next(t for t in figures.themes if t.label == "Soutien à l'économie locale")
    assert tally(economy.subtopics, "Circuits courts") == (1, 1)
    assert tally(economy.subtopics, "Livraison à domicile") == (0, 0)
    assert tally(figures.regions, "Hauts-de-France") == (3, 1)
    assert tally(figures.regions, "Île-de-France") == (1, 1)
    assert tally(figures.kinds, str(TerritoryKind.COMMUNE.label)) == (4, 2)
    bands = {str(item.label): (item.received, item.published) for item in figures.bands}
    expected = {str(band.label): [0, 0] for band in PopulationBand}
    for code, published in (("60057", 1), ("60057", 0), ("62041", 0), ("78160", 1)):
        band = territory(code).population_band
        expected[str(band.label)][0] += 1
        expected[str(band.label)][1] += published
    assert bands == {label: tuple(counts) for label, counts in expected.items()}


def test_queue_and_median_time_to_the_first_decision(story):
    published = story["published"]
    edit = Revision.objects.create(
        testimony=published, number=2, kind=RevisionKind.AUTHOR_EDIT, content={}
    )
    published.pending_revision = edit
    published.save(update_fields=["pending_revision"])
    moderation = dashboard_figures(story["consultation"]).moderation
    assert moderation.queue_size == 2  # Arras waiting, and Beauvais's edit
    assert moderation.decided == 3
    assert moderation.median == timedelta(hours=10)
    assert moderation.oldest_waiting_since == story["waiting"].submitted_at


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(story):
    decided(story["waiting"], 4, DecisionKind.REQUEST_CHANGES)
    moderation = dashboard_figures(story["consultation"]).moderation
    assert moderation.decided == 4
    assert moderation.median == timedelta(hours=7)  # 2, 4, 10, 26


def test_audience_reached_and_who_has_not_answered(story):
    coverage = dashboard_figures(story["consultation"]).coverage
    communes = Territory.objects.filter(
        kind=TerritoryKind.COMMUNE, population__gte=10_000, population__lte=100_000
    )
    kinds = {item.kind: (item.answered, item.audience) for item in coverage.kinds}
    assert kinds[TerritoryKind.COMMUNE] == (2, communes.count())  # Beauvais and Arras
    assert kinds[TerritoryKind.EPCI][0] == 0
    assert coverage.outside == 1  # Chevreuse
    missing = {member.code for member in coverage.missing}
    assert "60057" not in missing and "62041" not in missing and "78160" not in missing
    assert len(coverage.missing) == coverage.audience - 2
    populations = [member.population for member in coverage.missing]
    assert populations == sorted(populations, reverse=True)


def test_the_audience_list_agrees_with_the_rule_of_the_form(story):
    rule = story["consultation"].audience_rule
    members = {member.pk for member in audience_members(rule)}
    # Every intercommunality, and the communes around the population bounds.
    around_bounds = Territory.objects.filter(kind=TerritoryKind.COMMUNE).filter(
        Q(population__range=(9_900, 10_100)) | Q(population__range=(99_000, 101_000))
    )
    checked = [*Territory.objects.filter(kind=TerritoryKind.EPCI), *around_bounds]
    assert len(checked) > 1_000
    for place in checked:
        assert (place.pk in members) == audience_check(rule=rule, territory=place).in_audience, (
            place.name
        )


def test_the_timeline_counts_by_local_day(story):
    consultation = ConsultationFactory(
        opens_at=datetime(2021, 1, 1, tzinfo=UTC), closes_at=datetime(2021, 2, 1, tzinfo=UTC)
    )
    # 23:30 in UTC on 12 January is 00:30 on the 13th in Paris.
    late = datetime(2021, 1, 12, 23, 30, tzinfo=UTC)
    TestimonyFactory(consultation=consultation, status=S.SUBMITTED, submitted_at=late)
    TestimonyFactory(
        consultation=consultation,
        submitted_at=late - timedelta(hours=2),
        published_at=datetime(2021, 1, 20, 9, tzinfo=UTC),
    )
    timeline = dashboard_figures(consultation).timeline
    by_day = {period.start: (period.received, period.published) for period in timeline.periods}
    assert not timeline.weekly
    assert timeline.periods[0].start == date(2021, 1, 1)
    assert timeline.periods[-1].start == date(2021, 2, 1)
    assert by_day[date(2021, 1, 12)] == (1, 0)
    assert by_day[date(2021, 1, 13)] == (1, 0)
    assert by_day[date(2021, 1, 20)] == (0, 1)
    assert sum(received for received, _published in by_day.values()) == 2


def test_a_long_consultation_is_counted_by_week(story):
    consultation = ConsultationFactory(
        opens_at=datetime(2020, 1, 1, tzinfo=UTC), closes_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    TestimonyFactory(consultation=consultation, submitted_at=datetime(2020, 6, 3, 10, tzinfo=UTC))
    timeline = dashboard_figures(consultation).timeline
    assert timeline.weekly
    assert all(period.start.weekday() == 0 for period in timeline.periods)
    assert sum(period.received for period in timeline.periods) == 1


def test_figures_follow_a_publication_made_through_the_services(story, monkeypatch):
    consultation = story["consultation"]
    organiser = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    assert dashboard_figures(consultation).published == 2
    testimony_publish(testimony=story["waiting"], moderator=organiser)
    # Figures less than a minute old are still shown, then computed again.
    assert dashboard_figures(consultation).published == 2
    monkeypatch.setattr(selectors_dashboard, "STALE_SECONDS", 0)
    assert dashboard_figures(consultation).published == 3


def test_days_are_local_across_the_change_to_summer_time():
    # Paris goes from UTC+1 to UTC+2 at 01:00 UTC on 28 March 2021.
    days = selectors_dashboard._per_day(
        [
            ("2021-03-27 22", 1),  # 23:00 on the 27th
            ("2021-03-27 23", 2),  # 00:00 on the 28th
            ("2021-03-28 00", 4),  # 01:00 on the 28th
            ("2021-03-28 21", 8),  # 23:00 on the 28th
            ("2021-03-28 22", 16),  # 00:00 on the 29th
            (None, 32),  # not sent: not counted
        ]
    )
    assert days == {date(2021, 3, 27): 1, date(2021, 3, 28): 14, date(2021, 3, 29): 16}


# --- The page ----------------------------------------------------------------------------------


def dashboard_url(consultation):
    return reverse("backoffice:dashboard", args=[consultation.slug])


def test_an_organiser_reads_the_dashboard(client, story):
    consultation = story["consultation"]
    client.force_login(
        MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    )
    page = client.get(dashboard_url(consultation)).text
    assert "Tableau de bord" in page
    assert "2 des " in page and " communes visées ont envoyé au moins un témoignage" in page
    assert "délai médian de modération" in page
    assert "10 heures" in page
    assert 'role="img"' in page
    assert "Témoignages par région</caption>" in page
    assert "Hauts-de-France" in page


def test_a_moderator_reads_it_too_and_outsiders_do_not(client, story):
    consultation = story["consultation"]
    client.force_login(MembershipFactory(consultation=consultation).user)
    assert client.get(dashboard_url(consultation)).status_code == 200
    client.force_login(UserFactory())
    assert client.get(dashboard_url(consultation)).status_code == 404
    client.logout()
    assert client.get(dashboard_url(consultation)).status_code == 302


def test_the_list_of_collectivities_without_testimony_as_csv(client, story):
    consultation = story["consultation"]
    client.force_login(MembershipFactory(consultation=consultation).user)
    response = client.get(reverse("backoffice:dashboard_missing", args=[consultation.slug]))
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["type", "code", "nom", "population", "departement"]
    codes = [row[1] for row in rows[1:]]
    assert "60057" not in codes
    assert len(codes) == dashboard_figures(consultation).coverage.audience - 2


def test_the_list_sorts_by_population_and_pages(client, story):
    consultation = story["consultation"]
    client.force_login(MembershipFactory(consultation=consultation).user)
    smallest_first = client.get(dashboard_url(consultation), {"tri": "population-asc"})
    missing = smallest_first.context["missing_page"].object_list
    assert [m.population for m in missing] == sorted(m.population for m in missing)
    assert len(missing) == 50
    second = client.get(dashboard_url(consultation), {"tri": "population-asc", "page": 2})
    assert second.context["missing_page"].object_list[0].population >= missing[-1].population

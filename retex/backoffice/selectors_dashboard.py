"""Reads for the dashboard: a consultation's figures, from a few GROUP BY queries.

The database counts; Python only adds up groups (hours, collectivities: a few thousand at
most), never testimonies one by one. "Received" testimonies are those whose author confirmed
the e-mail address (they have a `submitted_at`); "published" ones are published now.

The figures are cached. The key holds the consultation's latest audit event (every service that
changes a testimony or decides on one writes an event, in the same transaction), its number of
testimonies and its audience rule: a change made through Retex shows at the next visit, or
within STALE_SECONDS while changes keep coming (figures a minute old are served rather than
computed again for each visit). Changes made around the services (the admin, bulk generation)
show within CACHE_SECONDS. The page says when its figures were computed.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import Promise

from retex.audit.models import AuditEvent
from retex.consultations.enums import EpciPopulationBasis
from retex.consultations.models import AudienceRule, Consultation, Subtopic, Theme
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.core.db import serial_query
from retex.core.tabular import batched
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.territories.enums import PopulationBand, TerritoryKind
from retex.territories.models import Territory
from retex.territories.selectors import reference_version

CACHE_SECONDS = 300
STALE_SECONDS = 60
AUDIENCE_CACHE_SECONDS = 24 * 3600
# Beyond this many days, the timeline counts by week: a bar a day would be a few pixels wide.
MAX_DAILY_PERIODS = 183
# Primary keys per IN (…) list: well below SQLite's limit on query parameters.
IDS_PER_QUERY = 2000
# The median time to moderation is measured over this many latest decisions.
RECENT_DECISIONS = 1000
# Decisions that end a testimony's wait in the queue (unpublishing, accepting an edit do not).
QUEUE_DECISIONS = [
    DecisionKind.PUBLISH,
    DecisionKind.REJECT,
    DecisionKind.REQUEST_CHANGES,
    DecisionKind.MARK_DUPLICATE,
]

Label = str | Promise


# --- Database functions ----------------------------------------------------------------------


class UtcHour(models.Func):
    """The hour of a date-time in UTC, as "YYYY-MM-DD HH", computed by the database itself.

    Django's TruncDate/TruncHour run a Python function per row on SQLite (100,000 calls for
    100,000 testimonies); the hour is cut out of the stored text there (SQLite keeps UTC as
    text). Hours are turned into local days in Python, per group."""

    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 13)")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
        )


# --- What the page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """One category of a breakdown: how many testimonies received, how many published."""

    key: str
    label: Label
    received: int
    published: int


@dataclass(frozen=True)
class ThemeTally(Tally):
    subtopics: list[Tally] = field(default_factory=list)


@dataclass(frozen=True)
class PeriodTally:
    """A day (or a week, starting on `start`) of the timeline."""

    start: date
    received: int
    published: int


@dataclass(frozen=True)
class Timeline:
    weekly: bool
    periods: list[PeriodTally]

    @property
    def peak(self) -> int:
        return max((max(p.received, p.published) for p in self.periods), default=0)


@dataclass(frozen=True)
class AudienceMember:
    pk: int
    kind: str
    code: str
    name: str
    population: int | None
    departement: str

    @property
    def kind_label(self) -> Label:
        return TerritoryKind(self.kind).label


@dataclass(frozen=True)
class KindCoverage:
    kind: str
    answered: int
    audience: int

    @property
    def label(self) -> Label:
        return TerritoryKind(self.kind).label


@dataclass(frozen=True)
class Coverage:
    """How much of the audience has answered (at least one testimony received)."""

    restricted: bool  # False: the rule accepts every collectivity, there is no target list
    outside: int  # testimonies received from collectivities outside the audience
    answered: int
    audience: int
    kinds: list[KindCoverage]
    missing: list[AudienceMember]  # the biggest first


@dataclass(frozen=True)
class ModerationDelay:
    decided: int  # recent decisions measured (RECENT_DECISIONS at most)
    median: timedelta | None
    queue_size: int
    oldest_waiting_since: datetime | None


@dataclass(frozen=True)
class Dashboard:
    computed_at: datetime
    total: int
    received: int
    published: int
    states: list[tuple[str, int]]
    timeline: Timeline
    themes: list[ThemeTally]
    regions: list[Tally]
    bands: list[Tally]
    kinds: list[Tally]
    coverage: Coverage
    moderation: ModerationDelay

    @property
    def state_rows(self) -> list[tuple[str, Label, int]]:
        return [(status, TestimonyStatus(status).label, count) for status, count in self.states]


# --- The audience ----------------------------------------------------------------------------


def _population_range(rule: AudienceRule, prefix: str = "") -> Q:
    condition = Q()
    if rule.population_min is not None:
        condition &= Q(**{f"{prefix}population__gte": rule.population_min})
    if rule.population_max is not None:
        condition &= Q(**{f"{prefix}population__lte": rule.population_max})
    return condition


def _audience_restricted(rule: AudienceRule | None) -> bool:
    return rule is not None and bool(
        rule.kinds or rule.population_min is not None or rule.population_max is not None
    )


def audience_queryset(rule: AudienceRule) -> models.QuerySet[Territory]:
    """Every collectivity in the audience, by the same rule as `audience_check` (an
    intercommunality counts through its member communes when the rule says so)."""
    kinds = rule.kinds or TerritoryKind.values
    in_range = _population_range(rule)
    condition = Q(pk__in=[])
    for kind in kinds:
        if kind == TerritoryKind.EPCI and rule.epci_population_basis == (
            EpciPopulationBasis.MEMBER_COMMUNES
        ):
            if rule.population_min is None and rule.population_max is None:
                condition |= Q(kind=kind)
            else:
                members = Territory.objects.filter(
                    in_range, kind=TerritoryKind.COMMUNE, epci__isnull=False
                ).values("epci_id")
                condition |= Q(kind=kind, pk__in=members)
        else:
            condition |= Q(in_range, kind=kind)
    return Territory.objects.filter(condition)


def _audience_key(rule: AudienceRule | None) -> str:
    if rule is None:
        return "none"
    kinds = ",".join(sorted(rule.kinds))
    return (
        f"{kinds}:{rule.population_min}:{rule.population_max}:{rule.epci_population_basis}"
        f":{reference_version()}"
    )


def audience_members(rule: AudienceRule | None) -> list[AudienceMember]:
    """The target collectivities, the biggest first (cached: they change with the rule or the
    territories reference only). Empty when the rule accepts everyone."""
    if not _audience_restricted(rule):
        return []
    key = f"backoffice:audience:{_audience_key(rule)}"
    members = cache.get(key)
    if members is None:
        members = [
            AudienceMember(
                pk=pk,
                kind=kind,
                code=code,
                name=name,
                population=population,
                departement=departement or "",
            )
            for pk, kind, code, name, population, departement in audience_queryset(rule)
            .order_by(F("population").desc(nulls_last=True), "name", "pk")
            .values_list("pk", "kind", "code", "name", "population", "departement__name")
        ]
        cache.set(key, members, AUDIENCE_CACHE_SECONDS)
    return members


# --- The figures -----------------------------------------------------------------------------


def _received(consultation: Consultation) -> models.QuerySet[Testimony]:
    return Testimony.objects.filter(consultation=consultation, submitted_at__isnull=False)


# COUNT(*) or COUNT(status) rather than COUNT(id): counts come from indexes without the id (on
# PostgreSQL, an index holds no primary key unless it is one of its columns).


def _published_count() -> Count:
    return Count("status", filter=Q(status=TestimonyStatus.PUBLISHED))


def _per_day(rows: Iterable[tuple[str | None, int]]) -> dict[date, int]:
    """Counts per UTC hour added up per local day. The local offset is looked up once per UTC
    day (and per hour only on the two days a year when it changes)."""
    zone = timezone.get_current_timezone()
    days: dict[date, int] = defaultdict(int)
    offsets: dict[str, tuple[datetime, timedelta, timedelta]] = {}
    for hour, count in rows:
        if not hour:
            continue
        known = offsets.get(hour[:10])
        if known is None:
            start = datetime.fromisoformat(hour[:10]).replace(tzinfo=UTC)
            known = offsets[hour[:10]] = (
                start,
                start.astimezone(zone).utcoffset(),
                (start + timedelta(hours=23)).astimezone(zone).utcoffset(),
            )
        start, first_offset, last_offset = known
        moment = start + timedelta(hours=int(hour[11:13]))
        offset = (
            first_offset if first_offset == last_offset else moment.astimezone(zone).utcoffset()
        )
        days[(moment + offset).date()] += count
    return days


def _timeline(consultation: Consultation) -> Timeline:
    received = _per_day(
        _received(consultation)
        .annotate(hour=UtcHour("submitted_at"))
        .values_list("hour")
        .annotate(count=Count("*"))
        .order_by()
    )
    published = _per_day(
        Testimony.objects.filter(consultation=consultation, status=TestimonyStatus.PUBLISHED)
        .annotate(hour=UtcHour("published_at"))
        .values_list("hour")
        .annotate(count=Count("*"))
        .order_by()
    )
    days = set(received) | set(published)
    if not days:
        return Timeline(weekly=False, periods=[])
    today = timezone.localdate()
    first = min(min(days), timezone.localtime(consultation.opens_at).date())
    last = max(max(days), min(today, timezone.localtime(consultation.closes_at).date()))
    weekly = (last - first).days + 1 > MAX_DAILY_PERIODS
    if weekly:
        first -= timedelta(days=first.weekday())  # weeks start on Monday
    step = timedelta(days=7 if weekly else 1)
    periods = []
    start = first
    while start <= last:
        span = [start + timedelta(days=offset) for offset in range(step.days)]
        periods.append(
            PeriodTally(
                start=start,
                received=sum(received.get(day, 0) for day in span),
                published=sum(published.get(day, 0) for day in span),
            )
        )
        start += step
    return Timeline(weekly=weekly, periods=periods)


def _not_received(consultation: Consultation) -> models.QuerySet[Testimony]:
    """Testimonies whose author never confirmed the address (withdrawn ones included)."""
    return Testimony.objects.filter(consultation=consultation).filter(
        Q(status__in=[TestimonyStatus.PENDING_VERIFICATION, TestimonyStatus.EXPIRED])
        | Q(status=TestimonyStatus.WITHDRAWN, submitted_at__isnull=True)
    )


def _received_unpublished(consultation: Consultation) -> models.QuerySet[Testimony]:
    return (
        Testimony.objects.filter(consultation=consultation)
        .exclude(status=TestimonyStatus.PUBLISHED)
        .exclude(pk__in=_not_received(consultation).values("pk"))
    )


def _link_counts(through, target: str, within: Q, testimonies=None) -> dict[int, int]:
    # Links of given testimonies are found from those (they are in the consultation): adding
    # the consultation's themes to the filter makes SQLite probe every theme for every one.
    links = (
        through.objects.filter(within)
        if testimonies is None
        else through.objects.filter(testimony_id__in=testimonies.values("pk"))
    )
    return dict(links.values_list(f"{target}_id").annotate(count=Count("*")).order_by())


def _received_and_published(through, target: str, within: Q, consultation) -> dict:
    """{theme or sub-topic: (received, published)}.

    Counted by subtraction: every link of the consultation's themes, less those of the few
    testimonies never confirmed, less those of the received but unpublished ones. Each count
    reads the narrow link table (and an index of the testimonies), never the testimonies' rows:
    joining 100,000 links to their testimony would read every row."""
    every = _link_counts(through, target, within)
    unconfirmed = _link_counts(through, target, within, _not_received(consultation))
    unpublished = _link_counts(through, target, within, _received_unpublished(consultation))
    counts = {}
    for pk, count in every.items():
        received = count - unconfirmed.get(pk, 0)
        counts[pk] = (received, received - unpublished.get(pk, 0))
    return counts


def _themes(consultation: Consultation) -> list[ThemeTally]:
    theme_counts = _received_and_published(
        Testimony.themes.through, "theme", Q(theme__consultation=consultation), consultation
    )
    subtopic_counts = _received_and_published(
        Testimony.subtopics.through,
        "subtopic",
        Q(subtopic__theme__consultation=consultation),
        consultation,
    )
    subtopics: dict[int, list[Tally]] = defaultdict(list)
    for subtopic in Subtopic.objects.filter(theme__consultation=consultation).order_by(
        "theme_id", "position", "pk"
    ):
        received, published_count = subtopic_counts.get(subtopic.pk, (0, 0))
        subtopics[subtopic.theme_id].append(
            Tally(f"subtopic-{subtopic.pk}", subtopic.title, received, published_count)
        )
    themes = []
    for theme in Theme.objects.filter(consultation=consultation).order_by("position", "pk"):
        received, published_count = theme_counts.get(theme.pk, (0, 0))
        themes.append(
            ThemeTally(
                f"theme-{theme.pk}",
                theme.title,
                received,
                published_count,
                subtopics=subtopics.get(theme.pk, []),
            )
        )
    return themes


@dataclass
class _Places:
    """The breakdowns by collectivity, from one count per collectivity."""

    regions: list[Tally]
    bands: list[Tally]
    kinds: list[Tally]
    received: dict[int, int]  # testimonies received, per collectivity


def _places(consultation: Consultation) -> _Places:
    per_territory = list(
        _received(consultation)
        # "+ 0": grouped by the bare column, SQLite (once ANALYZE says there are few
        # consultations) walks the territory index to save a sort, and reads every row for
        # the other columns (0.5 s at 100,000); this way it reads the statistics index alone.
        .annotate(place=F("territory_id") + 0)
        .values_list("place")
        .annotate(received=Count("*"), published=_published_count())
        .order_by()
    )
    facts: dict[int, tuple[str, int | None, int | None]] = {}
    for ids in batched([row[0] for row in per_territory], IDS_PER_QUERY):
        for pk, kind, population, region_id in Territory.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "population", "region_id"
        ):
            # A région is its own région.
            facts[pk] = (kind, population, pk if kind == TerritoryKind.REGION else region_id)
    regions: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    bands: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for territory_id, received, published in per_territory:
        kind, population, region_id = facts[territory_id]
        band = PopulationBand.for_population(population)
        for counts in (regions[region_id], bands[band or ""], kinds[kind]):
            counts[0] += received
            counts[1] += published
    region_names = dict(
        Territory.objects.filter(pk__in=[pk for pk in regions if pk]).values_list("pk", "name")
    )
    region_tallies = sorted(
        (
            Tally(f"region-{pk}", region_names[pk], *counts)
            for pk, counts in regions.items()
            if pk is not None
        ),
        key=lambda tally: (-tally.received, str(tally.label)),
    )
    return _Places(
        regions=region_tallies,
        bands=[
            Tally(f"band-{band.value}", band.label, *bands.get(band.value, (0, 0)))
            for band in PopulationBand
        ],
        kinds=[
            Tally(f"kind-{kind.value}", kind.label, *kinds[kind.value])
            for kind in TerritoryKind
            if kind.value in kinds
        ],
        received={territory_id: received for territory_id, received, _p in per_territory},
    )


def _coverage(rule: AudienceRule | None, received: dict[int, int]) -> Coverage:
    members = audience_members(rule)
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missing = []
    for member in members:
        counts = per_kind[member.kind]
        counts[1] += 1
        if member.pk in received:
            counts[0] += 1
        else:
            missing.append(member)
    kinds = [
        KindCoverage(kind.value, *per_kind[kind.value])
        for kind in TerritoryKind
        if kind.value in per_kind
    ]
    restricted = _audience_restricted(rule)
    in_audience = sum(received.get(member.pk, 0) for member in members)
    return Coverage(
        restricted=restricted,
        outside=sum(received.values()) - in_audience if restricted else 0,
        answered=len(members) - len(missing),
        audience=len(members),
        kinds=kinds,
        missing=missing,
    )


def _moderation(consultation: Consultation) -> ModerationDelay:
    """The queue, and the median wait from a testimony's sending to the decision on it, over
    the consultation's RECENT_DECISIONS latest decisions: the moderation as it goes now, read
    from the newest decisions backwards (a few milliseconds, whatever the consultation's size).

    A testimony sent back for changes and sent again has a later `submitted_at`: the decision
    that sent it back predates it and is left out; the next one counts from the new sending."""
    of_consultation = Testimony.objects.filter(
        pk=OuterRef("testimony_id"), consultation=consultation
    )
    sent_at = Testimony.objects.filter(pk=OuterRef("testimony_id")).values("submitted_at")[:1]
    recent = (
        ModerationDecision.objects.filter(Exists(of_consultation), kind__in=QUEUE_DECISIONS)
        .annotate(sent_at=Subquery(sent_at))
        .order_by("-pk")
        .values_list("created_at", "sent_at")[:RECENT_DECISIONS]
    )
    waits = [
        (decided_at - sent).total_seconds()
        for decided_at, sent in recent
        if sent is not None and decided_at >= sent
    ]
    median = timedelta(seconds=round(statistics.median(waits))) if waits else None
    waiting = Testimony.objects.filter(consultation=consultation, status=TestimonyStatus.SUBMITTED)
    # Two counts rather than one with OR: each is served by an index. "> 0" rather than "is
    # not null": SQLite's statistics make it read the few edits through their index.
    queue_size = (
        waiting.count()
        + Testimony.objects.filter(consultation=consultation, pending_revision__gt=0)
        .exclude(status=TestimonyStatus.SUBMITTED)
        .count()
    )
    return ModerationDelay(
        decided=len(waits),
        median=median,
        queue_size=queue_size,
        oldest_waiting_since=waiting.aggregate(oldest=Min("submitted_at"))["oldest"],
    )


def dashboard_compute(consultation: Consultation) -> Dashboard:
    """The figures of a consultation, computed now (see `dashboard_figures` for the cache)."""
    # A dozen short queries: starting PostgreSQL's parallel workers for each costs more than
    # it saves (measured: 460 → 400 ms at 100,000 testimonies).
    with serial_query():
        return _dashboard(consultation)


def _dashboard(consultation: Consultation) -> Dashboard:
    rule = AudienceRule.objects.filter(consultation=consultation).first()
    states = dict(
        Testimony.objects.filter(consultation=consultation)
        .values_list("status")
        .annotate(count=Count("*"))
        .order_by()
    )
    places = _places(consultation)
    received = sum(tally.received for tally in places.kinds)
    return Dashboard(
        computed_at=timezone.now(),
        total=sum(states.values()),
        received=received,
        published=states.get(TestimonyStatus.PUBLISHED, 0),
        states=[(status.value, states[status]) for status in TestimonyStatus if status in states],
        timeline=_timeline(consultation),
        themes=_themes(consultation),
        regions=places.regions,
        bands=places.bands,
        kinds=places.kinds,
        coverage=_coverage(rule, places.received),
        moderation=_moderation(consultation),
    )


def _cache_key(consultation: Consultation) -> str:
    rule = AudienceRule.objects.filter(consultation=consultation).first()
    latest_event = AuditEvent.objects.filter(consultation_id=consultation.pk).aggregate(
        latest=Max("pk")
    )["latest"]
    total = Testimony.objects.filter(consultation=consultation).count()
    return f"backoffice:dashboard:{consultation.pk}:{latest_event}:{total}:{_audience_key(rule)}"


def dashboard_figures(consultation: Consultation, *, fresh: bool = False) -> Dashboard:
    """The figures of a consultation: from the cache when nothing changed since they were
    computed, or when they are less than STALE_SECONDS old (while moderators work, something
    changes every few seconds: the figures are computed again at most once a minute)."""
    key = _cache_key(consultation)
    latest_key = f"backoffice:dashboard-latest:{consultation.pk}"
    if not fresh:
        figures = cache.get(key)
        if figures is None:
            latest = cache.get(latest_key)
            if latest is not None and timezone.now() - latest.computed_at < timedelta(
                seconds=STALE_SECONDS
            ):
                figures = latest
        if figures is not None:
            return figures
    figures = dashboard_compute(consultation)
    cache.set_many({key: figures, latest_key: figures}, CACHE_SECONDS)
    return figures

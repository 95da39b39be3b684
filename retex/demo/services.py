"""Demo data: the seeds' consultation, an organiser account and realistic testimonies.

Everything here is safe to run again: the consultation, the tools and the organiser are found by
their natural keys, and the demo testimonies are only created for a consultation that has none.
`testimonies_generate` is the exception by design: it adds N more, for benchmarks.
"""

import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from retex.consultations.enums import MembershipRole
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    ConsultationMembership,
    Subtopic,
    Theme,
)
from retex.consultations.services import (
    audience_check,
    consultation_create,
    consultation_extend_deadline,
)
from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.models import Revision, Testimony, Tool
from retex.contributions.services import TestimonyContent
from retex.demo import corpus, showcase
from retex.demo.composer import Draft, Place, TestimonyComposer, ThemeShape, TopicRef
from retex.explore.search import search_index_update
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.moderation.reasons import REJECT_REASONS
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from retex.territories.services import territories_load

Progress = Callable[[str], None]

ORGANISER_USERNAME = "organisatrice"
ORGANISERS_GROUP = "Organisateurs"
# Organisers manage consultations and testimonies, and read the territories reference.
ORGANISER_APPS = ("consultations", "contributions")

# The demo's generated testimonies are the same on every machine.
DEMO_SEED = "demo-2020"

# Communes smaller than this never testify in generated corpora: tiny villages rarely answer
# such calls, and leaving them out keeps the candidate list short.
MIN_COMMUNE_POPULATION = 3500

DEFAULT_BATCH_SIZE = 2000

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _no_progress(message: str) -> None:
    pass


@transaction.atomic
def demo_consultation_create() -> tuple[Consultation, bool]:
    """The seeds' consultation, with its extended deadline; (consultation, created)."""
    existing = Consultation.objects.filter(slug=showcase.SLUG).first()
    if existing is not None:
        return existing, False
    consultation = consultation_create(
        title=showcase.TITLE,
        slug=showcase.SLUG,
        summary=showcase.SUMMARY,
        description=showcase.DESCRIPTION,
        organiser_names=showcase.ORGANISERS,
        opens_at=showcase.OPENS_AT,
        closes_at=showcase.FIRST_CLOSES_AT,
        results_expected_on=showcase.RESULTS_EXPECTED_ON,
        contact_email=showcase.CONTACT_EMAIL,
        themes=showcase.THEMES,
        audience_kinds=showcase.AUDIENCE_KINDS,
        population_min=showcase.POPULATION_MIN,
        population_max=showcase.POPULATION_MAX,
        epci_population_basis=showcase.EPCI_POPULATION_BASIS,
        enforcement=showcase.ENFORCEMENT,
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=showcase.CLOSES_AT,
        reason=showcase.EXTENSION_REASON,
        decided_at=showcase.EXTENDED_ON,
    )
    return consultation, True


@transaction.atomic
def demo_practice_consultation_create(*, now: datetime | None = None) -> Consultation:
    """A fictional consultation kept open, so that visitors can try the form. If an earlier
    run's deadline has passed, it is extended (through the service, so the history shows it)."""
    now = now or timezone.now()
    existing = Consultation.objects.filter(slug=showcase.PRACTICE_SLUG).first()
    if existing is not None:
        if existing.closes_at <= now + timedelta(days=7):
            consultation_extend_deadline(
                consultation=existing,
                new_closes_at=now + timedelta(days=showcase.PRACTICE_OPEN_DAYS),
                reason=showcase.PRACTICE_EXTENSION_REASON,
            )
        return existing
    return consultation_create(
        title=showcase.PRACTICE_TITLE,
        slug=showcase.PRACTICE_SLUG,
        summary=showcase.PRACTICE_SUMMARY,
        description=showcase.PRACTICE_DESCRIPTION,
        organiser_names=showcase.PRACTICE_ORGANISERS,
        contact_email=showcase.CONTACT_EMAIL,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=showcase.PRACTICE_OPEN_DAYS),
        themes=showcase.PRACTICE_THEMES,
        audience_kinds=showcase.AUDIENCE_KINDS,
        population_min=showcase.POPULATION_MIN,
        population_max=showcase.POPULATION_MAX,
        epci_population_basis=showcase.EPCI_POPULATION_BASIS,
        enforcement=showcase.ENFORCEMENT,
    )


def demo_tools_create() -> dict[str, int]:
    """The tools testimonies name; returns slug -> primary key."""
    Tool.objects.bulk_create(
        [Tool(name=tool.name, slug=tool.slug) for tool in corpus.TOOLS],
        ignore_conflicts=True,
    )
    slugs = [tool.slug for tool in corpus.TOOLS]
    return dict(Tool.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def _fresh_password() -> str:
    """Four groups of four characters, without look-alikes (l/1, o/0): easy to type."""
    groups = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


@transaction.atomic
def demo_organiser_create(*, consultation: Consultation) -> tuple[AbstractUser, str]:
    """The organiser account, with a new password on every call; (user, password)."""
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=ORGANISER_APPS)
            | Q(content_type__app_label="territories", codename__startswith="view_")
        )
    )
    user, _ = get_user_model().objects.get_or_create(
        username=ORGANISER_USERNAME,
        defaults={
            "first_name": "Claire",
            "last_name": "Organisatrice",
            "email": "organisatrice@retex.example",
        },
    )
    password = _fresh_password()
    user.set_password(password)
    user.is_active = True
    user.is_staff = True
    user.is_superuser = False
    user.save()
    user.groups.add(group)
    ConsultationMembership.objects.update_or_create(
        consultation=consultation, user=user, defaults={"role": MembershipRole.ORGANISER}
    )
    return user, password


# ---------------------------------------------------------------------------------------------
# Testimonies
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Structure:
    """A consultation's themes and sub-topics as primary keys, by position."""

    shapes: list[ThemeShape]
    theme_ids: list[int]
    subtopic_ids: list[list[int]]

    def ids(self, topics: Sequence[TopicRef]) -> tuple[set[int], set[int]]:
        themes = {self.theme_ids[topic.theme] for topic in topics}
        subtopics = {
            self.subtopic_ids[topic.theme][topic.subtopic]
            for topic in topics
            if topic.subtopic is not None
        }
        return themes, subtopics


def _structure(consultation: Consultation) -> _Structure:
    themes = list(Theme.objects.filter(consultation=consultation).order_by("position", "pk"))
    subtopics: dict[int, list[int]] = {theme.pk: [] for theme in themes}
    for theme_id, pk in (
        Subtopic.objects.filter(theme__consultation=consultation)
        .order_by("position", "pk")
        .values_list("theme_id", "pk")
    ):
        subtopics[theme_id].append(pk)
    return _Structure(
        shapes=[
            ThemeShape(len(subtopics[theme.pk]), theme.accepts_other_subtopics) for theme in themes
        ],
        theme_ids=[theme.pk for theme in themes],
        subtopic_ids=[subtopics[theme.pk] for theme in themes],
    )


def _audience_rule(consultation: Consultation) -> AudienceRule | None:
    return AudienceRule.objects.filter(consultation=consultation).first()


def _places(consultation: Consultation) -> list[Place]:
    """Every EPCI and every commune of some size, flagged against the audience rule.

    audience_check runs once per territory (one query per EPCI for its member communes), so
    the flag of the hundred-thousandth testimony costs nothing.
    """
    rule = _audience_rule(consultation)
    territories = (
        Territory.objects.filter(
            Q(kind=TerritoryKind.EPCI)
            | Q(kind=TerritoryKind.COMMUNE, population__gte=MIN_COMMUNE_POPULATION)
        )
        .only("pk", "kind", "code", "name", "population", "legal_form")
        .order_by("kind", "code")
    )
    return [
        Place(
            pk=territory.pk,
            kind=territory.kind,
            code=territory.code,
            name=territory.name,
            population=territory.population,
            legal_form=territory.legal_form,
            in_audience=rule is None or audience_check(rule=rule, territory=territory).in_audience,
        )
        for territory in territories
    ]


def _testimony(consultation: Consultation, draft: Draft) -> Testimony:
    return Testimony(
        consultation=consultation,
        territory_id=draft.place.pk,
        status=draft.status,
        title=draft.title,
        initiative=draft.initiative,
        difficulties=draft.difficulties,
        lessons=draft.lessons,
        partners=draft.partners,
        cost_and_team=draft.cost_and_team,
        started_on=draft.started_on,
        ended_on=draft.ended_on,
        author_name=draft.author_name,
        author_role=draft.author_role,
        author_email=draft.author_email,
        in_audience=draft.place.in_audience,
        anonymous=draft.anonymous,
        publication_consent_at=draft.publication_consent_at,
        submitted_at=draft.submitted_at,
        published_at=draft.published_at,
    )


def _insert(
    consultation: Consultation,
    drafts: list[Draft],
    structure: _Structure,
    tool_ids: dict[str, int],
) -> None:
    """One batch: the testimonies, their three many-to-many links, their real dates."""
    testimonies = Testimony.objects.bulk_create(
        [_testimony(consultation, draft) for draft in drafts]
    )
    theme_links = []
    subtopic_links = []
    tool_links = []
    ThemeLink = Testimony.themes.through
    SubtopicLink = Testimony.subtopics.through
    ToolLink = Testimony.tools.through
    for testimony, draft in zip(testimonies, drafts, strict=True):
        themes, subtopics = structure.ids(draft.topics)
        theme_links += [ThemeLink(testimony_id=testimony.pk, theme_id=pk) for pk in themes]
        subtopic_links += [
            SubtopicLink(testimony_id=testimony.pk, subtopic_id=pk) for pk in subtopics
        ]
        tool_links += [
            ToolLink(testimony_id=testimony.pk, tool_id=tool_ids[slug]) for slug in draft.tool_slugs
        ]
    ThemeLink.objects.bulk_create(theme_links)
    SubtopicLink.objects.bulk_create(subtopic_links)
    ToolLink.objects.bulk_create(tool_links)
    Revision.objects.bulk_create(
        [
            _first_revision(testimony, draft.topics, draft.tool_slugs, structure)
            for testimony, draft in zip(testimonies, drafts, strict=True)
        ]
    )
    _backdate(testimonies, drafts)
    _decisions_create(testimonies)


_TOOL_NAMES = {tool.slug: tool.name for tool in corpus.TOOLS}

# The showcase's two refusals, and what their authors were told.
_SHOWCASE_REJECTIONS = {
    "Solution clé en main de vente en ligne pour vos marchés": "advertising",
    "Mairie fermée, personne ne répond": "complaint",
}
_GENERATED_REJECTIONS = ("out_of_scope", "not_local_authority", "personal_data")
_CHANGES_REQUESTED = (
    "Merci de préciser la période de l'initiative et le nombre d'habitants concernés, puis de"
    " retirer le nom de l'agent cité dans le deuxième paragraphe."
)
_DECISION_FOR_STATE = {
    TestimonyStatus.REJECTED: DecisionKind.REJECT,
    TestimonyStatus.CHANGES_REQUESTED: DecisionKind.REQUEST_CHANGES,
    TestimonyStatus.DUPLICATE: DecisionKind.MARK_DUPLICATE,
    TestimonyStatus.UNPUBLISHED: DecisionKind.UNPUBLISH,
}


def _decisions_create(testimonies: list[Testimony]) -> None:
    """A testimony refused, sent back, set aside or unpublished comes with the decision that
    did it, as the moderation services record it (the review page shows the reason the
    author was told). Made by no account; dated when the testimony last changed."""
    decisions = []
    for testimony in testimonies:
        kind = _DECISION_FOR_STATE.get(testimony.status)
        if kind is None:
            continue
        reason = ""
        if kind == DecisionKind.REJECT:
            key = _SHOWCASE_REJECTIONS.get(
                testimony.title, _GENERATED_REJECTIONS[testimony.pk % len(_GENERATED_REJECTIONS)]
            )
            reason = str(REJECT_REASONS[key])
        elif kind == DecisionKind.REQUEST_CHANGES:
            reason = _CHANGES_REQUESTED
        decisions.append(ModerationDecision(testimony=testimony, kind=kind, reason=reason))
    if not decisions:
        return
    created = ModerationDecision.objects.bulk_create(decisions)
    ModerationDecision.objects.filter(pk__in=[decision.pk for decision in created]).update(
        created_at=Subquery(
            Testimony.objects.filter(pk=OuterRef("testimony_id")).values("updated_at")[:1]
        )
    )


def _first_revision(
    testimony: Testimony,
    topics: Sequence[TopicRef],
    tool_slugs: Sequence[str],
    structure: _Structure,
) -> Revision:
    """The submission as its author sent it, in the form testimony_submit records."""
    content = TestimonyContent(
        title=testimony.title,
        initiative=testimony.initiative,
        themes=[],
        difficulties=testimony.difficulties,
        lessons=testimony.lessons,
        tools=[_TOOL_NAMES[slug] for slug in tool_slugs],
        partners=testimony.partners,
        cost_and_team=testimony.cost_and_team,
        started_on=testimony.started_on,
        ended_on=testimony.ended_on,
        anonymous=testimony.anonymous,
    )
    snapshot = content.snapshot()
    themes, subtopics = structure.ids(topics)
    snapshot["themes"] = sorted(themes)
    snapshot["subtopics"] = sorted(subtopics)
    return Revision(
        testimony_id=testimony.pk,
        number=1,
        kind=RevisionKind.SUBMISSION,
        content=snapshot,
        editor_name=testimony.author_name[:150],
    )


def _backdate(testimonies: list[Testimony], drafts: list[Draft]) -> None:
    """created_at and updated_at are set to "now" on insert; give them the story's dates."""
    pairs = list(zip(testimonies, drafts, strict=True))
    confirmed = [testimony.pk for testimony, draft in pairs if draft.submitted_at]
    if confirmed:
        # The form was sent (and consent given) when the row was created.
        Testimony.objects.filter(pk__in=confirmed).update(
            created_at=F("publication_consent_at"),
            updated_at=Coalesce(F("published_at"), F("submitted_at")),
        )
    # The few never confirmed have no date column to copy from: one CASE for the batch.
    unconfirmed = {
        testimony.pk: draft.created_at for testimony, draft in pairs if not draft.submitted_at
    }
    if unconfirmed:
        created = Case(
            *(When(pk=pk, then=Value(at)) for pk, at in unconfirmed.items()),
            default=F("created_at"),
        )
        Testimony.objects.filter(pk__in=list(unconfirmed)).update(
            created_at=created, updated_at=created
        )
    _revisions_backdate([testimony.pk for testimony in testimonies])


def _revisions_backdate(testimony_ids: list[int]) -> None:
    """A first revision dates from its testimony's creation."""
    Revision.objects.filter(testimony_id__in=testimony_ids, number=1).update(
        created_at=Subquery(
            Testimony.objects.filter(pk=OuterRef("testimony_id")).values("created_at")[:1]
        )
    )


@transaction.atomic
def testimonies_generate(
    *,
    consultation: Consultation,
    count: int,
    seed: int | str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    statuses: Sequence[str] | None = None,
    out_of_audience_share: float = 0.12,
    length_median: int = 1100,
    max_initiatives: int = 3,
    shared_share: float = 0.25,
    now: datetime | None = None,
    progress: Progress = _no_progress,
) -> int:
    """Add `count` fictional testimonies to a consultation; returns how many were written.

    Deterministic for a given seed (and territories reference). `statuses`, if given, sets the
    state of each testimony in turn; otherwise about 85 % are published. Rows are written with
    bulk inserts, `batch_size` at a time, with a progress message after each batch.
    """
    if count <= 0:
        return 0
    if statuses is not None and len(statuses) != count:
        raise ValueError("Give one state per testimony, or none.")
    structure = _structure(consultation)
    composer = TestimonyComposer(
        seed=seed,
        themes=structure.shapes,
        places=_places(consultation),
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        out_of_audience_share=out_of_audience_share,
        length_median=length_median,
        max_initiatives=max_initiatives,
        shared_share=shared_share,
    )
    tool_ids = demo_tools_create()
    now = now or timezone.now()
    started = time.monotonic()
    written = 0
    while written < count:
        size = min(batch_size, count - written)
        drafts = [
            composer.compose(
                status=None if statuses is None else statuses[written + index], now=now
            )
            for index in range(size)
        ]
        _insert(consultation, drafts, structure, tool_ids)
        written += size
        elapsed = time.monotonic() - started
        progress(f"{written}/{count} testimonies written ({written / elapsed:,.0f}/s).")
    return written


def _showcase_testimony_create(
    consultation: Consultation,
    item: showcase.ShowcaseTestimony,
    structure: _Structure,
    tool_ids: dict[str, int],
    rule: AudienceRule | None,
) -> Testimony:
    territory = Territory.objects.get(kind=item.territory_kind, code=item.territory_code)
    in_audience = rule is None or audience_check(rule=rule, territory=territory).in_audience
    testimony = Testimony.objects.create(
        consultation=consultation,
        territory=territory,
        status=item.status,
        title=item.title,
        initiative=item.initiative,
        difficulties=item.difficulties,
        lessons=item.lessons,
        partners=item.partners,
        cost_and_team=item.cost_and_team,
        started_on=item.started_on,
        ended_on=item.ended_on,
        author_name=item.author_name,
        author_role=item.author_role,
        author_email=item.author_email,
        in_audience=in_audience,
        publication_consent_at=item.submitted_at,
        submitted_at=item.submitted_at,
        published_at=item.published_at,
    )
    themes, subtopics = structure.ids(item.topics)
    testimony.themes.set(themes)
    testimony.subtopics.set(subtopics)
    testimony.tools.set([tool_ids[slug] for slug in item.tools])
    Revision.objects.bulk_create([_first_revision(testimony, item.topics, item.tools, structure)])
    Testimony.objects.filter(pk=testimony.pk).update(
        created_at=item.submitted_at, updated_at=item.published_at or item.submitted_at
    )
    _revisions_backdate([testimony.pk])
    _decisions_create([testimony])
    return testimony


@transaction.atomic
def demo_testimonies_create(
    *, consultation: Consultation, progress: Progress = _no_progress
) -> int:
    """The demo's testimonies, if the consultation has none yet; returns how many were added.

    The hand-written showcase, then generated ones up to the original 97 published, plus a
    few awaiting moderation or sent back to their author.
    """
    if Testimony.objects.filter(consultation=consultation).exists():
        return 0
    structure = _structure(consultation)
    tool_ids = demo_tools_create()
    rule = _audience_rule(consultation)
    for item in showcase.SHOWCASE:
        _showcase_testimony_create(consultation, item, structure, tool_ids, rule)
    hand_written = len(showcase.SHOWCASE)
    progress(f"{hand_written} hand-written testimonies.")
    published = sum(item.status == TestimonyStatus.PUBLISHED for item in showcase.SHOWCASE)
    statuses = [TestimonyStatus.PUBLISHED] * (showcase.PUBLISHED_COUNT - published)
    statuses += showcase.GENERATED_OTHER_STATES
    # Spread the few other states among the others rather than at the end.
    random.Random(DEMO_SEED).shuffle(statuses)
    generated = testimonies_generate(
        consultation=consultation,
        count=len(statuses),
        seed=DEMO_SEED,
        statuses=statuses,
        out_of_audience_share=0.08,
        length_median=900,
        # One initiative each, few shared sentences: read side by side, they do not repeat.
        max_initiatives=1,
        shared_share=0.1,
    )
    progress(f"{generated} generated testimonies.")
    return hand_written + generated


@dataclass(frozen=True)
class DemoReport:
    consultation: Consultation
    consultation_created: bool
    territories_loaded: bool
    testimonies_created: int
    organiser_username: str
    organiser_password: str


def demo_setup(*, progress: Progress = _no_progress) -> DemoReport:
    """Everything `manage.py demo` does before any extra generation; safe to run again."""
    territories_loaded = False
    if not Territory.objects.exists():
        progress("Loading the territories reference (a few seconds)…")
        territories_load(progress=progress)
        territories_loaded = True
    consultation, created = demo_consultation_create()
    progress(f"Consultation “{consultation.title}”: {'created' if created else 'already there'}.")
    testimonies = demo_testimonies_create(consultation=consultation, progress=progress)
    if testimonies:
        # Bulk-created rows bypass the publishing services: index them for search here.
        search_index_update(
            testimony_ids=Testimony.objects.filter(consultation=consultation).values_list(
                "pk", flat=True
            )
        )
    practice = demo_practice_consultation_create()
    progress(f"Open consultation to try the form: “{practice.title}”.")
    user, password = demo_organiser_create(consultation=consultation)
    ConsultationMembership.objects.update_or_create(
        consultation=practice, user=user, defaults={"role": MembershipRole.ORGANISER}
    )
    return DemoReport(
        consultation=consultation,
        consultation_created=created,
        territories_loaded=territories_loaded,
        testimonies_created=testimonies,
        organiser_username=user.get_username(),
        organiser_password=password,
    )

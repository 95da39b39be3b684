"""Reads for the moderation pages. Staff see private fields; these never feed public pages."""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import F, Lookup, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from retex.audit.models import AuditEvent
from retex.consultations.models import Consultation, Subtopic, Theme
from retex.contributions.enums import RevisionKind, TestimonyStatus, WithholdableField
from retex.contributions.models import Attachment, Revision, Testimony, Tool
from retex.contributions.services import TestimonyContent
from retex.core.text import fold_words
from retex.explore.search import parse_query, search
from retex.moderation.diff import FieldChange, content_changes
from retex.moderation.duplicates import possibly_duplicated
from retex.moderation.models import DecisionKind, ModerationDecision

S = TestimonyStatus


class QueueState:
    """The queue's "state" filter: the testimony's state, or the two views of waiting work."""

    WAITING = "waiting"  # a new testimony or an edit of a published one
    EDIT = "edit"  # an edit of a published testimony, waiting
    DEFAULT = WAITING

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [
            (cls.WAITING, _("awaiting a decision")),
            (S.SUBMITTED, _("new, awaiting moderation")),
            (cls.EDIT, _("edit of a published testimony to review")),
            (S.CHANGES_REQUESTED, S.CHANGES_REQUESTED.label),
            (S.PUBLISHED, S.PUBLISHED.label),
            (S.UNPUBLISHED, S.UNPUBLISHED.label),
            (S.REJECTED, S.REJECTED.label),
            (S.DUPLICATE, S.DUPLICATE.label),
            (S.WITHDRAWN, S.WITHDRAWN.label),
            (S.PENDING_VERIFICATION, S.PENDING_VERIFICATION.label),
            (S.EXPIRED, S.EXPIRED.label),
        ]

    @classmethod
    def values(cls) -> set[str]:
        return {value for value, _label in cls.choices()}


@dataclass(frozen=True)
class QueueFilters:
    """What a moderator chose above the queue; the defaults are the work waiting."""

    state: str = QueueState.DEFAULT
    theme: int | None = None
    out_of_audience: bool = False
    duplicate: bool = False
    q: str = ""

    @property
    def narrowed(self) -> bool:
        return bool(self.theme or self.out_of_audience or self.duplicate or self.q)


@dataclass
class QueueResult:
    testimonies: QuerySet[Testimony]  # ordered, with their `waiting_since`
    filtered: QuerySet[Testimony]  # the same, unordered: to count them
    # The search in published testimonies keeps the 1,000 newest matches at most.
    capped: bool = False
    searched_published: bool = False

    def count(self) -> int:
        return self.filtered.order_by().count()


def _waiting_since(state: str):
    """When a testimony started waiting, the queue's order: its edit's date for an edit to
    review, when it was written for the never confirmed, else when it was received. A plain
    column where possible, so that an index gives the order without sorting."""
    if state == QueueState.WAITING:
        return Coalesce("pending_revision__created_at", "submitted_at")
    if state == QueueState.EDIT:
        return F("pending_revision__created_at")
    if state in (S.PENDING_VERIFICATION, S.EXPIRED):
        return F("created_at")
    return F("submitted_at")


def _by_state(testimonies: QuerySet[Testimony], state: str) -> QuerySet[Testimony]:
    if state in (QueueState.WAITING, QueueState.EDIT):
        # The few edits waiting, read apart: "submitted OR edited" in one condition would
        # make the databases read the whole consultation.
        # "> 0" rather than "IS NOT NULL": SQLite then reads the foreign key's index.
        edited = list(
            testimonies.filter(pending_revision_id__gt=0).order_by().values_list("pk", flat=True)
        )
        if state == QueueState.EDIT:
            return testimonies.filter(pk__in=edited)
        return testimonies.filter(Q(status=S.SUBMITTED) | Q(pk__in=edited))
    return testimonies.filter(status=state)


# Letters a folded letter stands for in French texts (both cases: PostgreSQL folds the case
# of accented letters only with some collations).
_VARIANTS = {
    "a": "aàâäáãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóòõ",
    "u": "uùûüú",
    "y": "yÿý",
}


def _letters(word: str) -> str:
    parts = []
    for char in word:
        variants = _VARIANTS.get(char)
        parts.append(f"[{variants}{variants.upper()}]" if variants else re.escape(char))
    return "".join(parts)


def accent_pattern(word: str) -> str:
    """A regular expression that finds a folded word ("ecole") in text as written ("École",
    "ÉCOLE", "écoles"): each letter matches its accented forms, "oe" and "ae" their ligature."""
    pieces = re.split(r"(oe|ae)", word)
    pattern = []
    for piece in pieces:
        if piece == "oe":
            pattern.append(f"(?:{_letters('oe')}|[œŒ])")
        elif piece == "ae":
            pattern.append(f"(?:{_letters('ae')}|[æÆ])")
        elif piece:
            pattern.append(_letters(piece))
    return "".join(pattern)


MAX_SEARCH_WORDS = 8


class _Haystack(TextField):
    """The texts a queue search reads, joined (only as the type of that expression)."""


@_Haystack.register_lookup
class _LikeLoosely(Lookup):
    """`LIKE` with a pattern from `loose_pattern`, ignoring case: a quick first sieve (on
    SQLite a regular expression calls Python for every row; on PostgreSQL it is twice as slow
    as ILIKE) that lets through a superset, which the regular expression then checks."""

    lookup_name = "like_loosely"
    operator = "LIKE"  # SQLite's LIKE ignores the case of ASCII letters

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        self.operator = "ILIKE"
        return self.as_sql(compiler, connection)


def loose_pattern(word: str) -> str:
    """A LIKE pattern that finds at least every text `accent_pattern(word)` finds: any
    character where an accented letter may stand, anything where a ligature may."""
    pattern = word.replace("oe", "%").replace("ae", "%")
    return "%" + "".join("_" if char in _VARIANTS else char for char in pattern) + "%"


def _text_match(testimonies: QuerySet[Testimony], text: str) -> QuerySet[Testimony]:
    """Every word of `text`, folded, somewhere in the title, the initiative or the
    collectivity's name, whatever the accents and capitals (one regular expression per word
    on the three joined, over the few thousand testimonies the other filters leave)."""
    words = fold_words(text)[:MAX_SEARCH_WORDS]
    if not words:
        return testimonies
    testimonies = testimonies.annotate(
        queue_haystack=Concat(
            "title",
            Value("\n"),
            "initiative",
            Value("\n"),
            "territory__name",
            output_field=_Haystack(),
        )
    )
    for word in words:
        # Two calls, in this order: the quick sieve first (one call would sort them by name).
        testimonies = testimonies.filter(queue_haystack__like_loosely=loose_pattern(word))
        testimonies = testimonies.filter(queue_haystack__iregex=accent_pattern(word))
    return testimonies


def queue_testimonies(
    *, consultation: Consultation, filters: QueueFilters = QueueFilters()
) -> QueueResult:
    """The testimonies of a consultation the filters select, the one waiting longest first.

    The words searched: in published testimonies (tens of thousands in a big consultation)
    through the public full-text index — stems, so "écoles" finds "école", also in the other
    texts and the tools — keeping the 1,000 newest matches; in the other states, which are
    never in that index and hold a few thousand testimonies at most, as accent- and
    case-insensitive substrings of the title, the initiative and the collectivity's name."""
    state = filters.state if filters.state in QueueState.values() else QueueState.DEFAULT
    testimonies = _by_state(Testimony.objects.filter(consultation=consultation), state)
    if filters.theme:
        testimonies = testimonies.filter(themes=filters.theme)
    if filters.out_of_audience:
        testimonies = testimonies.filter(in_audience=False)
    if filters.duplicate:
        testimonies = testimonies.filter(possibly_duplicated())
    result = QueueResult(testimonies=testimonies, filtered=testimonies)
    if filters.q:
        if state == S.PUBLISHED:
            query = parse_query(filters.q)
            found = search(queryset=testimonies, text=query)
            ids = list(found.testimonies.order_by().values_list("pk", flat=True))
            testimonies = testimonies.filter(pk__in=ids)
            result.capped = not found.count.exact
            result.searched_published = True
        else:
            testimonies = _text_match(testimonies, filters.q)
    result.filtered = testimonies
    result.testimonies = testimonies.annotate(waiting_since=_waiting_since(state)).order_by(
        "waiting_since", "pk"
    )
    return result


def queue_rows(ids: list[int], *, state: str) -> list[Testimony]:
    """The rows of a page of the queue, in the order of `ids`, with their collectivity and
    whether they may be duplicates (read for these rows only, not for the whole queue)."""
    rows = {
        testimony.pk: testimony
        for testimony in Testimony.objects.filter(pk__in=ids)
        .annotate(possible_duplicate=possibly_duplicated())
        .select_related("territory", "pending_revision")
        .only(
            "pk",
            "title",
            "status",
            "in_audience",
            "anonymous",
            "submitted_at",
            "created_at",
            "pending_revision__created_at",
            "territory__name",
            "territory__kind",
        )
    }
    ordered = [rows[pk] for pk in ids if pk in rows]
    for testimony in ordered:
        testimony.waiting_since = _waiting_since_of(testimony, state)
    return ordered


@dataclass(frozen=True)
class Neighbours:
    previous: int | None
    next: int | None


def _neighbour(ordered: QuerySet[Testimony], since: datetime, pk: int, *, after: bool):
    """(waiting_since, pk) of the first testimony after (or last before) this key. Written as
    a range ("<= since, but not this one or those after it at the same time") rather than an
    OR, so that the databases read the index from `since` on."""
    if after:
        following = Q(waiting_since__gte=since) & ~Q(waiting_since=since, pk__lte=pk)
        return ordered.filter(following).values_list("waiting_since", "pk").first()
    preceding = Q(waiting_since__lte=since) & ~Q(waiting_since=since, pk__gte=pk)
    return (
        ordered.filter(preceding)
        .order_by(F("waiting_since").desc(), "-pk")
        .values_list("waiting_since", "pk")
        .first()
    )


def queue_neighbours(
    *, consultation: Consultation, filters: QueueFilters, testimony: Testimony
) -> Neighbours:
    """The testimonies before and after this one in the queue as filtered (keyset: cheap on
    any page, and right even when this one has just left the queue). What waits is looked for
    among the new testimonies, ordered by an index, and among the few edits, apart."""
    state = filters.state if filters.state in QueueState.values() else QueueState.DEFAULT
    since = _waiting_since_of(testimony, state)
    if since is None:  # never confirmed, yet listed with the confirmed ones: no order to follow
        return Neighbours(previous=None, next=None)
    parts = [S.SUBMITTED, QueueState.EDIT] if state == QueueState.WAITING else [state]
    following, preceding = [], []
    for part in parts:
        ordered = queue_testimonies(
            consultation=consultation, filters=replace(filters, state=part)
        ).testimonies
        following.append(_neighbour(ordered, since, testimony.pk, after=True))
        preceding.append(_neighbour(ordered, since, testimony.pk, after=False))
    following = [item for item in following if item is not None]
    preceding = [item for item in preceding if item is not None]
    return Neighbours(
        previous=max(preceding)[1] if preceding else None,
        next=min(following)[1] if following else None,
    )


def _waiting_since_of(testimony: Testimony, state: str) -> datetime | None:
    """The order key `_waiting_since` gives this testimony, computed from the object."""
    if state in (QueueState.WAITING, QueueState.EDIT) and testimony.pending_revision_id:
        return testimony.pending_revision.created_at
    if state in (S.PENDING_VERIFICATION, S.EXPIRED):
        return testimony.created_at
    return testimony.submitted_at


# --- The review page -----------------------------------------------------------------------


def testimony_for_review(*, consultation: Consultation, pk: int) -> Testimony:
    """One testimony of the consultation with everything the review page shows, private
    fields included; DoesNotExist when it belongs to another consultation."""
    return (
        Testimony.objects.filter(consultation=consultation)
        .select_related(
            "consultation",
            "territory__departement",
            "territory__region",
            "pending_revision",
        )
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "pk")),
            Prefetch(
                "subtopics",
                queryset=Subtopic.objects.select_related("theme").order_by("position", "pk"),
            ),
            Prefetch("tools", queryset=Tool.objects.order_by("name")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
        )
        .get(pk=pk)
    )


def current_content(testimony: Testimony) -> TestimonyContent:
    """The testimony as it stands (with its prefetched relations), in a version's form."""
    return TestimonyContent(
        title=testimony.title,
        initiative=testimony.initiative,
        themes=list(testimony.themes.all()),
        difficulties=testimony.difficulties,
        lessons=testimony.lessons,
        subtopics=list(testimony.subtopics.all()),
        tools=[tool.name for tool in testimony.tools.all()],
        partners=testimony.partners,
        cost_and_team=testimony.cost_and_team,
        started_on=testimony.started_on,
        ended_on=testimony.ended_on,
        links=list(testimony.links or []),
        anonymous=testimony.anonymous,
    )


@dataclass(frozen=True)
class VersionEntry:
    revision: Revision
    # The version in force when this one was written, that `changes` compare it with.
    base: Revision | None
    changes: list[FieldChange]
    pending: bool


def _names(consultation_id: int) -> tuple[dict[int, str], dict[int, str]]:
    themes = dict(Theme.objects.filter(consultation_id=consultation_id).values_list("pk", "title"))
    subtopics = dict(
        Subtopic.objects.filter(theme__consultation_id=consultation_id).values_list("pk", "title")
    )
    return themes, subtopics


def _in_force_since(revisions: list[Revision], testimony: Testimony) -> dict[int, datetime]:
    """When each version became the text in force: when written, except an author's edit of a
    published testimony, which waits until a moderator accepts it (and may never be)."""
    accepted = {}
    for details, at in ModerationDecision.objects.filter(
        testimony=testimony, kind=DecisionKind.ACCEPT_EDIT
    ).values_list("details", "created_at"):
        number = (details or {}).get("revision")
        if number is not None:
            accepted[number] = at
    # Which author's edits waited: the audit log says so (contributions.testimony_edit).
    waiting = {
        (details or {}).get("revision")
        for details in AuditEvent.objects.filter(
            action="testimony.edit",
            target_type=Testimony._meta.label_lower,
            target_id=str(testimony.pk),
        ).values_list("details", flat=True)
        if (details or {}).get("awaiting_moderation")
    }
    since = {}
    for revision in revisions:
        waited = revision.kind == RevisionKind.AUTHOR_EDIT and (
            revision.number in waiting or revision.pk == testimony.pending_revision_id
        )
        if not waited:
            since[revision.number] = revision.created_at
        elif revision.number in accepted:
            since[revision.number] = accepted[revision.number]
    return since


def version_history(testimony: Testimony) -> list[VersionEntry]:
    """Every version, oldest first, each with what it changed in the text in force when it was
    written (an edit waiting for moderation was not in force: the next correction of the
    published text is compared with the version before it)."""
    themes, subtopics = _names(testimony.consultation_id)
    revisions = list(
        Revision.objects.filter(testimony=testimony)
        .select_related("editor_user")
        .order_by("number")
    )
    since = _in_force_since(revisions, testimony)
    entries = []
    for revision in revisions:
        earlier = [
            other
            for other in revisions
            if other.number < revision.number
            and other.number in since
            and since[other.number] <= revision.created_at
        ]
        base = max(earlier, key=lambda other: (since[other.number], other.number), default=None)
        changes = (
            content_changes(
                base.content, revision.content, theme_names=themes, subtopic_names=subtopics
            )
            if base is not None
            else []
        )
        entries.append(
            VersionEntry(
                revision=revision,
                base=base,
                changes=changes,
                pending=revision.pk == testimony.pending_revision_id,
            )
        )
    return entries


def pending_changes(testimony: Testimony) -> list[FieldChange]:
    """What accepting the waiting edit would change in the text in force."""
    revision = testimony.pending_revision
    if revision is None:
        return []
    themes, subtopics = _names(testimony.consultation_id)
    return content_changes(
        current_content(testimony).snapshot(),
        revision.content,
        theme_names=themes,
        subtopic_names=subtopics,
    )


def decisions_of(testimony: Testimony) -> list[ModerationDecision]:
    """The decisions taken on a testimony, oldest first, with the labels of the fields each
    publication kept private."""
    decisions = list(
        ModerationDecision.objects.filter(testimony=testimony)
        .select_related("moderator", "duplicate_of")
        .order_by("created_at", "pk")
    )
    labels = dict(WithholdableField.choices)
    for decision in decisions:
        withheld = (decision.details or {}).get("withheld_fields") or []
        decision.withheld_labels = [str(labels.get(value, value)) for value in withheld]
    return decisions


def themes_of(consultation: Consultation) -> list[Theme]:
    return list(consultation.themes.order_by("position", "pk"))

"""Writes on consultations. Each function is one atomic business operation."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.formats import number_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from retex.audit.services import audit_record
from retex.consultations.enums import (
    AudienceEnforcement,
    ConsultationPhase,
    EpciPopulationBasis,
    MembershipRole,
)
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    ConsultationMembership,
    DeadlineExtension,
    Subtopic,
    Theme,
)
from retex.core.email import absolute_url, email_send_after_commit
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory


@dataclass(frozen=True)
class ThemeSpec:
    title: str
    subtopics: list[str]
    description: str = ""
    accepts_other_subtopics: bool = True


@transaction.atomic
def consultation_create(
    *,
    title: str,
    slug: str,
    summary: str,
    organiser_names: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    contact_email: str = "",
    results_expected_on: date | None = None,
    themes: list[ThemeSpec] = (),
    audience_kinds: list[str] = (),
    population_min: int | None = None,
    population_max: int | None = None,
    epci_population_basis: str = EpciPopulationBasis.MEMBER_COMMUNES,
    enforcement: str = AudienceEnforcement.ADVISORY,
) -> Consultation:
    consultation = Consultation(
        title=title,
        slug=slug,
        summary=summary,
        description=description,
        organiser_names=organiser_names,
        contact_email=contact_email,
        opens_at=opens_at,
        closes_at=closes_at,
        results_expected_on=results_expected_on,
    )
    consultation.full_clean()
    consultation.save()
    audience = AudienceRule(
        consultation=consultation,
        kinds=list(audience_kinds),
        population_min=population_min,
        population_max=population_max,
        epci_population_basis=epci_population_basis,
        enforcement=enforcement,
    )
    audience.full_clean()
    audience.save()
    for theme_position, spec in enumerate(themes, start=1):
        theme = Theme.objects.create(
            consultation=consultation,
            position=theme_position,
            title=spec.title,
            description=spec.description,
            accepts_other_subtopics=spec.accepts_other_subtopics,
        )
        Subtopic.objects.bulk_create(
            Subtopic(theme=theme, position=position, title=subtopic)
            for position, subtopic in enumerate(spec.subtopics, start=1)
        )
    return consultation


@transaction.atomic
def consultation_extend_deadline(
    *,
    consultation: Consultation,
    new_closes_at: datetime,
    reason: str,
    acting_user: AbstractBaseUser | None = None,
    decided_at: datetime | None = None,
) -> DeadlineExtension:
    """Move the deadline later, keeping the previous date and the reason as public history."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline moves: it is shown publicly.")})
    if new_closes_at <= locked.closes_at:
        raise ValidationError(
            {"new_closes_at": _("The new deadline must be later than the current one.")}
        )
    extension = DeadlineExtension(
        consultation=locked,
        previous_closes_at=locked.closes_at,
        new_closes_at=new_closes_at,
        reason=reason.strip(),
        created_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    if decided_at is not None:
        extension.created_at = decided_at
    extension.save()
    locked.closes_at = new_closes_at
    locked.save(update_fields=["closes_at", "updated_at"])
    audit_record(
        action="consultation.extend_deadline",
        target=locked,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={
            "previous_closes_at": _json(extension.previous_closes_at),
            "new_closes_at": _json(new_closes_at),
            "reason": extension.reason,
        },
    )
    consultation.closes_at = new_closes_at  # the caller's object shows the new phase too
    return extension


@dataclass(frozen=True)
class AudienceVerdict:
    """Whether a collectivity is in a consultation's audience, and if not, may it testify."""

    in_audience: bool
    accepted: bool
    explanation: str = ""


def _population_in_range(rule: AudienceRule, population: int | None) -> bool:
    if rule.population_min is None and rule.population_max is None:
        return True
    if population is None:
        return False
    if rule.population_min is not None and population < rule.population_min:
        return False
    return rule.population_max is None or population <= rule.population_max


def _format_number(number: int) -> str:
    return number_format(number, force_grouping=True)


def _range_text(rule: AudienceRule) -> str:
    if rule.population_min is not None and rule.population_max is not None:
        return _("%(min)s to %(max)s inhabitants") % {
            "min": _format_number(rule.population_min),
            "max": _format_number(rule.population_max),
        }
    if rule.population_min is not None:
        return _("at least %(min)s inhabitants") % {"min": _format_number(rule.population_min)}
    if rule.population_max is not None:
        return _("at most %(max)s inhabitants") % {"max": _format_number(rule.population_max)}
    return ""


def audience_check(*, rule: AudienceRule, territory: Territory) -> AudienceVerdict:
    """Apply a consultation's audience rule to a collectivity.

    Advisory rules accept everyone and flag those outside the audience; strict rules refuse
    them with an explanation the person can act on.
    """
    explanation = ""
    if rule.kinds and territory.kind not in rule.kinds:
        explanation = _("This consultation is for: %(kinds)s.") % {
            "kinds": ", ".join(str(label) for label in rule.kind_labels())
        }
    elif territory.kind == TerritoryKind.EPCI and (
        rule.epci_population_basis == EpciPopulationBasis.MEMBER_COMMUNES
    ):
        members = territory.member_communes.values_list("population", flat=True)
        if not any(_population_in_range(rule, population) for population in members):
            explanation = _(
                "This consultation is for intercommunalities with at least one commune of"
                " %(range)s."
            ) % {"range": _range_text(rule)}
    elif not _population_in_range(rule, territory.population):
        explanation = _(
            "This consultation is for collectivities of %(range)s; %(name)s has %(population)s."
        ) % {
            "range": _range_text(rule),
            "name": territory.name,
            "population": _("an unknown population")
            if territory.population is None
            else _("%(count)s inhabitants") % {"count": _format_number(territory.population)},
        }
    if not explanation:
        return AudienceVerdict(in_audience=True, accepted=True)
    return AudienceVerdict(
        in_audience=False,
        accepted=rule.enforcement == AudienceEnforcement.ADVISORY,
        explanation=explanation,
    )


# --- Editing a consultation --------------------------------------------------------------------
# Permission is checked at the back office's door (`moderation.access.staff_view(organise=True)`):
# the rules live in `moderation`, an app below this one. `acting_user` is who the log names.


def _json(value: Any) -> Any:
    """A field value as the audit log keeps it (JSON)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _changes(instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `instance`; return {field: [before, after]} for those that differ."""
    changes = {}
    for name, value in values.items():
        before = getattr(instance, name)
        if before != value:
            changes[name] = [_json(before), _json(value)]
            setattr(instance, name, value)
    return changes


def _locked_consultation(consultation: Consultation) -> Consultation:
    """The consultation row, locked: changes to its structure or team wait for each other."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _required_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give a title.")})
    return title


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    acting_user: AbstractBaseUser | None,
    title: str,
    summary: str,
    description: str,
    organiser_names: str,
    contact_email: str,
    opens_at: datetime,
    closes_at: datetime,
    results_expected_on: date | None,
    now: datetime | None = None,
) -> Consultation:
    """Change the texts and schedule. Once the consultation has opened, its opening is history
    and its deadline only moves through `consultation_extend_deadline` (kept publicly)."""
    locked = _locked_consultation(consultation)
    if locked.phase(now) != ConsultationPhase.UPCOMING:
        errors = {}
        if opens_at != locked.opens_at:
            errors["opens_at"] = _("The consultation has opened: its opening date stays.")
        if closes_at != locked.closes_at:
            errors["closes_at"] = _(
                "The consultation has opened: extend the deadline instead, with a reason shown"
                " publicly."
            )
        if errors:
            raise ValidationError(errors)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The deadline must come after the opening.")})
    changes = _changes(
        locked,
        {
            "title": _required_title(title),
            "summary": summary.strip(),
            "description": description.strip(),
            "organiser_names": organiser_names.strip(),
            "contact_email": contact_email.strip(),
            "opens_at": opens_at,
            "closes_at": closes_at,
            "results_expected_on": results_expected_on,
        },
    )
    if changes:
        locked.full_clean(exclude=["slug"])
        locked.save()
        audit_record(
            action="consultation.update",
            target=locked,
            actor_user=acting_user,
            consultation_id=locked.pk,
            details={"changes": changes},
        )
    return locked


@transaction.atomic
def audience_rule_update(
    *,
    consultation: Consultation,
    acting_user: AbstractBaseUser | None,
    kinds: list[str],
    population_min: int | None,
    population_max: int | None,
    epci_population_basis: str,
    enforcement: str,
) -> tuple[AudienceRule, int]:
    """Change who the consultation is for. The testimonies already received are flagged
    again under the new rule (in or out of the audience; none is refused afterwards): the
    moderation queue's filter and the dashboard follow the rule in force. Returns the rule and
    how many testimonies changed flag."""
    locked = _locked_consultation(consultation)
    rule, _created = AudienceRule.objects.get_or_create(consultation=locked)
    both_bounds = population_min is not None and population_max is not None
    if both_bounds and population_max < population_min:
        raise ValidationError({"population_max": _("The maximum population is below the minimum.")})
    changes = _changes(
        rule,
        {
            "kinds": list(kinds),
            "population_min": population_min,
            "population_max": population_max,
            "epci_population_basis": epci_population_basis,
            "enforcement": enforcement,
        },
    )
    reflagged = 0
    if changes:
        rule.full_clean(exclude=["consultation"])
        rule.save()
        reflagged = _testimonies_reflag(consultation=locked, rule=rule)
        audit_record(
            action="consultation.audience_update",
            target=rule,
            actor_user=acting_user,
            consultation_id=locked.pk,
            details={"changes": changes, "testimonies_reflagged": reflagged},
        )
    return rule, reflagged


_REFLAG_CHUNK = 500


def _testimonies_reflag(*, consultation: Consultation, rule: AudienceRule) -> int:
    """Set `in_audience` on every testimony of the consultation under `rule`: one verdict per
    collectivity, then updates by chunks of collectivities (a bounded number of parameters)."""
    testimonies = apps.get_model("contributions", "Testimony").objects.filter(
        consultation=consultation
    )
    territory_ids = testimonies.values_list("territory_id", flat=True).distinct().order_by()
    verdicts: dict[bool, list[int]] = {True: [], False: []}
    # A subquery, not a list: a large consultation names more collectivities than SQLite
    # accepts parameters.
    for territory in Territory.objects.filter(pk__in=territory_ids):
        verdicts[audience_check(rule=rule, territory=territory).in_audience].append(territory.pk)
    changed = 0
    for in_audience, ids in verdicts.items():
        for start in range(0, len(ids), _REFLAG_CHUNK):
            changed += (
                testimonies.filter(territory_id__in=ids[start : start + _REFLAG_CHUNK])
                .exclude(in_audience=in_audience)
                .update(in_audience=in_audience)
            )
    return changed


# --- Themes and sub-topics ---------------------------------------------------------------------


def _testimonies_classified_under(*, theme: Theme | None = None, subtopic: Subtopic | None = None):
    """Testimonies (any state) under a theme or a sub-topic. They live in `contributions`, an
    app below this one: the model is looked up by name rather than imported."""
    testimony_model = apps.get_model("contributions", "Testimony")
    if theme is not None:
        return testimony_model.objects.filter(
            Q(themes=theme) | Q(subtopics__theme=theme)
        ).distinct()
    return testimony_model.objects.filter(subtopics=subtopic)


def _refuse_duplicate_title(siblings: models.QuerySet, title: str, message: str) -> None:
    if any(existing.casefold() == title.casefold() for existing in siblings):
        raise ValidationError({"title": message % {"title": title}})


def _renumber(items: list[models.Model]) -> None:
    """Positions 1…n in the given order, saving only what moved."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _move(items: list, item_pk: int, offset: int) -> tuple[int, int] | None:
    """Move one item up (-1) or down (+1) in `items`, renumbered; its (old, new) position."""
    index = next(index for index, item in enumerate(items) if item.pk == item_pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(items):
        return None
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    return index + 1, target + 1


def _move_recorded(
    items: list, item: models.Model, offset: int, *, action: str, acting_user, consultation
):
    """Move `item` by `offset` among `items` (see _move) and log the move; the moved item as
    saved."""
    moved = _move(items, item.pk, offset)
    if moved:
        audit_record(
            action=action,
            target=item,
            actor_user=acting_user,
            consultation_id=consultation.pk,
            details={"title": item.title, "changes": {"position": list(moved)}},
        )
    return next(each for each in items if each.pk == item.pk)


@transaction.atomic
def theme_create(
    *,
    consultation: Consultation,
    acting_user: AbstractBaseUser | None,
    title: str,
    description: str = "",
    accepts_other_subtopics: bool = True,
) -> Theme:
    """Add a theme at the end of the list."""
    locked = _locked_consultation(consultation)
    title = _required_title(title)
    _refuse_duplicate_title(
        locked.themes.values_list("title", flat=True),
        title,
        _("This consultation already has a theme “%(title)s”."),
    )
    last = locked.themes.aggregate(last=Max("position"))["last"] or 0
    theme = Theme(
        consultation=locked,
        position=last + 1,
        title=title,
        description=description.strip(),
        accepts_other_subtopics=accepts_other_subtopics,
    )
    theme.full_clean()
    theme.save()
    audit_record(
        action="theme.create",
        target=theme,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"title": theme.title},
    )
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    acting_user: AbstractBaseUser | None,
    title: str,
    description: str,
    accepts_other_subtopics: bool,
) -> Theme:
    locked = _locked_consultation(theme.consultation)
    theme = Theme.objects.get(pk=theme.pk, consultation=locked)
    title = _required_title(title)
    _refuse_duplicate_title(
        locked.themes.exclude(pk=theme.pk).values_list("title", flat=True),
        title,
        _("This consultation already has a theme “%(title)s”."),
    )
    changes = _changes(
        theme,
        {
            "title": title,
            "description": description.strip(),
            "accepts_other_subtopics": accepts_other_subtopics,
        },
    )
    if changes:
        theme.full_clean()
        theme.save()
        audit_record(
            action="theme.update",
            target=theme,
            actor_user=acting_user,
            consultation_id=locked.pk,
            details={"changes": changes},
        )
    return theme


@transaction.atomic
def theme_move(*, theme: Theme, acting_user: AbstractBaseUser | None, offset: int) -> Theme:
    """Move a theme one place up (-1) or down (+1); nothing happens at either end."""
    locked = _locked_consultation(theme.consultation)
    themes = list(locked.themes.order_by("position", "pk"))
    return _move_recorded(
        themes, theme, offset, action="theme.move", acting_user=acting_user, consultation=locked
    )


@transaction.atomic
def theme_delete(*, theme: Theme, acting_user: AbstractBaseUser | None) -> None:
    """Remove a theme (and its sub-topics) that no testimony is classified under."""
    locked = _locked_consultation(theme.consultation)
    used = _testimonies_classified_under(theme=theme).count()
    if used:
        raise ValidationError(
            translation.ngettext(
                "%(count)d testimony is classified under this theme or its sub-topics: it cannot"
                " be removed. You can rename it.",
                "%(count)d testimonies are classified under this theme or its sub-topics: it"
                " cannot be removed. You can rename it.",
                used,
            )
            % {"count": used}
        )
    audit_record(
        action="theme.delete",
        target=theme,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={
            "title": theme.title,
            "subtopics": list(theme.subtopics.values_list("title", flat=True)),
        },
    )
    theme.delete()
    _renumber(list(locked.themes.order_by("position", "pk")))


@transaction.atomic
def subtopic_create(*, theme: Theme, acting_user: AbstractBaseUser | None, title: str) -> Subtopic:
    """Add a sub-topic at the end of its theme's list."""
    locked = _locked_consultation(theme.consultation)
    title = _required_title(title)
    _refuse_duplicate_title(
        theme.subtopics.values_list("title", flat=True),
        title,
        _("This theme already has a sub-topic “%(title)s”."),
    )
    last = theme.subtopics.aggregate(last=Max("position"))["last"] or 0
    subtopic = Subtopic(theme=theme, position=last + 1, title=title)
    subtopic.full_clean()
    subtopic.save()
    audit_record(
        action="subtopic.create",
        target=subtopic,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"title": title, "theme": theme.title},
    )
    return subtopic


@transaction.atomic
def subtopic_update(
    *, subtopic: Subtopic, acting_user: AbstractBaseUser | None, title: str
) -> Subtopic:
    """Rename a sub-topic; testimonies classified under it follow."""
    locked = _locked_consultation(subtopic.theme.consultation)
    title = _required_title(title)
    _refuse_duplicate_title(
        subtopic.theme.subtopics.exclude(pk=subtopic.pk).values_list("title", flat=True),
        title,
        _("This theme already has a sub-topic “%(title)s”."),
    )
    changes = _changes(subtopic, {"title": title})
    if changes:
        subtopic.full_clean()
        subtopic.save(update_fields=["title"])
        audit_record(
            action="subtopic.update",
            target=subtopic,
            actor_user=acting_user,
            consultation_id=locked.pk,
            details={"theme": subtopic.theme.title, "changes": changes},
        )
    return subtopic


@transaction.atomic
def subtopic_move(
    *, subtopic: Subtopic, acting_user: AbstractBaseUser | None, offset: int
) -> Subtopic:
    """Move a sub-topic one place up (-1) or down (+1) in its theme."""
    locked = _locked_consultation(subtopic.theme.consultation)
    subtopics = list(subtopic.theme.subtopics.order_by("position", "pk"))
    return _move_recorded(
        subtopics,
        subtopic,
        offset,
        action="subtopic.move",
        acting_user=acting_user,
        consultation=locked,
    )


@transaction.atomic
def subtopic_delete(*, subtopic: Subtopic, acting_user: AbstractBaseUser | None) -> None:
    """Remove a sub-topic that no testimony is classified under."""
    theme = subtopic.theme
    locked = _locked_consultation(theme.consultation)
    used = _testimonies_classified_under(subtopic=subtopic).count()
    if used:
        raise ValidationError(
            translation.ngettext(
                "%(count)d testimony is classified under this sub-topic: it cannot be removed."
                " You can rename it.",
                "%(count)d testimonies are classified under this sub-topic: it cannot be"
                " removed. You can rename it.",
                used,
            )
            % {"count": used}
        )
    audit_record(
        action="subtopic.delete",
        target=subtopic,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"title": subtopic.title, "theme": theme.title},
    )
    subtopic.delete()
    _renumber(list(theme.subtopics.order_by("position", "pk")))


# --- The team ----------------------------------------------------------------------------------


def _organiser_count(consultation: Consultation) -> int:
    return consultation.memberships.filter(role=MembershipRole.ORGANISER).count()


def _staff_email(*, user, template: str, subject: str, **context) -> None:
    """A team e-mail, in the site's language (we do not know the reader's), after commit."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            template, {"user": user, "site_name": settings.RETEX_SITE_NAME, **context}
        )
        email_send_after_commit(to=user.email, subject=str(subject), body=body)


def password_set_url(user) -> str:
    """A one-time link to choose a password (Django's password-reset token: it stops working
    once the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "accounts:password_set",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return absolute_url(path)


def _role_label(role: str) -> str:
    return str(MembershipRole(role).label)


@transaction.atomic
def membership_add(
    *,
    consultation: Consultation,
    acting_user: AbstractBaseUser | None,
    email: str,
    role: str,
) -> ConsultationMembership:
    """Add someone to the team by e-mail. Without an account yet, one is made for them and they
    receive a link to choose their password; otherwise they are told they were added."""
    locked = _locked_consultation(consultation)
    email = email.strip().lower()
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    user_model = get_user_model()
    user = (
        user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )
    new_account = user is None
    if new_account:
        user = user_model(username=email, email=email)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif not user.is_active:
        raise ValidationError(
            {"email": _("This account is deactivated: ask an administrator to reactivate it.")}
        )
    existing = locked.memberships.filter(user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "email": _("%(email)s is already in the team (%(role)s).")
                % {"email": email, "role": existing.get_role_display()}
            }
        )
    membership = ConsultationMembership.objects.create(consultation=locked, user=user, role=role)
    audit_record(
        action="membership.add",
        target=membership,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"email": email, "role": role, "new_account": new_account},
    )
    context = {
        "consultation": locked,
        "role": _role_label(role),
        "inviter": (acting_user.get_full_name() or acting_user.get_username())
        if acting_user
        else "",
    }
    if new_account:
        _staff_email(
            user=user,
            template="consultations/emails/team_invitation.txt",
            subject=_("You are invited to the team of “%(title)s”") % {"title": locked.title},
            password_url=password_set_url(user),
            password_days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            **context,
        )
    else:
        _staff_email(
            user=user,
            template="consultations/emails/team_added.txt",
            subject=_("You join the team of “%(title)s”") % {"title": locked.title},
            sign_in_url=absolute_url(reverse("accounts:login")),
            **context,
        )
    return membership


def _refuse_leaving_without_organiser(membership: ConsultationMembership, refusal: str) -> None:
    if membership.role == MembershipRole.ORGANISER and (
        _organiser_count(membership.consultation) <= 1
    ):
        raise ValidationError(refusal)


@transaction.atomic
def membership_change_role(
    *, membership: ConsultationMembership, acting_user: AbstractBaseUser | None, role: str
) -> ConsultationMembership:
    locked = _locked_consultation(membership.consultation)
    membership = ConsultationMembership.objects.select_related("user", "consultation").get(
        pk=membership.pk, consultation=locked
    )
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == membership.role:
        return membership
    _refuse_leaving_without_organiser(
        membership,
        _("The consultation needs at least one organiser: name another organiser first."),
    )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="membership.change_role",
        target=membership,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"email": membership.user.email, "changes": {"role": [before, role]}},
    )
    return membership


@transaction.atomic
def membership_remove(
    *, membership: ConsultationMembership, acting_user: AbstractBaseUser | None
) -> None:
    """Take someone off the team (their account stays, for their other consultations)."""
    locked = _locked_consultation(membership.consultation)
    membership = ConsultationMembership.objects.select_related("user", "consultation").get(
        pk=membership.pk, consultation=locked
    )
    _refuse_leaving_without_organiser(
        membership,
        _("The consultation needs at least one organiser: name another organiser first."),
    )
    audit_record(
        action="membership.remove",
        target=membership,
        actor_user=acting_user,
        consultation_id=locked.pk,
        details={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()

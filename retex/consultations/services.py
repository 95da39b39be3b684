"""Writes on consultations. Each function is one atomic business operation."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from retex.consultations.enums import AudienceEnforcement, EpciPopulationBasis
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    DeadlineExtension,
    Subtopic,
    Theme,
)
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

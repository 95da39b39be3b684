from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationPhase(models.TextChoices):
    """Derived from the schedule, never stored: the dates are the single source of truth."""

    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    RESULTS_PUBLISHED = "results_published", _("results published")


class AudienceEnforcement(models.TextChoices):
    ADVISORY = "advisory", _("advisory: out-of-audience testimonies are accepted and flagged")
    STRICT = "strict", _("strict: out-of-audience testimonies are refused")


class EpciPopulationBasis(models.TextChoices):
    MEMBER_COMMUNES = "members", _("at least one member commune is in the population range")
    OWN_POPULATION = "own", _("the intercommunality's own population is in the range")


class MembershipRole(models.TextChoices):
    ORGANISER = "organiser", _("organiser")
    MODERATOR = "moderator", _("moderator")

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retex.consultations.enums import (
    AudienceEnforcement,
    ConsultationPhase,
    EpciPopulationBasis,
    MembershipRole,
)
from retex.territories.enums import TerritoryKind


class ConsultationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def ordered_for_home(self, now=None):
        """Open consultations first, closing soonest first; then upcoming ones, opening soonest
        first; then the others, the most recently closed first."""
        now = now or timezone.now()
        is_open = Q(opens_at__lte=now, closes_at__gt=now)
        return self.annotate(
            home_rank=Case(
                When(is_open, then=Value(0)),
                When(opens_at__gt=now, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            home_soonest=Case(
                When(is_open, then=F("closes_at")),
                When(opens_at__gt=now, then=F("opens_at")),
                default=None,
                output_field=models.DateTimeField(),
            ),
        ).order_by("home_rank", F("home_soonest").asc(nulls_last=True), "-closes_at", "pk")


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    organiser_names = models.CharField(
        _("organised by"),
        max_length=300,
        help_text=_("As shown to the public, e.g. “Villes de France and Villes Internet”."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Shown to authors: where to ask a question or the removal of their data."),
    )
    opens_at = models.DateTimeField(_("opens on"))
    # The deadline in force. Moving it goes through consultation_extend_deadline, which keeps
    # the previous date in DeadlineExtension: the public history of the schedule.
    closes_at = models.DateTimeField(_("deadline"))
    results_expected_on = models.DateField(_("results expected on"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("explore:consultation", kwargs={"slug": self.slug})

    def phase(self, now=None) -> ConsultationPhase:
        now = now or timezone.now()
        if self.results_published_at and self.results_published_at <= now:
            return ConsultationPhase.RESULTS_PUBLISHED
        if now < self.opens_at:
            return ConsultationPhase.UPCOMING
        if now < self.closes_at:
            return ConsultationPhase.OPEN
        return ConsultationPhase.CLOSED

    @property
    def is_open(self) -> bool:
        return self.phase() == ConsultationPhase.OPEN


def validate_territory_kinds(kinds: object) -> None:
    if not isinstance(kinds, list) or any(kind not in TerritoryKind.values for kind in kinds):
        raise ValidationError(
            _("Choose kinds of collectivity among: %(kinds)s."),
            params={"kinds": ", ".join(TerritoryKind.values)},
        )


class AudienceRule(models.Model):
    """Who a consultation is for, and whether testimonies from elsewhere are accepted."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="audience_rule"
    )
    kinds = models.JSONField(
        _("kinds of collectivity"),
        default=list,
        blank=True,
        validators=[validate_territory_kinds],
        help_text=_("Empty: every kind of collectivity is accepted."),
    )
    population_min = models.PositiveIntegerField(_("minimum population"), null=True, blank=True)
    population_max = models.PositiveIntegerField(_("maximum population"), null=True, blank=True)
    epci_population_basis = models.CharField(
        _("population range, for intercommunalities"),
        max_length=16,
        choices=EpciPopulationBasis.choices,
        default=EpciPopulationBasis.MEMBER_COMMUNES,
    )
    enforcement = models.CharField(
        _("enforcement"),
        max_length=16,
        choices=AudienceEnforcement.choices,
        default=AudienceEnforcement.ADVISORY,
    )

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_max__gte=models.F("population_min")),
                name="audience_population_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.consultation)

    def kind_labels(self) -> list[str]:
        return [TerritoryKind(kind).label for kind in self.kinds if kind in TerritoryKind.values]


class Theme(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The seeds' lists end with "etc.": a testimony may fit a theme without a listed sub-topic.
    accepts_other_subtopics = models.BooleanField(_("accepts other sub-topics"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Subtopic(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="subtopics")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("sub-topic")
        verbose_name_plural = _("sub-topics")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class DeadlineExtension(models.Model):
    """One move of the deadline, kept as public history."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="deadline_extensions"
    )
    previous_closes_at = models.DateTimeField(_("previous deadline"))
    new_closes_at = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("decided on"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.previous_closes_at:%Y-%m-%d} → {self.new_closes_at:%Y-%m-%d}"


class ConsultationMembership(models.Model):
    """Who runs a consultation: organisers do everything, moderators review."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="membership_unique_user_per_consultation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

from django.db import models
from django.utils.translation import gettext_lazy as _

from retex.territories.enums import PopulationBand, TerritoryKind


class Territory(models.Model):
    """A French collectivity: commune, intercommunality (EPCI), département or région.

    One table for the four kinds keeps references simple (a testimony points to one territory,
    whatever its kind) and the hierarchy is a few self-references.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=TerritoryKind.choices)
    # INSEE code for communes, départements and régions; SIREN number for EPCIs.
    code = models.CharField(_("official code"), max_length=9)
    name = models.CharField(_("name"), max_length=200)
    # Accent- and case-free form of the name, for exact and prefix look-ups.
    search_name = models.CharField(max_length=200, editable=False)
    # For intercommunalities, the folded name without its legal form ("beauvaisis" for
    # "Communauté d'agglomération du Beauvaisis"): what people type first.
    search_alias = models.CharField(max_length=200, blank=True, editable=False)
    # Sub-kind as published: CC, CA, CU, ME for EPCIs; empty otherwise.
    legal_form = models.CharField(_("legal form"), max_length=8, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    departement = models.ForeignKey(
        "self",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
    )
    region = models.ForeignKey(
        "self",
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": TerritoryKind.REGION},
    )
    epci = models.ForeignKey(
        "self",
        verbose_name=_("intercommunality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        limit_choices_to={"kind": TerritoryKind.EPCI},
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
        ]
        indexes = [
            models.Index(fields=["kind", "population"], name="territory_kind_population"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def population_band(self) -> PopulationBand | None:
        return PopulationBand.for_population(self.population)


class TerritoryNameToken(models.Model):
    """One word of a territory's folded name, so that any word can be prefix-matched with an
    index ("beauvaisis" finds "Communauté d'agglomération du Beauvaisis")."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64)

    class Meta:
        # Starts with the token, so it also serves the prefix look-ups.
        constraints = [
            models.UniqueConstraint(
                fields=["token", "territory"], name="territory_token_unique_per_territory"
            )
        ]

    def __str__(self) -> str:
        return self.token


class TerritoryOutline(models.Model):
    """A département's outline for maps, derived from its communes' at each load of the
    reference (see `outlines`): simplified, projected in its frame (`projection`), kilometres
    with y pointing down, as SVG path data."""

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, primary_key=True, related_name="outline"
    )
    # "metropole", or the code of an overseas département drawn in its own inset.
    frame = models.CharField(max_length=16)
    path = models.TextField()
    x_min = models.FloatField()
    y_min = models.FloatField()
    x_max = models.FloatField()
    y_max = models.FloatField()

    def __str__(self) -> str:
        return f"{self.territory_id} ({self.frame})"

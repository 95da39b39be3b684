from django.db import models
from django.utils.translation import gettext_lazy as _


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("commune")
    EPCI = "epci", _("intercommunality")
    DEPARTEMENT = "departement", _("département")
    REGION = "region", _("région")


class PopulationBand(models.TextChoices):
    """Bands used to compare collectivities of similar size (and to anonymise them)."""

    UNDER_10K = "lt10k", _("fewer than 10,000 inhabitants")
    FROM_10K_TO_20K = "10k-20k", _("10,000 to 20,000 inhabitants")
    FROM_20K_TO_50K = "20k-50k", _("20,000 to 50,000 inhabitants")
    FROM_50K_TO_100K = "50k-100k", _("50,000 to 100,000 inhabitants")
    OVER_100K = "gt100k", _("more than 100,000 inhabitants")

    @classmethod
    def for_population(cls, population: int | None) -> "PopulationBand | None":
        if population is None:
            return None
        for band, upper in BAND_UPPER_BOUNDS:
            if population < upper:
                return band
        return cls.OVER_100K


BAND_UPPER_BOUNDS = [
    (PopulationBand.UNDER_10K, 10_000),
    (PopulationBand.FROM_10K_TO_20K, 20_000),
    (PopulationBand.FROM_20K_TO_50K, 50_000),
    (PopulationBand.FROM_50K_TO_100K, 100_001),
]

"""Reads for the API and the open-data files: published data only.

The testimonies come from the explore selectors, with the filters and the search of the web
list (`TestimonyFilters.from_params`, `retex.explore.search`), so that the API, the files and
the pages always agree on what a filter means.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from retex.consultations.models import Consultation, DeadlineExtension, Subtopic, Theme
from retex.contributions.models import Testimony
from retex.explore import selectors as explore
from retex.explore.search import SearchCount, listing_search_matches
from retex.territories.models import Territory

# Newest first, as the web list; the id breaks ties (the cursor and the files rely on it).
TESTIMONY_ORDERING = ("-published_at", "-id")


def filters_from_params(params: QueryDict) -> explore.TestimonyFilters:
    """The web list's filters read from a query string (the same parameters, the same rules)."""
    return explore.TestimonyFilters.from_params(params)


@dataclass(frozen=True)
class TestimonySelection:
    """The published testimonies an output shows, and how many there are when a search has
    already counted them (None: count the queryset)."""

    testimonies: QuerySet[Testimony]
    search_count: SearchCount | None = None


def testimonies_public(
    *, consultation: Consultation, filters: explore.TestimonyFilters
) -> TestimonySelection:
    """A consultation's published testimonies matching the web list's filters and search, newest
    first (whatever `filters.sort`: the cursor and the files need a fixed order). Read their
    public records with `retex.api.records.public_records`.

    A search keeps the web's rules: at most the 1,000 most recent matches
    (`retex.explore.search.RESULTS_LIMIT`); a text made only of stop words matches nothing."""
    testimonies = explore.testimonies_filtered(consultation=consultation, filters=filters)
    count = None
    if filters.q:
        # The list page's search, read from the full-text index with the filters in it: the
        # same testimonies as the web, in milliseconds however many match.
        listing, _, _ = explore.listing_query(consultation=consultation, filters=filters)
        if listing.text and not listing.nothing:
            ids, exact = listing_search_matches(listing)
            testimonies = testimonies.filter(pk__in=ids)
            count = SearchCount(value=len(ids), exact=exact)
        else:
            testimonies, count = testimonies.none(), SearchCount(value=0, exact=True)
    return TestimonySelection(
        testimonies=testimonies.order_by(*TESTIMONY_ORDERING), search_count=count
    )


def consultations_public() -> QuerySet[Consultation]:
    """Every consultation: all are public, from their announcement."""
    return Consultation.objects.defer("contact_email", "description")


def consultations_public_in_full() -> QuerySet[Consultation]:
    """Every consultation with its audience, themes, sub-topics and deadline history."""
    themes = Theme.objects.prefetch_related(
        Prefetch("subtopics", queryset=Subtopic.objects.order_by("position", "pk"))
    ).order_by("position", "pk")
    return (
        Consultation.objects.select_related("audience_rule")
        .defer("contact_email")
        .prefetch_related(
            Prefetch("themes", queryset=themes),
            Prefetch(
                "deadline_extensions",
                queryset=DeadlineExtension.objects.only(
                    "id",
                    "consultation_id",
                    "previous_closes_at",
                    "new_closes_at",
                    "reason",
                    "created_at",
                ).order_by("created_at", "pk"),
            ),
        )
    )


def territories_public() -> QuerySet[Territory]:
    """The territories reference (public data: names, codes, populations)."""
    return Territory.objects.select_related("departement", "region").only(
        "id",
        "kind",
        "code",
        "name",
        "legal_form",
        "population",
        "latitude",
        "longitude",
        "departement_id",
        "region_id",
        "epci_id",
        "departement__code",
        "departement__name",
        "region__code",
        "region__name",
    )

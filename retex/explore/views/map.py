"""The map of a consultation's published testimonies, with its table and summary."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from retex.consultations.models import Consultation, Subtopic
from retex.contributions.models import Tool
from retex.explore import selectors
from retex.explore.map import MAX_CIRCLES, PlaceCount, grouped_numbers, testimony_map
from retex.explore.search import parse_query
from retex.explore.search.backends import backend_for
from retex.territories.enums import PopulationBand, TerritoryKind
from retex.territories.models import Territory


def _link_params(filters: selectors.TestimonyFilters) -> str:
    """The query string of the filters in force, without the place the map's links choose."""
    return filters.replace(departement="", territory=None).to_params().urlencode()


def _filter_labels(consultation: Consultation, filters: selectors.TestimonyFilters) -> list[str]:
    """The filters in force, in words ("Theme: Social cohesion")."""
    labels = []
    themes = {theme.pk: theme.title for theme in consultation.themes.all()}
    if filters.theme in themes:
        labels.append(gettext("Theme: %(value)s") % {"value": themes[filters.theme]})
    if filters.subtopic:
        subtopic = Subtopic.objects.filter(
            theme__consultation=consultation, pk=filters.subtopic
        ).first()
        if subtopic:
            labels.append(gettext("Sub-topic: %(value)s") % {"value": subtopic.title})
    if filters.region:
        region = Territory.objects.filter(kind=TerritoryKind.REGION, code=filters.region).first()
        if region:
            labels.append(gettext("Région: %(value)s") % {"value": region.name})
    if filters.departement:
        departement = Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, code=filters.departement
        ).first()
        if departement:
            labels.append(gettext("Département: %(value)s") % {"value": departement.name})
    if filters.territory:
        place = Territory.objects.filter(pk=filters.territory).first()
        if place:
            labels.append(gettext("Local authority: %(value)s") % {"value": place.name})
    kinds = dict(TerritoryKind.choices)
    if filters.kind in selectors.LIST_KINDS:
        labels.append(gettext("Kind: %(value)s") % {"value": kinds[filters.kind]})
    bands = dict(PopulationBand.choices)
    if filters.band in bands:
        labels.append(gettext("Population: %(value)s") % {"value": bands[filters.band]})
    if filters.tools:
        names = Tool.objects.filter(slug__in=filters.tools).values_list("name", flat=True)
        labels.append(gettext("Tools: %(value)s") % {"value": ", ".join(sorted(names))})
    if filters.q:
        labels.append(gettext("Words: “%(value)s”") % {"value": filters.q})
    return labels


def testimony_map_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(selectors.consultations_for_home(), slug=slug)
    filters = selectors.TestimonyFilters.from_params(request.GET)
    testimonies = selectors.testimonies_filtered(consultation=consultation, filters=filters)
    if filters.q:
        # Every match counts here: the map shows where they are, not a ranked page of them.
        query = parse_query(filters.q)
        testimonies = (
            backend_for(testimonies.db).matching(testimonies, query)
            if query
            else testimonies.none()
        )
    query_string = _link_params(filters)
    every_param = filters.to_params().urlencode()
    list_url = reverse("explore:testimonies", args=[consultation.slug])
    prefix = f"{list_url}?{query_string}&" if query_string else f"{list_url}?"

    def departement_url(code: str) -> str:
        return f"{prefix}departement={quote(code)}"

    def place_url(place: PlaceCount) -> str:
        return f"{prefix}territory={place.pk}"

    drawn = testimony_map(
        testimonies=testimonies,
        title=gettext("Map of the published testimonies of “%(title)s”")
        % {"title": consultation.title},
        departement_url=departement_url,
        place_url=place_url,
        max_circles=MAX_CIRCLES,
    )
    counts = drawn.counts
    grouped = grouped_numbers()
    departements = sorted(
        (
            {
                "code": code,
                "name": counts.departement_names.get(code, code),
                "count": count,
                "count_text": grouped(count),
                "url": departement_url(code),
            }
            for code, count in counts.by_departement.items()
        ),
        key=lambda row: row["code"],
    )
    busiest = sorted(departements, key=lambda row: (-row["count"], row["code"]))[:3]
    kinds = dict(TerritoryKind.choices)
    places = [
        {
            "name": place.name,
            "kind": capfirst(kinds.get(place.kind, place.kind)),
            "departement": place.departement_name,
            "departement_code": place.departement_code,
            "count_text": grouped(place.count),
            "url": place_url(place),
        }
        for place in drawn.drawn_places
    ]
    return render(
        request,
        "explore/map.html",
        {
            "consultation": consultation,
            "map_svg": drawn.svg,
            "counts": counts,
            "classes": drawn.classes,
            "departements": departements,
            "busiest": busiest,
            "places": places,
            "place_count": counts.place_count,
            "places_not_drawn": drawn.places_not_drawn,
            "fewest_drawn": drawn.drawn_places[-1].count if drawn.drawn_places else 0,
            "filter_labels": _filter_labels(consultation, filters),
            "list_url": f"{list_url}?{every_param}" if every_param else list_url,
            "map_url": reverse("explore:map", args=[consultation.slug]),
        },
    )

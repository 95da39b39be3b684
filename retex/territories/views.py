from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.formats import number_format
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from retex.core.db import serial_query
from retex.core.text import fold
from retex.territories.models import Territory
from retex.territories.selectors import reference_version, territory_search

MAX_RESULTS = 20
SHORT_QUERY_LENGTH = 3
SHORT_QUERY_CACHE_SECONDS = 600


def territory_label(territory: Territory) -> str:
    """What a person needs to tell two places apart: "Beauvais (Oise)"."""
    if territory.departement_id and territory.departement:
        return f"{territory.name} ({territory.departement.name})"
    return territory.name


@require_GET
@cache_control(public=True, max_age=3600)
def territory_search_json(request: HttpRequest) -> JsonResponse:
    """Autocompletion: ?q=beauv&kind=commune&kind=epci."""
    try:
        limit = max(1, min(int(request.GET.get("limit", 10)), MAX_RESULTS))
    except ValueError:
        limit = 10
    query = request.GET.get("q", "")[:100]
    kinds = sorted(set(request.GET.getlist("kind")))
    folded = fold(query)
    # One to three letters match thousands of places; their answers only change when the
    # reference is reloaded, so they are kept for a while instead of sorted every time.
    cache_key = f"territory-search:{reference_version()}:{folded}:{','.join(kinds)}:{limit}"
    if len(folded) <= SHORT_QUERY_LENGTH and (cached := cache.get(cache_key)) is not None:
        return JsonResponse({"results": cached})
    with serial_query():
        territories = list(territory_search(query=query, kinds=kinds, limit=limit))
    results = [
        {
            "id": territory.pk,
            "kind": territory.kind,
            "kind_label": territory.get_kind_display(),
            "code": territory.code,
            "name": territory.name,
            "label": territory_label(territory),
            "population": territory.population,
            "population_display": number_format(territory.population, force_grouping=True)
            if territory.population is not None
            else None,
            "departement": (
                {"code": territory.departement.code, "name": territory.departement.name}
                if territory.departement
                else None
            ),
        }
        for territory in territories
    ]
    if len(folded) <= SHORT_QUERY_LENGTH:
        cache.set(cache_key, results, SHORT_QUERY_CACHE_SECONDS)
    return JsonResponse({"results": results})

"""The list of a consultation's published testimonies: filters, search, pages."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from retex.explore import selectors
from retex.explore.search import parse_query, search, search_snippets_many
from retex.territories.enums import PopulationBand

PAGE_SIZE = 20
SNIPPET_CHARS = 250


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def testimony_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(selectors.consultations_for_home(), slug=slug)
    filters = selectors.TestimonyFilters(
        theme=_int_param(request, "theme"),
        subtopic=_int_param(request, "subtopic"),
        region=request.GET.get("region", "")[:3],
        kind=request.GET.get("kind", ""),
        band=request.GET.get("band", ""),
        q=request.GET.get("q", "").strip()[:200],
    )
    testimonies = selectors.testimonies_filtered(consultation=consultation, filters=filters)
    query = parse_query(filters.q) if filters.q else None
    count_exact = True
    if query:
        results = search(queryset=testimonies, text=query)
        testimonies, count, count_exact = (
            results.testimonies,
            results.count.value,
            results.count.exact,
        )
        paginator = Paginator(testimonies, PAGE_SIZE)
        paginator.count = count  # already known: no second count query
    elif filters.q:
        # Only stop words ("de la"): nothing to search for.
        testimonies, count = testimonies.none(), 0
        paginator = Paginator(testimonies, PAGE_SIZE)
    else:
        paginator = Paginator(testimonies, PAGE_SIZE)
        count = paginator.count
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    snippets = search_snippets_many(testimonies=items, text=query) if query else {}
    for testimony in items:
        testimony.snippet = snippets.get(testimony.pk)
    themes = list(consultation.themes.prefetch_related("subtopics").order_by("position", "pk"))
    theme_counts = selectors.published_counts_by_theme(consultation=consultation)
    for theme in themes:
        theme.published_count = theme_counts.get(theme.pk, 0)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "explore/testimony_list.html",
        {
            "consultation": consultation,
            "filters": filters,
            "searched": bool(filters.q),
            "themes": themes,
            "regions": list(selectors.regions_with_testimonies(consultation=consultation)),
            "kinds": [(kind.value, kind.label) for kind in selectors.LIST_KINDS],
            "bands": PopulationBand.choices,
            "page": page,
            "testimonies": items,
            "count": count,
            "count_exact": count_exact,
            "filtered": any(
                (filters.theme, filters.subtopic, filters.region, filters.kind, filters.band)
            ),
            "page_query": params.urlencode(),
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "snippet_chars": SNIPPET_CHARS,
        },
    )

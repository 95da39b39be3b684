from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from retex.consultations.models import Consultation
from retex.contributions.enums import AttachmentKind
from retex.contributions.models import Testimony
from retex.core.text import render_markdown
from retex.explore import selectors
from retex.explore.search import parse_query, search, search_snippets_many
from retex.territories.enums import PopulationBand


def home(request: HttpRequest) -> HttpResponse:
    consultations = list(selectors.consultations_for_home())
    counts = selectors.published_counts_by_consultation([c.pk for c in consultations])
    for consultation in consultations:
        consultation.published_count = counts.get(consultation.pk, 0)
    return render(request, "explore/home.html", {"consultations": consultations})


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        consultation = selectors.consultation_for_page(slug=slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    counters = selectors.consultation_counters(consultation=consultation)
    themes = list(consultation.themes.all())
    for theme in themes:
        theme.published_count = counters.by_theme.get(theme.pk, 0)
    return render(
        request,
        "explore/consultation_detail.html",
        {
            "consultation": consultation,
            "phase": consultation.phase(),
            "description_html": render_markdown(consultation.description),
            "themes": themes,
            "counters": counters,
            "extensions": list(consultation.deadline_extensions.all()),
            "audience": getattr(consultation, "audience_rule", None),
        },
    )


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


def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        testimony = selectors.published_testimony(pk=pk)
    except Testimony.DoesNotExist as error:
        raise Http404 from error
    attachments = list(testimony.attachments.all())
    return render(
        request,
        "explore/testimony_detail.html",
        {
            "testimony": testimony,
            "consultation": testimony.consultation,
            "images": [a for a in attachments if a.kind == AttachmentKind.IMAGE],
            "documents": [a for a in attachments if a.kind != AttachmentKind.IMAGE],
            # Only web addresses become links (never javascript: or data:).
            "links": [
                link
                for link in testimony.links
                if isinstance(link, str) and link.startswith(("https://", "http://"))
            ],
        },
    )

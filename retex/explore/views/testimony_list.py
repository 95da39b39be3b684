"""The list of a consultation's published testimonies: filters, counts, search, order, pages.

Every state is an address (`TestimonyFilters.to_params`). The page works as a plain GET form;
`explore/list.js` makes it update in place: it fetches the same address and swaps the results
and the filter options (see the template's `data-list-*` attributes).
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from retex.explore import selectors
from retex.explore.search import listing as search_listing
from retex.explore.search import search_highlight, search_snippets_many

PAGE_SIZE = 20
SNIPPET_CHARS = 250


@dataclass(frozen=True)
class ActiveFilter:
    """A chosen filter, shown with a link that removes it."""

    label: str
    remove_url: str


def _address(base: str, filters: selectors.TestimonyFilters) -> str:
    query = filters.to_params().urlencode()
    return f"{base}?{query}" if query else base


def _active_filters(listing: selectors.TestimonyListPage, base: str) -> list[ActiveFilter]:
    filters = listing.filters
    found = []

    def add(label: str, **cleared) -> None:
        found.append(
            ActiveFilter(label=label, remove_url=_address(base, filters.replace(**cleared)))
        )

    for theme in listing.themes:
        if theme.selected:
            add(_("Theme: %(value)s") % {"value": theme.label}, theme=None)
        for subtopic in theme.subtopics:
            if subtopic.selected:
                add(_("Sub-topic: %(value)s") % {"value": subtopic.label}, subtopic=None)
    for options, field, template in (
        (listing.regions, "region", _("Région: %(value)s")),
        (listing.departements, "departement", _("Département: %(value)s")),
        (listing.kinds, "kind", _("Kind: %(value)s")),
        (listing.bands, "band", _("Population: %(value)s")),
    ):
        for option in options:
            if option.selected:
                add(template % {"value": option.label}, **{field: ""})
    for option in listing.tools:
        if option.selected:
            others = tuple(slug for slug in filters.tools if slug != option.value)
            add(_("Tool: %(value)s") % {"value": option.label}, tools=others)
    if listing.territory is not None:
        add(_("Local authority: %(value)s") % {"value": listing.territory.name}, territory=None)
    return found


@dataclass(frozen=True)
class SortOption:
    value: str
    label: str
    selected: bool


def _sort_options(filters: selectors.TestimonyFilters) -> list[SortOption]:
    """The orders offered. The default one (relevance when searching, date otherwise) has an
    empty value: it stays the default when the search changes."""
    Sort = selectors.TestimonySort
    default = Sort.RELEVANCE if filters.q else Sort.DATE
    chosen = filters.resolved_sort
    values = [Sort.RELEVANCE, Sort.DATE] if filters.q else [Sort.DATE]
    values.append(Sort.POPULATION)
    return [
        SortOption(
            value="" if value == default else value.value,
            label=value.label,
            selected=value == chosen,
        )
        for value in values
    ]


def _options(options: list[selectors.FilterOption]) -> SafeString:
    """The <option>s of a filter, with their counts: built here rather than in the template,
    where a few hundred options cost more than the rest of the page."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (
                option.value,
                " selected" if option.selected else "",
                capfirst(option.label),
                ""
                if option.count is None
                else f" ({number_format(option.count, force_grouping=True)})",
            )
            for option in options
        ),
    )


def _subtopic_options(themes: list[selectors.ThemeOption]) -> SafeString:
    return format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        ((theme.label, _options(list(theme.subtopics))) for theme in themes if theme.subtopics),
    )


def _opening(text: str, length: int = SNIPPET_CHARS) -> str:
    """The start of a text, cut at a space (as truncatechars does, far cheaper)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > length // 2 else cut) + "…"


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def testimony_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(selectors.consultations_for_home(), slug=slug)
    filters = selectors.TestimonyFilters.from_params(request.GET)
    listing = selectors.testimony_list_page(
        consultation=consultation,
        filters=filters,
        page_number=_page_number(request),
        page_size=PAGE_SIZE,
    )
    if listing.query:
        snippets = search_snippets_many(testimonies=listing.testimonies, text=listing.query)
        for testimony in listing.testimonies:
            testimony.snippet = snippets.get(testimony.pk)
            testimony.highlighted_title = search_highlight(
                text=testimony.title, query=listing.query
            )
    else:
        for testimony in listing.testimonies:
            testimony.snippet = _opening(testimony.initiative)
    base = reverse("explore:testimonies", args=[consultation.slug])
    page_query = filters.to_params().urlencode()
    return render(
        request,
        "explore/testimony_list.html",
        {
            "consultation": consultation,
            "listing": listing,
            "filters": filters,
            "searched": bool(filters.q),
            "filtered": filters.filtered,
            "active_filters": _active_filters(listing, base),
            "sorts": _sort_options(filters),
            "page": listing.page,
            "testimonies": listing.testimonies,
            "count": listing.count,
            "count_exact": listing.count_exact,
            "search_window": search_listing.SEARCH_WINDOW,
            "page_query": page_query,
            "page_range": listing.page.paginator.get_elided_page_range(
                listing.page.number, on_each_side=2
            ),
            "list_url": base,
            "options": {
                "theme": _options(listing.themes),
                "subtopic": _subtopic_options(listing.themes),
                "region": _options(listing.regions),
                "departement": _options(listing.departements),
                "kind": _options(listing.kinds),
                "band": _options(listing.bands),
            },
        },
    )

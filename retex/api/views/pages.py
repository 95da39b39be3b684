"""The open-data pages: what is published and under which licence, each consultation's files,
and the API's documentation."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from retex.api import exports, selectors
from retex.api.records import site_url
from retex.api.tableschema import COLUMNS, LICENCE, SCHEMA_VERSION
from retex.api.throttling import rate_in_words
from retex.api.views.files import FORMATS, file_name, json_metadata
from retex.consultations.models import Consultation
from retex.explore import selectors as explore
from retex.explore.selectors import TestimonyFilters

# The sizes shown are measured on a sample (see exports.file_sizes): kept a few minutes.
SIZES_CACHE_SECONDS = 600
SLOW_XLSX_ROWS = 20_000


def _consultations_with_counts() -> list[Consultation]:
    consultations = list(explore.consultations_for_home())
    counts = explore.published_counts_by_consultation([c.pk for c in consultations])
    for consultation in consultations:
        consultation.published_count = counts.get(consultation.pk, 0)
    return consultations


def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/open_data.html",
        {
            "consultations": _consultations_with_counts(),
            "columns": COLUMNS,
            "schema_version": SCHEMA_VERSION,
            "licence": LICENCE,
        },
    )


def _file_sizes(request: HttpRequest, consultation: Consultation, total: int) -> exports.FileSizes:
    key = f"opendata:sizes:{consultation.pk}:{total}"
    sizes = cache.get(key)
    if sizes is None:
        filters = TestimonyFilters()
        selection = selectors.testimonies_public(consultation=consultation, filters=filters)
        sizes = exports.file_sizes(
            selection.testimonies,
            total=total,
            absolute=request.build_absolute_uri,
            metadata=json_metadata(request, consultation, filters),
        )
        cache.set(key, sizes, SIZES_CACHE_SECONDS)
    return sizes


FORMAT_LABELS = {
    "csv": "CSV",
    "xlsx": "XLSX (Excel, LibreOffice)",
    "json": "JSON",
}


def consultation_open_data(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        consultation = explore.consultation_for_page(slug=slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    total = explore.published_counts_by_consultation([consultation.pk]).get(consultation.pk, 0)
    sizes = _file_sizes(request, consultation, total)
    files = [
        {
            "extension": extension,
            "label": FORMAT_LABELS[extension],
            "url": reverse("opendata_files:testimonies", args=[consultation.slug, extension]),
            "name": file_name(consultation, extension),
            "size": getattr(sizes, extension),
        }
        for extension in FORMATS
    ]
    themes = list(consultation.themes.all())
    return render(
        request,
        "api/consultation_open_data.html",
        {
            "consultation": consultation,
            "total": total,
            "files": files,
            "sizes_exact": sizes.exact,
            # openpyxl writes some 1,000 to 3,000 rows a second (bench/export.py), and an XLSX
            # file can only be sent once finished.
            "slow_xlsx": total >= SLOW_XLSX_ROWS,
            "example_theme": themes[0] if themes else None,
            "licence": LICENCE,
        },
    )


def api_documentation(request: HttpRequest) -> HttpResponse:
    consultation = explore.consultations_for_home().first()
    return render(
        request,
        "api/api_documentation.html",
        {
            "api_root": site_url(request, "api:index"),
            "openapi_url": site_url(request, "api:openapi"),
            "example_slug": consultation.slug if consultation else "mon-appel",
            "rate": rate_in_words(settings.RETEX_API_RATE),
            "licence": LICENCE,
        },
    )

"""The open-data files: a consultation's published testimonies as CSV, XLSX or JSON, and the
Table Schema that describes their columns."""

from dataclasses import asdict

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from retex.api import exports, selectors
from retex.api.records import public_records, site_url
from retex.api.tableschema import LICENCE, table_schema
from retex.consultations.models import Consultation
from retex.core import tabular
from retex.core.ratelimit import client_ip, rate_limit_exceeded
from retex.explore.selectors import TestimonyFilters

FORMATS = ("csv", "xlsx", "json")


def file_name(consultation: Consultation, extension: str) -> str:
    return f"retex-{consultation.slug}-temoignages.{extension}"


def json_metadata(
    request: HttpRequest, consultation: Consultation, filters: TestimonyFilters
) -> dict:
    """What the JSON file says about itself, before its rows."""
    return {
        "titre": consultation.title,
        "consultation": consultation.slug,
        "url": site_url(request, "explore:consultation", consultation.slug),
        "donnees_ouvertes": site_url(request, "opendata:consultation", consultation.slug),
        "schema": site_url(request, "opendata_files:schema"),
        "licence": LICENCE,
        # The filters applied, as understood (unknown parameters are ignored).
        "filtres": {key: value for key, value in asdict(filters).items() if value},
        "genere_le": timezone.now().isoformat(timespec="seconds"),
    }


@require_safe
def testimonies_table_schema(request: HttpRequest) -> JsonResponse:
    schema = table_schema(
        schema_url=site_url(request, "opendata_files:schema"),
        homepage_url=site_url(request, "opendata:index"),
    )
    return JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if not rate_limit_exceeded(
        scope="open-data-file",
        key=client_ip(request),
        limit=settings.RETEX_EXPORTS_PER_IP_PER_HOUR,
        period_seconds=3600,
    ):
        return None
    message = _(
        "Too many downloads from your address: %(count)s files an hour at most. Try again in"
        " an hour, or use the API."
    ) % {"count": settings.RETEX_EXPORTS_PER_IP_PER_HOUR}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "3600"
    return response


CONTENT_TYPES = {
    "csv": exports.CSV_CONTENT_TYPE,
    "xlsx": exports.XLSX_CONTENT_TYPE,
    "json": exports.JSON_CONTENT_TYPE,
}


@require_safe
def testimonies_file(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """All the published testimonies of a consultation, or those matching the web list's
    filters given in the query string (?theme=…&region=…&q=…)."""
    consultation = get_object_or_404(Consultation.objects.only("id", "slug", "title"), slug=slug)
    if request.method == "HEAD":
        # Link checkers (data.gouv.fr's among them) ask often: answer without writing the file.
        response = HttpResponse(content_type=CONTENT_TYPES[extension])
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name(consultation, extension)}"'
        )
        return response
    if refused := _too_many(request):
        return refused
    filters = selectors.filters_from_params(request.GET)
    selection = selectors.testimonies_public(consultation=consultation, filters=filters)
    records = public_records(selection.testimonies, absolute=request.build_absolute_uri)
    if extension == "csv":
        content = exports.csv_chunks(records)
    elif extension == "json":
        content = exports.json_chunks(
            records, metadata=json_metadata(request, consultation, filters)
        )
    else:
        content = exports.xlsx_file(records)
    return tabular.attachment_response(
        content, filename=file_name(consultation, extension), content_type=CONTENT_TYPES[extension]
    )

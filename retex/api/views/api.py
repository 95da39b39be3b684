"""The read-only JSON API (/api/v1/): consultations, themes, testimonies, territories.

Anyone may read it, from any web origin (CORS allows GET only), without an account: there is
no authentication at all, so a signed-in moderator's session can never change an answer.
The OpenAPI document is generated from these views; its texts go through the catalogue
(French unless the client asks for English).
"""

from functools import partial

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from retex.api import selectors
from retex.api.pagination import ConsultationPages, Pages, TestimonyPages
from retex.api.records import PublicTestimony, public_records, site_url
from retex.api.serializers import (
    ConsultationDetailSerializer,
    ConsultationSerializer,
    TerritorySerializer,
    TestimonySerializer,
    ThemeSerializer,
)
from retex.api.tableschema import LICENCE
from retex.api.throttling import TooManyRequests
from retex.consultations.models import Consultation, Theme
from retex.contributions.models import Testimony
from retex.core.db import serial_query
from retex.explore import selectors as explore
from retex.territories.enums import PopulationBand, TerritoryKind
from retex.territories.models import Territory
from retex.territories.selectors import territory_search

MAX_TERRITORY_SEARCH_RESULTS = 20


def _consultation_or_404(queryset: QuerySet[Consultation], slug: str) -> Consultation:
    try:
        return queryset.get(slug=slug)
    except Consultation.DoesNotExist as error:
        raise NotFound(_("There is no call for testimonies at this address.")) from error


class PublicApiView(APIView):
    """What every endpoint shares: read-only, a clear 429 in the client's language."""

    http_method_names = ["get", "head", "options"]

    def throttled(self, request, wait):
        raise TooManyRequests(wait)


@extend_schema(
    summary=_("Index"),
    description=_("Where to start: the lists, this document, the documentation, the licence."),
    responses=inline_serializer(
        "ApiIndex",
        {
            name: serializers.URLField()
            for name in (
                "consultations",
                "territories",
                "openapi",
                "documentation",
                "open_data",
                "licence",
            )
        },
    ),
)
class ApiIndex(PublicApiView):
    def get(self, request: Request) -> Response:
        absolute = request.build_absolute_uri
        return Response(
            {
                "consultations": absolute(reverse("api:consultations")),
                "territories": absolute(reverse("api:territories")),
                "openapi": absolute(reverse("api:openapi")),
                "documentation": site_url(request, "opendata:api"),
                "open_data": site_url(request, "opendata:index"),
                "licence": LICENCE["path"],
            }
        )


# --- Consultations -------------------------------------------------------------------------


@extend_schema(
    summary=_("Calls for testimonies"),
    description=_("Every call for testimonies, the most recently opened first."),
)
class ConsultationList(PublicApiView, generics.ListAPIView):
    serializer_class = ConsultationSerializer
    pagination_class = ConsultationPages

    def get_queryset(self) -> QuerySet[Consultation]:
        return selectors.consultations_public()

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "web_url": partial(site_url, request),
            "published_counts": explore.published_counts_by_consultation([c.pk for c in page]),
        }
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context=context).data
        )


@extend_schema(
    summary=_("A call for testimonies"),
    description=_(
        "Its texts, its schedule with the history of its deadline, its audience, its themes and"
        " sub-topics, and how many testimonies are published."
    ),
)
class ConsultationDetail(PublicApiView, generics.RetrieveAPIView):
    serializer_class = ConsultationDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Consultation]:
        return selectors.consultations_public_in_full()

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        consultation = _consultation_or_404(self.get_queryset(), kwargs["slug"])
        counters = explore.consultation_counters(consultation=consultation)
        context = {
            **self.get_serializer_context(),
            "web_url": partial(site_url, request),
            "published_counts": {consultation.pk: counters.published},
            "territories_count": counters.territories,
            "theme_counts": counters.by_theme,
        }
        return Response(self.get_serializer(consultation, context=context).data)


@extend_schema(
    summary=_("Themes of a call"),
    description=_(
        "The call's themes in order, with their sub-topics and their published testimonies."
        " Their ids are the values of the testimonies' theme and subtopic filters."
    ),
)
class ThemeList(PublicApiView, generics.ListAPIView):
    serializer_class = ThemeSerializer
    pagination_class = None

    def list(self, request: Request, *args, **kwargs) -> Response:
        consultation = _consultation_or_404(
            selectors.consultations_public_in_full(), kwargs["slug"]
        )
        themes: list[Theme] = list(consultation.themes.all())
        context = {
            **self.get_serializer_context(),
            "theme_counts": explore.published_counts_by_theme(consultation=consultation),
        }
        return Response(self.get_serializer(themes, many=True, context=context).data)


# --- Testimonies ---------------------------------------------------------------------------

TESTIMONY_FILTERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=_(
            "Full-text search, as on the site: every word is required, text in quotes is an"
            " expression. At most the 1,000 most recent matches."
        ),
    ),
    OpenApiParameter("theme", OpenApiTypes.INT, description=_("Id of a theme.")),
    OpenApiParameter("subtopic", OpenApiTypes.INT, description=_("Id of a sub-topic.")),
    OpenApiParameter("region", OpenApiTypes.STR, description=_("INSEE code of a région.")),
    OpenApiParameter(
        "departement",
        OpenApiTypes.STR,
        description=_("INSEE code of a département (anonymous testimonies never match)."),
    ),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        enum=[TerritoryKind.COMMUNE.value, TerritoryKind.EPCI.value],
        description=_("Kind of local authority."),
    ),
    OpenApiParameter(
        "band", OpenApiTypes.STR, enum=PopulationBand.values, description=_("Population band.")
    ),
    OpenApiParameter(
        "tool",
        OpenApiTypes.STR,
        many=True,
        description=_("Short name of a tool; repeat it: testimonies naming every tool given."),
    ),
    OpenApiParameter(
        "territory",
        OpenApiTypes.INT,
        description=_("Id of a territory (anonymous testimonies never match)."),
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description=_("Results per page: 1 to 100 (20 by default).")
    ),
]


def _records(request: Request, ids: list[int]) -> list[PublicTestimony]:
    """The public records of these testimonies (the published ones), newest first."""
    testimonies = Testimony.objects.filter(pk__in=ids).order_by(*selectors.TESTIMONY_ORDERING)
    return list(public_records(testimonies, absolute=request.build_absolute_uri))


@extend_schema(
    summary=_("Testimonies of a call"),
    description=_(
        "The call's published testimonies, with the filters and the search of its web list"
        " (the same parameters), newest first, by pages: follow next."
    ),
    parameters=TESTIMONY_FILTERS,
)
class TestimonyList(PublicApiView, generics.ListAPIView):
    serializer_class = TestimonySerializer
    pagination_class = TestimonyPages

    def list(self, request: Request, *args, **kwargs) -> Response:
        consultation = _consultation_or_404(Consultation.objects.only("id"), kwargs["slug"])
        filters = selectors.filters_from_params(request.query_params)
        selection = selectors.testimonies_public(consultation=consultation, filters=filters)
        # The cursor needs only the ordering columns; the records are read for the page.
        light = selection.testimonies.select_related(None).prefetch_related(None)
        page = self.paginate_queryset(light.only("id", "published_at"))
        if selection.search_count is not None:
            count, exact = selection.search_count.value, selection.search_count.exact
        else:
            count, exact = light.count(), True
        records = _records(request, [testimony.pk for testimony in page])
        data = self.get_serializer(records, many=True).data
        return self.paginator.get_paginated_response(data, count=count, count_exact=exact)


@extend_schema(summary=_("A testimony"), description=_("One published testimony."))
class TestimonyDetail(PublicApiView, generics.RetrieveAPIView):
    serializer_class = TestimonySerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        records = _records(request, [kwargs["pk"]])
        if not records:
            raise NotFound(_("There is no published testimony with this number."))
        return Response(self.get_serializer(records[0]).data)


# --- Territories ---------------------------------------------------------------------------


@extend_schema(
    summary=_("Territories"),
    description=_(
        "The reference of French local authorities (communes, intercommunalities, départements,"
        " régions): search by name as in the testimony form, or filter by kind and code."
    ),
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description=_(
                "Search by name (start of the words, accents and capitals ignored): the best"
                " `limit` results, on a single page."
            ),
        ),
        OpenApiParameter(
            "limit", OpenApiTypes.INT, description=_("With q: 1 to 20 results (10 by default).")
        ),
        OpenApiParameter(
            "kind",
            OpenApiTypes.STR,
            enum=TerritoryKind.values,
            many=True,
            description=_("Kind of territory; repeat it for several."),
        ),
        OpenApiParameter(
            "code", OpenApiTypes.STR, description=_("Exact INSEE code or SIREN number.")
        ),
        OpenApiParameter("departement", OpenApiTypes.STR, description=_("Code of a département.")),
        OpenApiParameter("region", OpenApiTypes.STR, description=_("INSEE code of a région.")),
        OpenApiParameter(
            "page_size",
            OpenApiTypes.INT,
            description=_("Results per page: 1 to 100 (20 by default)."),
        ),
    ],
)
class TerritoryList(PublicApiView, generics.ListAPIView):
    serializer_class = TerritorySerializer
    pagination_class = Pages

    # Before `list`, which hides the builtin in the class body.
    def _search(self, query: str, kinds: list[str]) -> Response:
        try:
            limit = int(self.request.query_params.get("limit", 10))
        except ValueError:
            limit = 10
        limit = max(1, min(limit, MAX_TERRITORY_SEARCH_RESULTS))
        with serial_query():
            ids = [t.pk for t in territory_search(query=query, kinds=kinds, limit=limit)]
        by_id = selectors.territories_public().in_bulk(ids)
        results = [by_id[pk] for pk in ids if pk in by_id]
        # The envelope of the paginated lists; a search has a single page.
        return Response(
            {
                "next": None,
                "previous": None,
                "results": self.get_serializer(results, many=True).data,
            }
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        params = request.query_params
        kinds = [kind for kind in params.getlist("kind") if kind in TerritoryKind.values]
        query = params.get("q", "")[:100]
        if query.strip():
            return self._search(query, kinds)
        territories = selectors.territories_public()
        if kinds:
            territories = territories.filter(kind__in=kinds)
        if code := params.get("code", "")[:9]:
            territories = territories.filter(code=code)
        if departement := params.get("departement", "")[:3]:
            territories = territories.filter(departement__code=departement)
        if region := params.get("region", "")[:3]:
            territories = territories.filter(region__code=region)
        page = self.paginate_queryset(territories)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(summary=_("A territory"), description=_("One territory of the reference."))
class TerritoryDetail(PublicApiView, generics.RetrieveAPIView):
    serializer_class = TerritorySerializer

    def get_queryset(self) -> QuerySet[Territory]:
        return selectors.territories_public()

    def get_object(self) -> Territory:
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except Territory.DoesNotExist as error:
            raise NotFound(_("There is no territory with this id.")) from error

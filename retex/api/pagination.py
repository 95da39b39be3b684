"""Cursor pagination: stable pages however many testimonies are published meanwhile."""

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from retex.api.selectors import TESTIMONY_ORDERING


class Pages(CursorPagination):
    """`next` and `previous` are full addresses to follow as they are; `page_size` chooses
    how many results a page holds (at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("id",)


class ConsultationPages(Pages):
    """The most recently opened first."""

    ordering = ("-opens_at", "-id")


class TestimonyPages(Pages):
    """Newest published first (publication date, then id), as the web list without a search.
    The response also says how many testimonies match: `count`, exact unless `count_exact`
    is false (a search stops counting after 1,000, as on the web)."""

    ordering = TESTIMONY_ORDERING

    def get_paginated_response(self, data, *, count: int = 0, count_exact: bool = True):
        return Response(
            {
                "count": count,
                "count_exact": count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": {"type": "integer", "example": 97},
            "count_exact": {"type": "boolean", "example": True},
            **paginated["properties"],
        }
        paginated["required"] = ["count", "count_exact", *paginated.get("required", [])]
        return paginated

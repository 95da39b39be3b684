"""Three sets of addresses, included by retex/urls.py:

- `api_patterns` under /api/v1/ (namespace "api"): the JSON API and its OpenAPI document;
- `file_patterns` under /donnees/ (namespace "opendata_files"): the open-data files, one
  address whatever the visitor's language;
- `page_patterns` in the translated part of the site (namespace "opendata"): the pages.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from retex.api.views import api, files, pages

api_patterns = [
    path("", api.ApiIndex.as_view(), name="index"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("consultations/", api.ConsultationList.as_view(), name="consultations"),
    path("consultations/<slug:slug>/", api.ConsultationDetail.as_view(), name="consultation"),
    path("consultations/<slug:slug>/themes/", api.ThemeList.as_view(), name="themes"),
    path(
        "consultations/<slug:slug>/testimonies/",
        api.TestimonyList.as_view(),
        name="testimonies",
    ),
    path("testimonies/<int:pk>/", api.TestimonyDetail.as_view(), name="testimony"),
    path("territories/", api.TerritoryList.as_view(), name="territories"),
    path("territories/<int:pk>/", api.TerritoryDetail.as_view(), name="territory"),
]

file_patterns = [
    path("schema-temoignages.json", files.testimonies_table_schema, name="schema"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/temoignages\.(?P<extension>csv|xlsx|json)$",
        files.testimonies_file,
        name="testimonies",
    ),
]

page_patterns = [
    path("donnees-ouvertes/", pages.open_data, name="index"),
    path("donnees-ouvertes/api/", pages.api_documentation, name="api"),
    path(
        "consultations/<slug:slug>/donnees/",
        pages.consultation_open_data,
        name="consultation",
    ),
]

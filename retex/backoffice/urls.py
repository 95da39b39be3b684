"""Pages for running a consultation: one module of views per area, each adding its routes."""

from django.urls import path  # noqa: F401

app_name = "backoffice"
urlpatterns: list = []

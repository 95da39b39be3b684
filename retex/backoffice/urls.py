from django.urls import path  # noqa: F401  (the pages of the back office come with their views)

app_name = "backoffice"
urlpatterns: list = []

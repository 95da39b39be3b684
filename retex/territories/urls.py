from django.urls import path

from retex.territories import views

app_name = "territories"
urlpatterns = [
    path("recherche.json", views.territory_search_json, name="search_json"),
]

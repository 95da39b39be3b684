from django.urls import path

from retex.explore import views

app_name = "explore"
urlpatterns = [
    path("", views.home, name="home"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path(
        "consultations/<slug:slug>/temoignages/",
        views.testimony_list,
        name="testimonies",
    ),
    path("consultations/<slug:slug>/carte/", views.testimony_map_page, name="map"),
    path("temoignages/<int:pk>/", views.testimony_detail, name="testimony"),
]

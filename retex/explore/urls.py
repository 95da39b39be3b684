from django.urls import path

from retex.explore import views

app_name = "explore"
urlpatterns = [
    path("", views.home, name="home"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
]

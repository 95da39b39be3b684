from django.urls import path

from retex.contributions import views

app_name = "contributions"
urlpatterns = [
    path("consultations/<slug:slug>/temoigner/", views.create, name="create"),
    path("consultations/<slug:slug>/temoigner/envoye/", views.sent, name="sent"),
    path("consultations/<slug:slug>/temoigner/public-vise.json", views.audience, name="audience"),
    path("temoignages/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("temoignages/modifier/<str:token>/", views.edit, name="edit"),
    path("temoignages/modifier/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("temoignages/retrouver/", views.resend, name="resend"),
]

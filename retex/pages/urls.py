from django.urls import path

from retex.pages import views

app_name = "pages"
urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal"),
    path("gestion/pages/<slug:slug>/modifier/", views.edit, name="edit"),
]

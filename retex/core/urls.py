from django.urls import path

from retex.core import views

app_name = "core"
urlpatterns = [
    path("boite-mail/", views.outbox, name="outbox"),
]

from django.urls import path

from retex.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("<slug:slug>/moderation/", views.queue, name="queue"),
]

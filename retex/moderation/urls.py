from django.urls import path

from retex.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("<slug:slug>/moderation/", views.queue, name="queue"),
    path("<slug:slug>/moderation/publier/", views.bulk_publish, name="bulk_publish"),
    path("<slug:slug>/temoignages/<int:pk>/", views.review, name="review"),
    path("<slug:slug>/temoignages/<int:pk>/publier/", views.publish, name="publish"),
    path("<slug:slug>/temoignages/<int:pk>/refuser/", views.reject, name="reject"),
    path(
        "<slug:slug>/temoignages/<int:pk>/demander-des-modifications/",
        views.request_changes,
        name="request_changes",
    ),
    path("<slug:slug>/temoignages/<int:pk>/corriger/", views.edit, name="edit"),
    path("<slug:slug>/temoignages/<int:pk>/depublier/", views.unpublish, name="unpublish"),
    path("<slug:slug>/temoignages/<int:pk>/doublon/", views.mark_duplicate, name="mark_duplicate"),
    path(
        "<slug:slug>/temoignages/<int:pk>/accepter-la-modification/",
        views.accept_edit,
        name="accept_edit",
    ),
]

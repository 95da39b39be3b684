from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from retex.api import urls as open_data_urls

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("territoires/", include("retex.territories.urls")),
    path("api/v1/", include((open_data_urls.api_patterns, "api"))),
    path("donnees/", include((open_data_urls.file_patterns, "opendata_files"))),
]
urlpatterns += i18n_patterns(
    path("", include((open_data_urls.page_patterns, "opendata"))),
    path("", include("retex.explore.urls")),
    path("", include("retex.contributions.urls")),
    path("", include("retex.core.urls")),
    path("", include("retex.pages.urls")),
    path("gestion/", include("retex.accounts.urls")),
    path("gestion/", include("retex.backoffice.urls")),
    path("gestion/", include("retex.moderation.urls")),
    # One sign-in page for everyone, with its throttling and second factor: the admin's own
    # would bypass both.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

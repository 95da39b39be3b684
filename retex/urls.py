from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("territoires/", include("retex.territories.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("retex.explore.urls")),
    path("", include("retex.contributions.urls")),
    path("", include("retex.core.urls")),
    path("gestion/", include("retex.accounts.urls")),
    path("gestion/", include("retex.backoffice.urls")),
    path("gestion/", include("retex.moderation.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

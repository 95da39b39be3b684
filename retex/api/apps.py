from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "retex.api"
    label = "api"
    verbose_name = _("Open data and API")

    def ready(self) -> None:
        from retex.api import checks  # noqa: F401 - registers the settings' checks

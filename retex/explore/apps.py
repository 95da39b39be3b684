from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExploreConfig(AppConfig):
    name = "retex.explore"
    label = "explore"
    verbose_name = _("Public pages")

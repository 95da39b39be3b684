from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "retex.core"
    label = "core"

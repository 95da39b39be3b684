from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "retex.demo"
    label = "demo"
    verbose_name = "Demo data"

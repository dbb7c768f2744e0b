from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk"

    def ready(self):
        from . import receivers, recorders, response  # noqa: F401  (signal receivers)

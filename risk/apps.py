from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk"

    def ready(self):
        from . import receivers  # noqa: F401
        from . import money_recorders  # noqa: F401

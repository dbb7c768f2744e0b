from django.apps import AppConfig


class BusinessConfig(AppConfig):
    name = "business"
    verbose_name = "Business metrics"

    def ready(self):
        from . import receivers  # noqa: F401

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Core banking"

    def ready(self):
        from nexus import schema  # noqa: F401  (registers the JWT auth scheme)

        from . import receivers  # noqa: F401

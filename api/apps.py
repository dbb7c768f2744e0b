from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Core banking"

    def ready(self):
        from nexus import schema  # noqa: F401  (registers the JWT auth scheme)

        from . import admin_site, receivers, social, tasks  # noqa: F401  (signal receivers)


class NexusAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin whose ``admin.site`` signs staff in with password and emailed code."""

    default = False  # Not the config of the "api" entry; named in INSTALLED_APPS.
    default_site = "api.admin_site.NexusAdminSite"

from django.contrib import admin

from nexus.readonly_admin import ReadOnlyAdmin

from .models import Incident, LoginEvent

# Incidents and login events are the audit trail the risk rules write: read-only here.


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["id", "timestamp", "severity", "rule", "event", "user", "ip", "country"]
    list_filter = ["severity", "rule", "country"]
    search_fields = ["event", "attempted_email", "ip", "user__email"]
    date_hierarchy = "timestamp"
    list_select_related = ["user"]


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "timestamp", "attempted_email", "user", "successful", "source", "ip", "country"]
    list_filter = ["successful", "source", "country"]
    search_fields = ["attempted_email", "ip", "user__email"]
    date_hierarchy = "timestamp"
    list_select_related = ["user"]

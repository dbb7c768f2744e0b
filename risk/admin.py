from django.contrib import admin

from .models import Incident, LoginEvent


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "timestamp", "severity", "rule", "event", "user", "ip", "country"]
    list_filter = ["severity", "rule", "country"]
    search_fields = ["event", "attempted_email", "ip", "user__email"]
    date_hierarchy = "timestamp"


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["id", "timestamp", "attempted_email", "user", "successful", "source", "ip", "country"]
    list_filter = ["successful", "source", "country"]
    search_fields = ["attempted_email", "ip", "user__email"]
    date_hierarchy = "timestamp"

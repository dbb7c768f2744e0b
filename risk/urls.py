from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incidents"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident-detail"),
    path("logins/", views.LoginEventListView.as_view(), name="logins"),
    path("kpis/", views.KpiView.as_view(), name="kpis"),
    path("analyze/", views.AnalyzeView.as_view(), name="analyze"),
    path("axes/unlock-ip/", views.UnlockIpView.as_view(), name="axes-unlock-ip"),
]

from django.urls import path

from . import views

app_name = "business"

urlpatterns = [
    path("daily/", views.DailyView.as_view(), name="daily"),
    path("weekly/", views.WeeklyView.as_view(), name="weekly"),
    path("monthly/", views.MonthlyView.as_view(), name="monthly"),
    path("countries/", views.CountriesView.as_view(), name="countries"),
    path("currencies/", views.CurrenciesView.as_view(), name="currencies"),
    path("active/", views.ActiveView.as_view(), name="active"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("ai/advisor/", views.AdvisorView.as_view(), name="advisor"),
    path("ai/daily-insight/", views.DailyInsightView.as_view(), name="daily-insight"),
]

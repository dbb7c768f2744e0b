from api.routes import banking, money

app_name = "api"

urlpatterns = money.urlpatterns + banking.urlpatterns

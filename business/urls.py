app_name = "business"

urlpatterns = []

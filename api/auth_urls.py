from django.urls import include, path

from api.views import auth

urlpatterns = [
    path("login/init/", auth.LoginInitView.as_view(), name="login-init"),
    path("login/verify/", auth.LoginVerifyView.as_view(), name="login-verify"),
    path("jwt/refresh/", auth.RefreshView.as_view(), name="jwt-refresh"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("social/complete/", auth.SocialCompleteView.as_view(), name="social-complete"),
    path("social/token/", auth.SocialTokenView.as_view(), name="social-token"),
    # djoser's user endpoints only: tokens come from the views above, never a password alone.
    path("", include("djoser.urls")),
]

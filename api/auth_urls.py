from django.urls import path

from api.views import auth, users

urlpatterns = [
    path("login/init/", auth.LoginInitView.as_view(), name="login-init"),
    path("login/verify/", auth.LoginVerifyView.as_view(), name="login-verify"),
    path("jwt/refresh/", auth.RefreshView.as_view(), name="jwt-refresh"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("social/complete/", auth.SocialCompleteView.as_view(), name="social-complete"),
    path("social/token/", auth.SocialTokenView.as_view(), name="social-token"),
    # djoser's user endpoints only: tokens come from the views above, never a password alone.
    path("users/", users.user_list, name="user-list"),
    path("users/me/", users.user_me, name="user-me"),
    path("users/<int:id>/", users.user_detail, name="user-detail"),
]

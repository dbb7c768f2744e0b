"""The Django admin behind the same sign-in as the API (API.md §3.11).

Staff sign in in two steps, the password then the code emailed to them,
through ``api.services.login``: the same axes lockout, LoginEvents and risk
rules as the API, and customers are refused like a wrong password. The
Django session then points at an ``AuthSession`` (source admin); on every
admin request that session must still be live and its user active, or the
cookie session is flushed and the request goes back to the login. Logout,
terminate-session and block therefore end an admin session on its next
request, in every process. A Django session made any other way (allauth,
``force_login``) holds no such session and is no way into the admin.
"""
import time

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from api.models import AuthSession
from api.services.login import check_login_code, open_admin_session, start_login
from api.services.sessions import end_session
from nexus.errors import BusinessError, InvalidCredentials, LockedOut

ADMIN_SESSION_KEY = "nexus_admin_session"
PENDING_KEY = "nexus_admin_pending"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PasswordStepForm(forms.Form):
    username = forms.CharField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeStepForm(forms.Form):
    code = forms.RegexField(
        label="Verification code",
        regex=r"^[0-9]{6}$",
        error_messages={"invalid": "Enter the 6-digit code from the email."},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NexusAdminSite(admin.AdminSite):
    site_header = "Nexus Bank administration"
    site_title = "Nexus Bank admin"

    def get_urls(self):
        return [path("login/code/", self.login_code, name="login_code"), *super().get_urls()]

    def has_permission(self, request):
        return self.admin_session(request) is not None and super().has_permission(request)

    def admin_session(self, request):
        """The live AuthSession behind this admin cookie session, or None; a dead one is flushed."""
        if not hasattr(request, "_nexus_admin_session"):
            sid = request.session.get(ADMIN_SESSION_KEY)
            user = request.user
            session = AuthSession.objects.live_for(sid, user) if sid and user.is_authenticated else None
            if sid and session is None:
                auth_logout(request)
            request._nexus_admin_session = session
        return request._nexus_admin_session

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Step 1: the password; a staff member's right one emails a code."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        form = PasswordStepForm(request.POST if request.method == "POST" else None)
        status = 200
        if form.is_valid():
            email = form.cleaned_data["username"]
            try:
                start_login(request, email, form.cleaned_data["password"], staff_only=True)
            except (InvalidCredentials, LockedOut) as refusal:
                form.add_error(None, str(refusal.detail))
                status = refusal.status_code if isinstance(refusal, LockedOut) else 200
            else:
                request.session[PENDING_KEY] = {"email": email, "at": time.time(), "next": self._next_url(request)}
                return HttpResponseRedirect(reverse("admin:login_code", current_app=self.name))
        return self._render(request, "admin/login.html", form, status, extra_context)

    @method_decorator(never_cache)
    @login_not_required
    def login_code(self, request):
        """Step 2: the emailed code opens the admin session."""
        pending = request.session.get(PENDING_KEY)
        if not pending or time.time() - pending["at"] > settings.LOGIN_OTP_TTL_SECONDS:
            request.session.pop(PENDING_KEY, None)
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        form = CodeStepForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                user, context = check_login_code(request, pending["email"], form.cleaned_data["code"], staff_only=True)
            except BusinessError as refusal:
                form.add_error(None, refusal.message)
            else:
                self._sign_in(request, user, context)
                return HttpResponseRedirect(pending["next"])
        return self._render(request, "admin/login_code.html", form, 200, {"email": pending["email"]})

    def _sign_in(self, request, user, context):
        session = open_admin_session(user, context)
        del request.session[PENDING_KEY]
        auth_login(request, user, backend=MODEL_BACKEND)
        request.session[ADMIN_SESSION_KEY] = str(session.id)
        request.session.set_expiry(session.expires_at)

    def _next_url(self, request):
        """Where to go after the code: a same-site ``next``, else the admin index."""
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return next_url if safe else reverse("admin:index", current_app=self.name)

    def _render(self, request, template, form, status, extra_context):
        request.current_app = self.name
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            "form": form,
            REDIRECT_FIELD_NAME: request.GET.get(REDIRECT_FIELD_NAME, ""),
            **(extra_context or {}),
        }
        return render(request, template, context, status=status)


@receiver(user_logged_out, dispatch_uid="api.admin_site.end_admin_session")
def end_admin_session(sender, request, user, **kwargs):
    """Whatever ends an admin cookie session (logout, a dead session) ends its AuthSession too."""
    sid = request.session.get(ADMIN_SESSION_KEY) if request is not None else None
    session = AuthSession.objects.filter(pk=sid).select_related("user").first() if sid else None
    if session is not None:
        end_session(session)

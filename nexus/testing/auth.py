"""The two-step login as a client goes through it, and the emailed codes."""
import re
from datetime import timedelta

from django.core import mail

from api.admin_site import ADMIN_SESSION_KEY
from api.models import AuthSession
from api.services.sessions import open_session

from .factories import PASSWORD

CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def last_code():
    """The login code of the newest email: its only standalone run of six digits."""
    codes = CODE.findall(mail.outbox[-1].body)
    assert len(codes) == 1, mail.outbox[-1].body
    return codes[0]


def login(client, user, password=PASSWORD, **extra):
    """The full two-step login; returns the token pair."""
    response = client.post("/auth/login/init/", {"email": user.email, "password": password}, **extra)
    assert response.status_code == 200, response.json()
    response = client.post("/auth/login/verify/", {"email": user.email, "code": last_code()}, **extra)
    assert response.status_code == 200, response.json()
    return response.json()


def admin_session(client, user):
    """Sign ``client`` in to the admin as the two steps end, without the form (for admin tests)."""
    session = open_session(user, AuthSession.Source.ADMIN, timedelta(hours=1))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie_session = client.session
    cookie_session[ADMIN_SESSION_KEY] = str(session.id)
    cookie_session.save()
    return client

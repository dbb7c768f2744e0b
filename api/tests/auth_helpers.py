import re

from django.core import mail

from api.tests.factories import PASSWORD

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


def bearer(client, access):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client

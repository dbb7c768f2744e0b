import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_register_login_and_me(api_client):
    response = api_client.post(
        "/auth/users/",
        {"email": "Ann@Example.com", "password": "Pl3nty-of-entropy", "re_password": "Pl3nty-of-entropy", "first_name": "Ann"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "ann@example.com"
    assert api_client.post("/auth/login/init/", {"email": "ann@example.com", "password": "Pl3nty-of-entropy"}).status_code == 200
    code = re.findall(r"\b\d{6}\b", mail.outbox[-1].body)[0]
    tokens = api_client.post("/auth/login/verify/", {"email": "ann@example.com", "code": code}).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api_client.get("/auth/users/me/")
    assert me.status_code == 200 and me.json()["is_online"] is True

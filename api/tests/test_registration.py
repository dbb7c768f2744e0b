import pytest

from api.models import User, UserProfile

pytestmark = pytest.mark.django_db

STRONG = "Pl3nty-of-entropy"


def register(client, **overrides):
    body = {"email": "ann@example.com", "password": STRONG, "re_password": STRONG, "first_name": "Ann"}
    body.update(overrides)
    return client.post("/auth/users/", body)


def test_register_returns_public_fields_only(api_client):
    response = register(api_client, email="Ann@Example.COM", last_name="Lee", country="jo")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "first_name", "last_name", "country"}
    assert body["email"] == "ann@example.com"
    assert body["country"] == "JO"
    user = User.objects.get(pk=body["id"])
    assert user.is_active and user.check_password(STRONG)
    assert UserProfile.objects.filter(user=user).exists()


def test_duplicate_email_is_case_insensitive(api_client):
    assert register(api_client).status_code == 201
    response = register(api_client, email="ANN@example.com")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "email" in body["errors"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["short1!", "password123", "12345678901", "ann@example.com1"])
def test_weak_passwords_are_refused(api_client, password):
    response = register(api_client, password=password, re_password=password)
    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    assert not User.objects.exists()


def test_password_mismatch(api_client):
    response = register(api_client, re_password=STRONG + "x")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "re_password" in errors or "non_field_errors" in errors


@pytest.mark.parametrize("missing", ["email", "password", "re_password", "first_name"])
def test_required_fields(api_client, missing):
    body = {"email": "ann@example.com", "password": STRONG, "re_password": STRONG, "first_name": "Ann"}
    body.pop(missing)
    response = api_client.post("/auth/users/", body)
    assert response.status_code == 400
    assert missing in response.json()["errors"]


def test_invalid_email_and_country(api_client):
    response = register(api_client, email="not-an-email", country="Jordan")
    assert response.status_code == 400
    assert {"email", "country"} <= set(response.json()["errors"])


def test_every_field_error_is_reported_at_once(api_client):
    assert register(api_client).status_code == 201
    response = register(api_client, password="password", re_password="passw0rd", first_name="", country="Jordan")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"email", "password", "re_password", "first_name", "country"}
    assert "too common" in " ".join(errors["password"])


def test_me_get_and_patch(user_client, user):
    body = user_client.get("/auth/users/me/").json()
    assert body["email"] == user.email
    assert {"id", "is_staff", "is_active", "is_online", "date_joined", "last_login"} <= set(body)
    response = user_client.patch("/auth/users/me/", {"first_name": "Zed", "country": "ae", "is_staff": True})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.country, user.is_staff) == ("Zed", "AE", False)


def test_customers_see_only_themselves(user_client, user, other_user):
    listing = user_client.get("/auth/users/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == user.id
    assert user_client.get(f"/auth/users/{other_user.id}/").status_code == 404


def test_staff_see_every_user(staff_client, user, other_user):
    listing = staff_client.get("/auth/users/").json()
    assert {user.id, other_user.id} <= {row["id"] for row in listing["results"]}
    assert staff_client.get(f"/auth/users/{other_user.id}/").json()["email"] == other_user.email


def test_staff_search_users_by_email_or_name(staff_client, user, other_user):
    """The staff users page finds anyone among every user, not only the first page."""
    User.objects.filter(pk=other_user.pk).update(first_name="Rania", last_name="Haddad")
    for term in (other_user.email.upper(), "rania", "HADDAD"):
        listing = staff_client.get("/auth/users/", {"search": term}).json()
        assert [row["id"] for row in listing["results"]] == [other_user.id], term
    assert staff_client.get("/auth/users/", {"search": "nobody-by-that-name"}).json()["count"] == 0


def test_a_customer_search_never_finds_someone_else(user_client, user, other_user):
    listing = user_client.get("/auth/users/", {"search": other_user.email}).json()
    assert listing["count"] == 0


def test_anonymous_me_is_401(api_client):
    response = api_client.get("/auth/users/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"

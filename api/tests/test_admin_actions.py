"""Staff actions on users and accounts (API.md §7.1–7.3, §7.4 account list, §3.10 revocation)."""
import pytest
import time_machine

from api.models import Account, Notification
from nexus.testing.auth import login
from nexus.testing.clients import APIClient, bearer, client_for
from nexus.testing.responses import assert_error, assert_signed_in_as, assert_token_pair
from risk.models import Incident

pytestmark = pytest.mark.django_db


def open_account(client, account_type="Savings"):
    return client.post("/api/accounts/", {"type": account_type}).json()["account_number"]


def assert_audited(staff, action, target_type, target_id, customer):
    incident = Incident.objects.get(event=f"Admin Action: {action}")
    assert incident.severity == "medium" and incident.user == staff
    assert incident.details["action"] == action
    assert incident.details["target_type"] == target_type
    assert incident.details["target_id"] == str(target_id)
    assert incident.details["performed_by"] == staff.email
    assert incident.details["timestamp"]
    assert Notification.objects.filter(user=customer, notification_type="SECURITY").exists()
    return incident


def refresh(refresh_token):
    return APIClient().post("/auth/jwt/refresh/", {"refresh": refresh_token})


# --- block / unblock -----------------------------------------------------------------


def test_block_revokes_every_token_at_once(staff_client, staff_user, user, user_client):
    second_device = client_for(user)
    assert user_client.get("/api/accounts/").status_code == 200

    response = staff_client.post(f"/api/admin/users/{user.pk}/block/")

    assert response.status_code == 200 and response.json()["detail"]
    user.refresh_from_db()
    assert user.is_active is False and user.is_online is False
    for client in (user_client, second_device):
        denied = client.get("/api/accounts/")
        assert denied.status_code == 401 and denied.json()["code"] == "token_not_valid"
        assert refresh(client.tokens["refresh"]).status_code == 401
    incident = assert_audited(staff_user, "BLOCK_USER", "user", user.pk, user)
    assert incident.details["tokens_revoked"] == 2


def test_blocked_user_cannot_log_in_and_unblock_needs_a_new_login(staff_client, staff_user, user, user_client):
    staff_client.post(f"/api/admin/users/{user.pk}/block/")
    init = APIClient().post("/auth/login/init/", {"email": user.email, "password": "Correct-Horse-42"})
    assert init.status_code == 401

    response = staff_client.post(f"/api/admin/users/{user.pk}/unblock/")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active is True
    assert user_client.get("/api/accounts/").status_code == 401
    assert refresh(user_client.tokens["refresh"]).status_code == 401
    fresh = bearer(APIClient(), login(APIClient(), user)["access"])
    assert fresh.get("/api/accounts/").status_code == 200
    assert_audited(staff_user, "UNBLOCK_USER", "user", user.pk, user)


def test_block_twice_self_unknown(staff_client, staff_user, user):
    assert staff_client.post(f"/api/admin/users/{user.pk}/block/").status_code == 200
    again = staff_client.post(f"/api/admin/users/{user.pk}/block/")
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"
    itself = staff_client.post(f"/api/admin/users/{staff_user.pk}/block/")
    assert itself.status_code == 400 and itself.json()["errors"]
    staff_user.refresh_from_db()
    assert staff_user.is_active
    assert staff_client.post("/api/admin/users/999999/block/").status_code == 404
    assert Incident.objects.filter(event="Admin Action: BLOCK_USER").count() == 1


def test_unblock_active_user_or_unknown(staff_client, user):
    response = staff_client.post(f"/api/admin/users/{user.pk}/unblock/")
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"
    assert staff_client.post("/api/admin/users/999999/unblock/").status_code == 404
    assert not Incident.objects.filter(event__startswith="Admin Action").exists()


# --- terminate session -------------------------------------------------------------------


def test_terminate_session_revokes_tokens_and_allows_new_login(staff_client, staff_user, user, user_client):
    other_device = client_for(user)
    response = staff_client.post(f"/api/admin/users/{user.pk}/terminate-session/")
    assert response.status_code == 200
    assert response.json()["tokens_revoked"] == 2 and response.json()["detail"]
    user.refresh_from_db()
    assert user.is_active and not user.is_online
    for client in (user_client, other_device):
        denied = client.get("/api/notifications/")
        assert denied.status_code == 401 and denied.json()["code"] == "token_not_valid"
        assert refresh(client.tokens["refresh"]).status_code == 401
    assert_audited(staff_user, "TERMINATE_SESSION", "user", user.pk, user)
    assert client_for(user).get("/api/notifications/").status_code == 200


def test_login_in_the_same_second_after_terminate_works(staff_client, user):
    with time_machine.travel("2026-05-01 10:00:00 +03:00", tick=False):
        staff_client.post(f"/api/admin/users/{user.pk}/terminate-session/")
        tokens = login(APIClient(), user)
        assert_signed_in_as(bearer(APIClient(), tokens["access"]), user)
        assert_token_pair(refresh(tokens["refresh"]))


def test_terminate_unknown_user_is_404(staff_client):
    assert_error(staff_client.post("/api/admin/users/999999/terminate-session/"), 404, "not_found")


def test_terminate_with_no_live_session(staff_client, user):
    response = staff_client.post(f"/api/admin/users/{user.pk}/terminate-session/")
    assert response.status_code == 200 and response.json()["tokens_revoked"] == 0


# --- freeze / unfreeze ---------------------------------------------------------------------


def test_freeze_and_unfreeze_account(staff_client, staff_user, user, user_client):
    number = open_account(user_client)
    response = staff_client.post(f"/api/admin/accounts/{number}/freeze/")
    assert response.status_code == 200 and response.json()["detail"]
    assert user_client.get(f"/api/accounts/{number}/").json()["is_active"] is False
    incident = assert_audited(staff_user, "FREEZE_ACCOUNT", "account", number, user)
    assert incident.details["target_id"] == number

    again = staff_client.post(f"/api/admin/accounts/{number}/freeze/")
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"

    assert staff_client.post(f"/api/admin/accounts/{number}/unfreeze/").status_code == 200
    assert user_client.get(f"/api/accounts/{number}/").json()["is_active"] is True
    assert_audited(staff_user, "UNFREEZE_ACCOUNT", "account", number, user)
    again = staff_client.post(f"/api/admin/accounts/{number}/unfreeze/")
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"


def test_freeze_notifies_the_owner(staff_client, user, user_client):
    number = open_account(user_client)
    staff_client.post(f"/api/admin/accounts/{number}/freeze/")
    [note] = user_client.get("/api/notifications/").json()["results"]
    assert note["notification_type"] == "SECURITY" and number[-4:] in note["message"]


@pytest.mark.parametrize("action", ["freeze", "unfreeze"])
def test_freeze_unknown_or_system_account_is_404(staff_client, action):
    system = Account.objects.filter(is_system=True).first()
    for number in ["999999999999", system.pk]:
        response = staff_client.post(f"/api/admin/accounts/{number}/{action}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    system.refresh_from_db()
    assert system.is_active


# --- account list ------------------------------------------------------------------------


def test_admin_account_list_with_owner_and_filters(staff_client, user, other_user, user_client, other_client):
    jod = open_account(user_client)
    usd = open_account(user_client, "USD")
    theirs = open_account(other_client)
    Account.objects.filter(pk=theirs).update(is_active=False)

    def numbers(query=""):
        response = staff_client.get(f"/api/admin/accounts/{query}")
        assert response.status_code == 200
        return response.json()

    body = numbers()
    assert body["count"] == 3
    assert [a["account_number"] for a in body["results"]] == [theirs, usd, jod]
    assert body["results"][0]["owner"] == {"id": other_user.pk, "email": other_user.email}
    assert not Account.objects.filter(pk__in=[a["account_number"] for a in body["results"]], is_system=True).exists()
    assert {a["account_number"] for a in numbers(f"?user={user.pk}")["results"]} == {jod, usd}
    assert [a["account_number"] for a in numbers("?currency=USD")["results"]] == [usd]
    assert [a["account_number"] for a in numbers("?is_active=false")["results"]] == [theirs]
    assert {a["account_number"] for a in numbers("?is_active=true")["results"]} == {jod, usd}


# --- permissions ---------------------------------------------------------------------------


def test_customers_get_403_and_anonymous_401(user_client, api_client, other_user, other_client):
    number = open_account(other_client)
    calls = [
        ("get", "/api/admin/accounts/"),
        ("post", f"/api/admin/users/{other_user.pk}/block/"),
        ("post", f"/api/admin/users/{other_user.pk}/unblock/"),
        ("post", f"/api/admin/users/{other_user.pk}/terminate-session/"),
        ("post", f"/api/admin/accounts/{number}/freeze/"),
        ("post", f"/api/admin/accounts/{number}/unfreeze/"),
    ]
    for method, path in calls:
        response = getattr(user_client, method)(path)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied", path
        assert getattr(api_client, method)(path).status_code == 401, path
    other_user.refresh_from_db()
    assert other_user.is_active and Account.objects.get(pk=number).is_active
    assert not Incident.objects.filter(event__startswith="Admin Action").exists()

"""The session loader every authenticated request uses returns what the ORM would, and refuses what it should."""
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from api.models import AuthSession
from api.models.sessions_sql import session_with_user
from nexus.testing.clients import APIClient, bearer
from nexus.testing.responses import assert_error

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_session_and_its_user_equal_the_orm_objects(user):
    moment = timezone.now().replace(microsecond=123456) - timedelta(days=3)
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=moment, first_name="Zoë", country="JO", is_online=True, is_staff=True,
    )
    session = AuthSession.objects.create(
        user=user, source=AuthSession.Source.GOOGLE, expires_at=moment + timedelta(days=7), revoked_at=moment,
    )
    with CaptureQueriesContext(connection) as queries:
        loaded = session_with_user(str(session.pk), user.pk)
        loaded_user = loaded.user
    assert len(queries) == 1
    expected = AuthSession.objects.select_related("user").get(pk=session.pk)
    assert _fields(loaded) == _fields(expected)
    assert _fields(loaded_user) == _fields(expected.user)
    assert loaded_user.last_login == moment and loaded_user.last_login.tzinfo is not None
    assert isinstance(loaded.pk, uuid.UUID)
    assert not loaded._state.adding and loaded_user._state.db == connection.alias


OWN = object()


@pytest.mark.parametrize("sid, user_id", [
    ("not-a-uuid", OWN),
    ("", OWN),
    (str(uuid.uuid4()), OWN),
    (OWN, "not-a-number"),
    (OWN, 10**30),
])
def test_no_session_for_a_malformed_or_unknown_id(user, sid, user_id):
    session = AuthSession.objects.create(user=user, expires_at=timezone.now() + timedelta(days=1))
    assert session_with_user(str(session.pk), user.pk) is not None
    assert session_with_user(str(session.pk) if sid is OWN else sid, user.pk if user_id is OWN else user_id) is None


def test_no_session_under_another_users_id(user, other_user):
    session = AuthSession.objects.create(user=user, expires_at=timezone.now() + timedelta(days=1))
    assert session_with_user(str(session.pk), other_user.pk) is None


def _token(user, sid):
    refresh = RefreshToken.for_user(user)
    refresh["sid"] = sid
    return str(refresh.access_token)


@pytest.mark.parametrize("sid", ["not-a-uuid", str(uuid.uuid4()), "0" * 40])
def test_a_signed_token_with_a_bad_session_id_is_a_401_not_a_500(user, sid):
    response = bearer(APIClient(), _token(user, sid)).get("/auth/users/me/")
    assert_error(response, 401, "token_not_valid")

"""What a client reads in a response: the contract's error body (API.md §1.5)."""


def assert_error(response, status, code):
    """``response`` is the contract's error: ``status``, machine ``code``, a human ``detail``; returns the body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"], body
    if status == 400:
        assert isinstance(body["errors"], dict), body
    return body


def assert_token_pair(response):
    """A ``200`` whose body is exactly a new ``{access, refresh}`` pair; returns it."""
    assert response.status_code == 200, response.content
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}, tokens
    return tokens


def assert_signed_in_as(client, user):
    """``client``'s token reaches ``/auth/users/me/`` and it shows ``user``."""
    response = client.get("/auth/users/me/")
    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["email"]) == (user.pk, user.email)

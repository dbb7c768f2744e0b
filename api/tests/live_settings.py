"""Settings of the real server the live tests start (api/tests/live.py).

The project's settings, with test-only changes: emails are written to files
the test reads (the login codes), users the test process made (with its fast
test hasher) can sign in, and the access-token lifetime may be given in
seconds so a test can watch a token expire.
"""
from nexus.settings import *  # noqa: F403
from nexus.settings import SIMPLE_JWT, env

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("LIVE_EMAIL_DIR")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

if env("LIVE_ACCESS_TOKEN_SECONDS"):
    lifetime = timedelta(seconds=float(env("LIVE_ACCESS_TOKEN_SECONDS")))  # noqa: F405
    SIMPLE_JWT = {**SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": lifetime}

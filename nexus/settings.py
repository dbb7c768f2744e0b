"""Nexus Bank settings.

Every value comes from the environment (see ``.env.example``); the embedded
defaults need nothing installed: SQLite, console email, an in-memory channel
layer and Celery running tasks inline.
"""
import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from nexus.csp import add_csp_to_html

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, default))


def env_decimal(name, default):
    return Decimal(env(name, default))


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Unset outside debug, the serving processes refuse to start (nexus/startup.py); commands
# that sign nothing run, with a random key that nothing outside this process ever sees.
SECRET_KEY_MISSING = not SECRET_KEY and not (DEBUG or env_bool("NEXUS_TESTING"))
if SECRET_KEY_MISSING:
    SECRET_KEY = secrets.token_urlsafe(50)
elif not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "daphne",
    "api.apps.NexusAdminConfig",  # django.contrib.admin with the two-step sign-in (api/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "djoser",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from static files, no CDN
    "drf_standardized_errors",
    "corsheaders",
    "channels",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "api",
    "risk",
    "business",
]

MIDDLEWARE = [
    "nexus.middleware.RequestIDMiddleware",
    "nexus.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "risk.middleware.AuthorizationLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nexus.urls"
WSGI_APPLICATION = "nexus.wsgi.application"
ASGI_APPLICATION = "nexus.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nexus" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
_database = DATABASES["default"]
# A 503 answered when the pool had no connection free for DB_POOL_TIMEOUT says when to retry.
DB_RETRY_AFTER_SECONDS = env_int("DB_RETRY_AFTER_SECONDS", 5)
# In-process tests run up to 20 threads that each keep their connection across all their
# requests (Django's test client does not hand it back), so their pool is larger.
_pool_max_size = env_int("DB_POOL_MAX_SIZE", 32 if env_bool("NEXUS_TESTING") else 10)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue for the one write lock instead of failing with "database is
    # locked": WAL lets readers run beside the writer, every atomic() takes the lock at BEGIN
    # (so a transaction never fails upgrading a read to a write), and a busy writer is
    # waited for up to the timeout.
    _database["CONN_MAX_AGE"] = 0
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DB_SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
elif _database["ENGINE"] == "django.db.backends.postgresql" and _pool_max_size > 0:
    # Django's psycopg pool, per process: at most max_size connections whatever the server
    # (ASGI servers run each request on a thread of its own, which would otherwise keep a
    # connection of its own). A request finding none free within the timeout gets 503
    # service_unavailable (nexus/errors.py). A pool requires CONN_MAX_AGE 0.
    _database["CONN_MAX_AGE"] = 0
    _database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env_int("DB_POOL_MIN_SIZE", 2), _pool_max_size),
        "max_size": _pool_max_size,
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "api.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("NEXUS_TESTING"):
    # Tests create many users; a deliberately slow hash only slows the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "Asia/Amman")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_ID = 1

# --- The web app (frontend/, built by Vite) ---------------------------------
# WhiteNoise serves the built files at the site root; nexus/frontend.py answers the
# app's routes with its index page. Vite names assets by content hash: cached forever.
FRONTEND_DIST = Path(env("FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))
WHITENOISE_ROOT = FRONTEND_DIST
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/?assets/.+-[0-9A-Za-z_-]{8,}\.\w+$"
WHITENOISE_ADD_HEADERS_FUNCTION = add_csp_to_html

# --- Security ---------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# Behind our own proxies only: X-Forwarded-For and CF-IPCountry (nexus/client.py) and
# X-Forwarded-Proto. On a direct connection these headers are the client's word.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS")
# Proxies in front of the app that each append to X-Forwarded-For (nexus.client.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more (or set TRUST_PROXY_HEADERS=false).")
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

FRONTEND_URL = env("FRONTEND_URL", "http://localhost:3000").rstrip("/")
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", FRONTEND_URL)
CORS_ALLOW_CREDENTIALS = False

# --- REST framework -------------------------------------------------------
API_THROTTLING = env("API_THROTTLING", "on").strip().lower() not in {"off", "false", "0", "no"}

# Request bodies nested deeper than this are a 400 (nexus/parsers.py).
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["nexus.parsers.ExactJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "nexus.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "nexus.schema.ContractAutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_CLASSES": (
        ["nexus.throttling.AnonRateThrottle", "nexus.throttling.UserRateThrottle"]
        if API_THROTTLING
        else []
    ),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", "30/min"),
        "user": env("THROTTLE_USER", "300/min"),
        # A development walk-through logs in several people from one address.
        "login": env("THROTTLE_LOGIN", "30/min" if DEBUG else "5/min"),
        "transfer_confirm": env("THROTTLE_TRANSFER_CONFIRM", "10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_FORMATTER_CLASS": "nexus.errors.ContractExceptionFormatter",
    "EXCEPTION_HANDLER_CLASS": "nexus.errors.ContractExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Nexus Bank API",
    "DESCRIPTION": (
        "Digital-banking backend: accounts, ledger transfers, bills, risk and business metrics. "
        "Sign in with `POST /auth/login/init/` then `POST /auth/login/verify/` and send "
        "`Authorization: Bearer <access>`. Money is a string with two decimals; every error is "
        "`{detail, code, errors?}`. The concepts (tokens, errors, idempotency, rounding, limits, "
        "throttles, the WebSocket) are in the repository's docs/ folder."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    "ENUM_NAME_OVERRIDES": {"CurrencyEnum": "api.models.choices.Currency"},
    # The areas of nexus/schema.py:TAGS_BY_PREFIX, in the order Swagger UI shows them.
    "TAGS": [
        {"name": "auth", "description": "Registration, the two-step login (password, then an emailed code), tokens, logout."},
        {"name": "accounts", "description": "The caller's accounts, statements and cards."},
        {"name": "transfers", "description": "Internal and external transfers; the emailed-code step above 500.00."},
        {"name": "bills", "description": "Billers and bill payments."},
        {"name": "notifications", "description": "The caller's notifications (also pushed over the WebSocket)."},
        {"name": "staff", "description": "Staff actions on users, accounts and transactions, each audited."},
        {"name": "risk", "description": "Incidents, login events, risk KPIs and incident analysis (staff)."},
        {"name": "business", "description": "Daily, weekly and monthly business metrics and the advisor (staff)."},
        {"name": "platform", "description": "Health check."},
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- JWT and login ------------------------------------------------------------
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("ACCESS_TOKEN_LIFETIME_MINUTES", 60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("REFRESH_TOKEN_LIFETIME_DAYS", 7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": SECRET_KEY,
    "TOKEN_REFRESH_SERIALIZER": "api.serializers.auth.SessionTokenRefreshSerializer",
}

DJOSER = {
    "LOGIN_FIELD": "email",
    # No DRF authtoken: sessions are ours (api.services.sessions), revoked on delete.
    "TOKEN_MODEL": None,
    "USER_CREATE_PASSWORD_RETYPE": True,
    "SEND_ACTIVATION_EMAIL": False,
    "HIDE_USERS": True,
    "SERIALIZERS": {
        "user_create_password_retype": "api.serializers.users.UserCreateSerializer",
        "user": "api.serializers.users.UserSerializer",
        "current_user": "api.serializers.users.UserSerializer",
    },
    "PERMISSIONS": {
        "user_list": ["rest_framework.permissions.IsAuthenticated"],
        "user": ["djoser.permissions.CurrentUserOrAdmin"],
    },
}

LOGIN_OTP_TTL_SECONDS = env_int("LOGIN_OTP_TTL_SECONDS", 300)
TRANSFER_OTP_TTL_SECONDS = env_int("TRANSFER_OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 3)
SOCIAL_LOGIN_CODE_TTL_SECONDS = env_int("SOCIAL_LOGIN_CODE_TTL_SECONDS", 60)
# How long after a Google sign-in its cookie session may still become a code (once).
SOCIAL_HANDOFF_TTL_SECONDS = env_int("SOCIAL_HANDOFF_TTL_SECONDS", 120)
# Lifetime of a staff member's admin-site session (password + emailed code).
ADMIN_SESSION_HOURS = env_int("ADMIN_SESSION_HOURS", 8)

AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 15)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_FORM_FIELD = "email"
AXES_CLIENT_IP_CALLABLE = "nexus.client.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "nexus.errors.axes_lockout_response"
AXES_VERBOSE = False

# --- Google sign-in (allauth) ------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_ADAPTER = "nexus.throttling.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "api.social.VerifiedEmailSocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
GOOGLE_SIGN_IN_ENABLED = bool(env("GOOGLE_CLIENT_ID") and env("GOOGLE_CLIENT_SECRET"))
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": [
            {
                "client_id": env("GOOGLE_CLIENT_ID", ""),
                "secret": env("GOOGLE_CLIENT_SECRET", ""),
                "key": "",
            }
        ],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
    }
}
LOGIN_REDIRECT_URL = "/auth/social/complete/"

# --- Redis, channels, Celery -------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 reads with a 5 s socket timeout by default, as long as channels-redis
            # blocks in BZPOPMIN waiting for a message (5 s): every idle socket then died with
            # 1011 (django/channels_redis#422). The read timeout must outlast the block.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The in-memory broker is never used by inline tasks; naming its host keeps kombu quiet.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Inline without a broker, and always in tests (side effects observable at once).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL or env_bool("NEXUS_TESTING"))
CELERY_TASK_EAGER_PROPAGATES = True
# One queue per deployment sharing a Redis (the bench stacks each take their own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")
# Celery otherwise closes every database connection before and after each task: a new
# connection per event without a pool. The worker keeps them, and drops old or broken ones
# around each task as Django does around a request; with the pool that returns the
# connection to it (nexus/celery.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
# The outbox (api/events.py): money events and emails, written in the transaction that makes
# them happen. Delivered inline right after each commit on the embedded default (no broker);
# otherwise by the dispatcher process (manage.py deliver_outbox), woken by PostgreSQL's NOTIFY
# at each commit (it polls every OUTBOX_POLL_SECONDS on other databases), and by beat every
# OUTBOX_POLL_SECONDS as a safety net.
OUTBOX_INLINE = env_bool("OUTBOX_INLINE", CELERY_TASK_ALWAYS_EAGER)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 50)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
# After a wake-up the dispatcher waits this long before it drains, so one batch carries the
# events of many commits (a batch of 1 costs several times more per event than one of 50).
OUTBOX_DISPATCH_DELAY_SECONDS = float(env("OUTBOX_DISPATCH_DELAY_SECONDS", "0.1"))
OUTBOX_POLL_SECONDS = float(env("OUTBOX_POLL_SECONDS", "2"))
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 7)
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {
        "task": "api.tasks.deliver_outbox",
        "schedule": OUTBOX_POLL_SECONDS,
    },
    "prune-outbox": {
        "task": "api.tasks.prune_outbox",
        "schedule": crontab(hour=3, minute=15),
    },
    "expire-pending-transfers": {
        "task": "api.tasks.expire_pending_transfers",
        "schedule": 60.0,
    },
    "business-daily-insight": {
        "task": "business.tasks.daily_insight_for_yesterday",
        "schedule": crontab(hour=0, minute=30),
    },
}

# --- Email ------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
elif env("EMAIL_FILE_PATH"):
    # One file per message in this directory (the black-box and end-to-end tests read codes there).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "nexus.mail.ConsoleEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@nexus-banking.com")

# --- External services --------------------------------------------------------
GEMINI_API_KEY = env("GEMINI_API_KEY", "")
GEMINI_MODEL = env("GEMINI_MODEL", "gemini-2.5-flash")
GEMINI_TIMEOUT_SECONDS = env_int("GEMINI_TIMEOUT_SECONDS", 10)
IPINFO_TOKEN = env("IPINFO_TOKEN", "")
IPINFO_TIMEOUT_SECONDS = 1
IPINFO_CACHE_SECONDS = 24 * 3600

# --- Money ------------------------------------------------------------------
CURRENCIES = ("JOD", "USD", "EUR")
BASE_CURRENCY = "JOD"
# Units of each currency bought by one JOD.
FX_RATES = {"USD": Decimal(env("FX_RATE_USD", "1.41")), "EUR": Decimal(env("FX_RATE_EUR", "1.31"))}
MAX_TRANSFER_AMOUNT = env_decimal("MAX_TRANSFER_AMOUNT", "10000.00")
DAILY_TRANSFER_LIMIT = env_decimal("DAILY_TRANSFER_LIMIT", "50000.00")
HIGH_VALUE_THRESHOLD = env_decimal("HIGH_VALUE_THRESHOLD", "500.00")
EXTERNAL_TRANSFER_FEE_RATE = env_decimal("EXTERNAL_TRANSFER_FEE_RATE", "0.01")
BILL_COMMISSION_RATE = env_decimal("BILL_COMMISSION_RATE", "0.01")
FX_SPREAD_RATE = env_decimal("FX_SPREAD_RATE", "0.003")
MAX_DEPOSIT_AMOUNT = env_decimal("MAX_DEPOSIT_AMOUNT", "1000000.00")
LEDGER_RETRY_ATTEMPTS = env_int("LEDGER_RETRY_ATTEMPTS", 5)
# Business metrics: counter rows per (date, scope) that concurrent events spread over.
BUSINESS_METRIC_SHARDS = env_int("BUSINESS_METRIC_SHARDS", 8)
# Business advisor: when a figure becomes a risk signal.
BUSINESS_ADVISOR_FAILURE_RATE_PCT = env_decimal("BUSINESS_ADVISOR_FAILURE_RATE_PCT", "10")
BUSINESS_ADVISOR_CHANGE_ALERT_PCT = env_decimal("BUSINESS_ADVISOR_CHANGE_ALERT_PCT", "30")

# --- Risk rules ---------------------------------------------------------------
RISK_AUTH_WINDOW_MINUTES = env_int("RISK_AUTH_WINDOW_MINUTES", 10)
RISK_BRUTE_FORCE_FAILURES = env_int("RISK_BRUTE_FORCE_FAILURES", 5)
RISK_STUFFING_FAILURES = env_int("RISK_STUFFING_FAILURES", 5)
RISK_STUFFING_TARGETS = env_int("RISK_STUFFING_TARGETS", 3)
RISK_IMPOSSIBLE_TRAVEL_MINUTES = env_int("RISK_IMPOSSIBLE_TRAVEL_MINUTES", 60)
RISK_UNUSUAL_HOUR_START = env_int("RISK_UNUSUAL_HOUR_START", 0)
RISK_UNUSUAL_HOUR_END = env_int("RISK_UNUSUAL_HOUR_END", 5)
RISK_SHARED_IP_USERS = env_int("RISK_SHARED_IP_USERS", 5)
RISK_SHARED_IP_WINDOW_MINUTES = env_int("RISK_SHARED_IP_WINDOW_MINUTES", 60)
RISK_LARGE_TXN_THRESHOLD = env_decimal("RISK_LARGE_TXN_THRESHOLD", "10000.00")
RISK_UNUSUAL_SIZE_MULTIPLIER = env_decimal("RISK_UNUSUAL_SIZE_MULTIPLIER", "5")
RISK_UNUSUAL_SIZE_LOOKBACK_DAYS = env_int("RISK_UNUSUAL_SIZE_LOOKBACK_DAYS", 30)
RISK_RAPID_TRANSFER_COUNT = env_int("RISK_RAPID_TRANSFER_COUNT", 5)
RISK_RAPID_TRANSFER_WINDOW_MINUTES = env_int("RISK_RAPID_TRANSFER_WINDOW_MINUTES", 5)
RISK_VELOCITY_COUNT = env_int("RISK_VELOCITY_COUNT", 10)
RISK_VELOCITY_AMOUNT = env_decimal("RISK_VELOCITY_AMOUNT", "50000.00")
RISK_VELOCITY_WINDOW_MINUTES = env_int("RISK_VELOCITY_WINDOW_MINUTES", 15)
RISK_NEW_COUNTRY_TXN_HOURS = env_int("RISK_NEW_COUNTRY_TXN_HOURS", 2)
RISK_BLACKLISTED_IPS = env_list("RISK_BLACKLISTED_IPS", "")
RISK_AUTHZ_WINDOW_MINUTES = env_int("RISK_AUTHZ_WINDOW_MINUTES", 10)
RISK_AUTO_RESPONSE = env_bool("RISK_AUTO_RESPONSE")

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nexus.middleware.RequestIDLogFilter"}},
    "formatters": {
        "standard": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "standard", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Without handlers of its own (Django's debug console handler), each 4xx/5xx
        # line of django.request reaches the console once, through the root.
        "django": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "daphne.server": {"level": "INFO"},  # "Listening on TCP address 127.0.0.1:8000"
    },
}

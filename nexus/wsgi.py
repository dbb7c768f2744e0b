import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

application = get_wsgi_application()

from nexus.startup import require_secret_key  # noqa: E402

require_secret_key()

"""Celery application: eager (inline) unless REDIS_URL names a broker."""
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections as close_connections

from nexus.startup import require_secret_key as require

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

app = Celery("nexus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def require_secret_key(**kwargs):
    """A worker refuses to start without the secret, like the web processes (Celery only logs exceptions here)."""
    try:
        require()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None


@task_prerun.connect
@task_postrun.connect
def close_old_connections(task=None, **kwargs):
    """Around a worker's task, what Django does around a request: drop broken or old connections.

    With the PostgreSQL pool (CONN_MAX_AGE 0) this hands the task's connection back to the
    process's pool, so a worker holds at most DB_POOL_MAX_SIZE connections however many
    tasks it runs; run it with ``--pool threads`` (Celery's fixup closes the whole pool
    after every task in a prefork child).
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return  # inline in the caller's own request or transaction
    close_connections()

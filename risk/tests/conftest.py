import pytest


@pytest.fixture
def worker_down(settings, monkeypatch):
    """A broker-backed deployment whose outbox worker has not come round yet: commits only write the outbox."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("api.tasks.deliver_outbox.apply_async", lambda **options: None)

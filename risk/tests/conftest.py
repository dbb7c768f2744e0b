import pytest


@pytest.fixture
def worker_down(settings):
    """A deployment whose outbox dispatcher has not come round yet: commits only write the outbox."""
    settings.OUTBOX_INLINE = False

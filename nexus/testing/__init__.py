"""Test support for every app's tests, and the pytest plugin that marks a test run.

Loaded by ``-p nexus.testing`` (pytest.ini) before Django is set up, so this
module itself imports nothing of Django; the helpers live in its submodules:
``clients`` (API and browser clients), ``auth`` (login steps, emailed codes),
``factories``, ``money`` (accounts funded through the ledger), ``concurrency``.
"""
import os

os.environ.setdefault("NEXUS_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

"""pytest plugin loaded before Django: marks the process as a test run."""
import os

os.environ.setdefault("NEXUS_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

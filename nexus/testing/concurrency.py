"""Helpers for the PostgreSQL-only concurrency tests."""
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_parallel(jobs):
    """Run callables at the same instant, each in its own thread and DB connection; return results."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))

"""GET /health/: can this process reach the database, the broker and object storage?

200 with every check "ok", or 503 naming what failed (compose health checks, load balancers).
Each check is bounded by short timeouts, so a dead dependency answers 503 quickly, not a hang.
"""
import logging
import time

from celery import current_app
from django.db import connection
from django.http import JsonResponse

from core.api import public
from core.storage import object_storage

logger = logging.getLogger(__name__)
PROBE_KEY = "health/probe"  # never written: checking that it can be looked up is enough


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def check_storage() -> None:
    object_storage().exists(PROBE_KEY)


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


@public("says only whether dependencies answer; no tenant data")
def health(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
            results[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as exc:  # any failure is a 503 with its reason, never a 500 page
            logger.warning("health: %s failed: %s", name, exc)
            results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)

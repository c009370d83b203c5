"""Webhook costs: one delivery attempt to a loopback receiver, the queries a finished photo adds
to ingest with and without a subscribed webhook (since the outbox: one row, whatever the webhooks),
and the queries webhooks' own task then spends expanding that row (docs/webhooks.md "Measured").

    python scripts/bench_webhooks.py [--pings 200]

Runs on a throw-away SQLite file (the embedded default's settings) and a ThreadingHTTPServer on
127.0.0.1; prints JSON; asserts nothing.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["VISAGE_VAR_DIR"] = tempfile.mkdtemp(prefix="visage-bench-webhooks-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pings", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from core.tenancy.services import studio_create
    from events.lifecycle import photo_done, photos_done
    from events.models import Photo, PhotoState
    from events.services import event_create
    from webhooks.models import Delivery
    from webhooks.sending import delivery_attempt
    from webhooks.outbox import notices_expand
    from webhooks.services import webhook_create, webhook_ping

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    studio, owner = studio_create(name="Bench", owner_email="bench@example.com", owner_password="pw-bench-123")
    hook = webhook_create(studio=studio, user=owner, url=f"http://127.0.0.1:{server.server_port}/h",
                          events=["photo.processed", "event.processed"])
    attempt_ms, response_ms = [], []
    for _ in range(args.pings):
        delivery = webhook_ping(webhook=hook)
        started = time.perf_counter()
        delivery_attempt(delivery_id=delivery.id)
        attempt_ms.append((time.perf_counter() - started) * 1000)
        response_ms.append(Delivery.objects.get(id=delivery.id).response_ms)
    event = event_create(studio=studio, user=owner, name="Queries")
    photos = [Photo.objects.create(
        studio=studio, event=event, original_filename=f"{i}.jpg", original_key=f"bench/{i}", size=1,
        sha256=f"{i:064d}", content_type="image/jpeg", width=1, height=1) for i in (1, 2, 3, 4, 5)]
    queries = {}
    for label, active in (("with_webhook", True), ("without_webhook", False)):
        hook.active = active
        hook.save()
        Photo.objects.filter(event=event).update(state=PhotoState.PROCESSING)
        counts, expanding = [], []
        for photo in photos[:2]:  # one photo at a time (re-processing, photo_faces_replace)
            with CaptureQueriesContext(connection) as captured:
                photo_done(photo_id=photo.id)
            counts.append(len(captured))
            with CaptureQueriesContext(connection) as captured:  # webhooks' task, after the commit
                notices_expand()
            expanding.append(len(captured))
        with CaptureQueriesContext(connection) as captured:  # the engine: a stored batch of 3, the event's last
            photos_done(done={photo.id: {} for photo in photos[2:]})
        with CaptureQueriesContext(connection) as expanded:
            notices_expand()
        queries[label] = {"photo_done": counts[0], "last_photo_done": counts[1], "batch_of_3_last": len(captured),
                          "webhooks_task": {"photo_done": expanding[0], "last_photo_done": expanding[1],
                                            "batch_of_3_last": len(expanded)}}
    attempt_ms.sort()
    print(json.dumps({
        "pings": args.pings,
        "attempt_ms": {"p50": round(statistics.median(attempt_ms), 1),
                       "p95": round(attempt_ms[int(len(attempt_ms) * 0.95) - 1], 1)},
        "response_ms_p50": statistics.median(response_ms),
        "queries_per_finished_photo": queries,
    }, indent=1))
    server.shutdown()


if __name__ == "__main__":
    main()

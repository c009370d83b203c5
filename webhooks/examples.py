"""Example bodies for the webhook operations (OpenAPI `examples`, read by client developers)."""
from drf_spectacular.utils import OpenApiExample

WEBHOOK = {"id": 3, "url": "https://hooks.example.com/visage", "events": ["photo.processed", "event.processed"],
           "active": True, "secret_hint": "whsec_…9f2A", "created_at": "2026-06-21T09:12:03Z"}
SECRET = "whsec_kq3N0v1mX2yZ8s7T6u5R4q3P2o1N0m9L8k7J6i5H4g3"
DELIVERY = {
    "id": "0b6f3c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f", "event": "event.processed", "status": "succeeded", "attempts": 1,
    "response_status": 200, "response_ms": 84, "error": "", "created_at": "2026-06-21T09:20:00Z",
    "next_attempt_at": None, "delivered_at": "2026-06-21T09:20:00Z", "redelivery_of": None,
    "payload": {"id": "0b6f3c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f", "type": "event.processed",
                "created_at": "2026-06-21T09:20:00.114Z", "studio": "studio-a",
                "data": {"event_id": 7, "photos_done": 118, "photos_failed": 2}}}
FAILED = {**DELIVERY, "id": "5d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", "event": "photo.processed", "status": "failed",
          "attempts": 6, "response_status": 500, "response_ms": 112, "delivered_at": None,
          "error": "gave up after 6 attempts; last: answered HTTP 500",
          "payload": {"id": "5d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", "type": "photo.processed",
                      "created_at": "2026-06-21T09:16:02.530Z", "studio": "studio-a",
                      "data": {"photo_id": 1042, "event_id": 7, "status": "done", "reason": "", "face_count": 3}}}
PENDING = {**DELIVERY, "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "status": "pending", "attempts": 0,
           "response_status": None, "response_ms": None, "delivered_at": None,
           "next_attempt_at": "2026-06-21T10:00:00Z"}


def _page(item: dict, path: str) -> dict:
    return {"count": 1, "next": None, "previous": None, "results": [item]}


LIST = [OpenApiExample("The studio's webhooks", value=_page(WEBHOOK, "/api/v1/studio/webhooks/"), response_only=True)]
CREATE = [
    OpenApiExample("Register", request_only=True,
                   value={"url": "https://hooks.example.com/visage", "events": ["photo.processed", "event.processed"]}),
    OpenApiExample("Registered (the secret is shown this once)", response_only=True, status_codes=["201"],
                   value={**WEBHOOK, "secret": SECRET}),
    OpenApiExample("A private address", response_only=True, status_codes=["400"], value={"error": {
        "code": "webhook_url_refused", "message": "10.0.0.5 resolves to 10.0.0.5, a private or reserved address (private).",
        "details": None}}),
]
GET = [OpenApiExample("A webhook", value=WEBHOOK, response_only=True)]
DELETE = [OpenApiExample("Already removed, or another studio's", status_codes=["404"], response_only=True,
                         value={"error": {"code": "not_found", "message": "No such webhook in this studio.",
                                          "details": None}})]
UPDATE = [OpenApiExample("Pause", value={"active": False}, request_only=True),
          OpenApiExample("Paused", value={**WEBHOOK, "active": False}, response_only=True)]
DELIVERIES = [OpenApiExample("A webhook's deliveries", response_only=True,
                             value={"count": 2, "next": None, "previous": None, "results": [DELIVERY, FAILED]})]
REDELIVER = [OpenApiExample("Queued again", response_only=True, status_codes=["202"],
                            value={**PENDING, "event": "photo.processed", "redelivery_of": FAILED["id"],
                                   "payload": {**FAILED["payload"], "id": PENDING["id"]}})]
PING = [OpenApiExample("Ping queued", response_only=True, status_codes=["202"], value={
    **PENDING, "event": "ping", "payload": {"id": PENDING["id"], "type": "ping", "created_at": "2026-06-21T10:00:00Z",
                                            "studio": "studio-a", "data": {"webhook_id": 3,
                                                                           "message": "Visage can reach this endpoint."}}})]

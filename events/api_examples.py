"""Example bodies for the events and photos operations (OpenAPI `examples`, read by client developers)."""
from drf_spectacular.utils import OpenApiExample

COUNTERS = {"photos_total": 120, "photos_done": 118, "photos_failed": 1, "photos_pending": 1, "faces": 431,
            "faces_usable": 402, "faces_assigned": 389, "people": 57}
EVENT = {"id": 7, "name": "Anna & Ben's wedding", "starts_on": "2026-06-20", "created_at": "2026-06-21T09:12:03Z",
         "updated_at": "2026-06-21T09:12:03Z", "counters": COUNTERS}
PHOTO = {"id": 1042, "event": 7, "original_filename": "IMG_0001.JPG",
         "sha256": "9f2c1e0b5d7a4c3e8f6b2a1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e", "size": 8123456,
         "content_type": "image/jpeg", "width": 6000, "height": 4000, "orientation": 1,
         "taken_at": "2026-06-20T15:02:11Z", "hidden": False, "state": "done", "failure_reason": "",
         "created_at": "2026-06-21T09:15:40Z", "processed_at": "2026-06-21T09:16:02Z",
         "original_url": "/api/v1/photos/1042/original", "preview_url": "/api/v1/photos/1042/preview",
         "thumbnail_url": "/api/v1/photos/1042/thumbnail", "focus": {"x": 50.0, "y": 18.4}}


def page(item: dict, path: str) -> dict:
    return {"count": 120, "next": f"https://visage.example{path}?page=2", "previous": None, "results": [item]}


EVENT_LIST = [OpenApiExample("A page of events", value=page(EVENT, "/api/v1/events/"), response_only=True)]
EVENT_CREATE = [
    OpenApiExample("New event", value={"name": "Anna & Ben's wedding", "starts_on": "2026-06-20"}, request_only=True),
    OpenApiExample("Created", value={**EVENT, "counters": dict.fromkeys(COUNTERS, 0)}, response_only=True, status_codes=["201"]),
]
EVENT_GET = [OpenApiExample("An event with its processing counters", value=EVENT, response_only=True)]
EVENT_UPDATE = [OpenApiExample("Rename", value={"name": "Anna & Ben — wedding"}, request_only=True),
                OpenApiExample("Updated", value={**EVENT, "name": "Anna & Ben — wedding"}, response_only=True)]
EVENT_DELETE = [OpenApiExample("Not yours or gone", status_codes=["404"], response_only=True,
                               value={"error": {"code": "not_found", "message": "Not found.", "details": None}})]
PHOTO_LIST = [OpenApiExample("A page of photos", value=page(PHOTO, "/api/v1/events/7/photos/"), response_only=True),
              OpenApiExample("Failed photos (?state=failed)", response_only=True, value={
                  "count": 1, "next": None, "previous": None, "results": [{
                      **PHOTO, "id": 1077, "original_filename": "IMG_0036.JPG", "state": "failed",
                      "failure_reason": "IMG_0036.JPG: the file ends early (truncated JPEG)", "preview_url": None,
                      "thumbnail_url": None, "focus": {"x": 50.0, "y": 50.0}}]})]
PHOTO_UPLOAD = [
    OpenApiExample("One stored, one duplicate", status_codes=["201"], response_only=True, value={
        "created": 1, "duplicate": 1, "rejected": 0, "results": [
            {"filename": "IMG_0001.JPG", "status": "created", "reason": None, "photo": {**PHOTO, "state": "queued"}},
            {"filename": "IMG_0001 copy.JPG", "status": "duplicate", "reason": "IMG_0001 copy.JPG: same bytes as IMG_0001.JPG (photo 1042) already in this event",
             "photo": PHOTO}]}),
    OpenApiExample("All rejected", status_codes=["400"], response_only=True, value={
        "created": 0, "duplicate": 0, "rejected": 1, "results": [
            {"filename": "notes.txt", "status": "rejected", "reason": "notes.txt: not a supported image", "photo": None}]}),
]
PHOTO_GET = [OpenApiExample("A processed photo", value=PHOTO, response_only=True)]
PHOTO_UPDATE = [OpenApiExample("Hide from guests", value={"hidden": True}, request_only=True),
                OpenApiExample("Hidden", value={**PHOTO, "hidden": True}, response_only=True)]
PHOTO_FILE = [OpenApiExample("Not yours or gone", status_codes=["404"], response_only=True,
                             value={"error": {"code": "not_found", "message": "Not found.", "details": None}})]

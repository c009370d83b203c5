"""Example bodies for the people, curation, album and analytics operations (OpenAPI `examples`)."""
from drf_spectacular.utils import OpenApiExample

PERSON = {"id": 31, "event": 7, "name": "Anna", "hidden": False, "curated": True, "face_count": 42, "photo_count": 38,
          "photo_ids": [1042, 1043, 1050], "cover_face": 5120, "cover_thumbnail_url": "/api/v1/faces/5120/thumbnail"}
FACE = {"id": 5120, "photo_id": 1042, "box": [812.0, 440.5, 1010.0, 688.0], "probability": 0.9991, "usable": True,
        "thumbnail_url": "/api/v1/faces/5120/thumbnail"}
JOB = {"id": 12, "state": "done", "result": {"people": 57, "assigned": 389}, "error": None,
       "queued_at": "2026-06-21T10:00:00Z", "started_at": "2026-06-21T10:00:01Z",
       "finished_at": "2026-06-21T10:00:04Z", "seconds": 3.2}
NOT_FOUND = OpenApiExample("Not yours or gone", status_codes=["404"], response_only=True,
                           value={"error": {"code": "not_found", "message": "Not found.", "details": None}})

PERSON_LIST = [OpenApiExample("People, most photographed first", value=[PERSON], response_only=True)]
PERSON_LIST_PAGE = [OpenApiExample("A page of the People page's default view, with a search", response_only=True,
                                   value=[PERSON], description="`GET …/people/?filter=main&q=ann&limit=60&offset=0`: "
                                   "`X-Total-Count: 1` tells how many match.")]
PERSON_GET = [OpenApiExample("A person", value=PERSON, response_only=True)]
PERSON_UPDATE = [OpenApiExample("Name a person", value={"name": "Anna", "scope": "person:31"}, request_only=True),
                 OpenApiExample("Named", value={**PERSON, "undo": {"action_id": 87, "label": "named Person 31 “Anna”"}},
                                response_only=True)]
PERSON_MERGE = [OpenApiExample("Merge two people into this one", value={"person_ids": [32, 40], "scope": "people"},
                               request_only=True),
                OpenApiExample("The merged person", response_only=True, value={
                    **PERSON, "face_count": 57, "undo": {"action_id": 88, "label": "merged 2 people into Anna"}})]
PERSON_SPLIT = [OpenApiExample("Move these faces to a new person", value={"face_ids": [5121, 5188], "scope": "person:31"},
                               request_only=True),
                OpenApiExample("The new person", status_codes=["201"], response_only=True,
                               value={**PERSON, "id": 58, "name": "", "face_count": 2, "photo_count": 2,
                                      "undo": {"action_id": 89, "label": "split 2 faces off Anna into Person 58"}})]
PERSON_REJECT = [OpenApiExample("Not this person", value={"face_ids": [5188], "scope": "person:31"}, request_only=True),
                 OpenApiExample("The person without those faces", response_only=True, value={
                     **PERSON, "undo": {"action_id": 90, "label": "took 1 face out of Anna (not this person)"}})]
PERSON_FACES = [OpenApiExample("Faces, sharpest first", value=[FACE], response_only=True)]
UNDO = [OpenApiExample("Undo one change", value={"action_id": 88}, request_only=True),
        OpenApiExample("Undo this page's latest change", value={"scope": "person:31"}, request_only=True),
        OpenApiExample("Undone", value={"undone": "merge", "action_id": 88, "label": "merged 2 people into Anna"},
                       response_only=True),
        OpenApiExample("A later change depends on it", status_codes=["409"], response_only=True, value={"error": {
            "code": "undo_blocked", "message": "“merged 2 people into Anna” can't be undone: a later change depends on "
            "it (“split 2 faces off Anna into Person 58”). Undo that first.",
            "details": {"action_id": 88, "blocked_by": 89}}}),
        OpenApiExample("Nothing to undo", status_codes=["400"], response_only=True, value={"error": {
            "code": "invalid", "message": "There is nothing to undo.", "details": ["There is nothing to undo."]}})]
RECLUSTER_QUEUE = [OpenApiExample("Queued", status_codes=["202"], response_only=True,
                                  value={**JOB, "state": "queued", "result": None, "started_at": None,
                                         "finished_at": None, "seconds": None})]
RECLUSTER_GET = [OpenApiExample("Finished", value=JOB, response_only=True),
                 OpenApiExample("Never run", value={"state": "none"}, response_only=True)]
ANALYTICS = [OpenApiExample("Analytics", response_only=True, value={
    "event_id": 7, "appearances": [{"person_id": 31, "label": "Anna", "photos": 38, "hidden": False}],
    "most_photographed": [{"person_id": 31, "label": "Anna", "photos": 38, "hidden": False}],
    "photos": {"processed": 118, "with_recognised_person": 104, "without_recognised_person": 14, "without_faces": 9},
    "faces": {"assigned": 389, "unknown": 13, "low_quality": 29},
    "timings": {"processing_seconds": {"photos": 118, "median": 21.4, "p95": 58.0},
                "search_ms": {"searches": 12, "median": 35.0, "p95": 61.0}}})]
ALBUM_EMAIL = [OpenApiExample("Send the album link", value={"email": "anna@example.com"}, request_only=True),
               OpenApiExample("Sent", status_codes=["202"], value={"sent_to": "anna@example.com"}, response_only=True)]
FILE = [NOT_FOUND]
ALBUM_LINK = [OpenApiExample("Expired or forged link", status_codes=["404"], response_only=True, value={"error": {
    "code": "not_found", "message": "This album link is invalid or has expired.", "details": None}})]

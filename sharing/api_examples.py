"""Example bodies for the share-link, organizer, removal-request and guest operations (OpenAPI `examples`)."""
from drf_spectacular.utils import OpenApiExample

_PRINTABLE = "/api/v1/events/7/share-links/3/"
LINK = {"id": 3, "label": "Tables", "scope": "selfie", "person": None, "state": "active", "code": "K7QM-2XPD",
        "code_url": "https://visage.example/s/K7QM2XPD", "expires_at": "2026-09-20T00:00:00Z", "max_uses": None,
        "use_count": 14, "search_count": 22, "last_used_at": "2026-06-21T19:40:00Z", "has_pin": True,
        "allow_download": "originals", "watermark": False, "revoked_at": None, "created_at": "2026-06-20T10:00:00Z",
        "qr_png_url": _PRINTABLE + "qr.png", "qr_svg_url": _PRINTABLE + "qr.svg",
        "barcode_png_url": _PRINTABLE + "barcode.png", "card_png_url": _PRINTABLE + "card.png",
        "pin_lock": {"locked": False, "retry_after": 0, "wrong_pins": 3, "devices_locked": 0, "addresses_paused": 0}}
NOT_FOUND = OpenApiExample("Not yours or gone", status_codes=["404"], response_only=True,
                           value={"error": {"code": "not_found", "message": "Not found.", "details": None}})

LINK_LIST = [OpenApiExample("A page of share links", response_only=True, value={
    "count": 1, "next": None, "previous": None, "results": [LINK]})]
LINK_CREATE = [
    OpenApiExample("Selfie link with a PIN", request_only=True, value={
        "scope": "selfie", "label": "Tables", "expires_at": "2026-09-20T00:00:00Z", "pin": "4821",
        "allow_download": "originals"}),
    OpenApiExample("Selected photos (the gallery's Share)", request_only=True, value={
        "scope": "photos", "photo_ids": [1042, 1043, 1050], "label": "3 selected photos"}),
    OpenApiExample("Created (the token is shown only now)", status_codes=["201"], response_only=True, value={
        **LINK, "use_count": 0, "search_count": 0, "last_used_at": None,
        "token": "q3Vh1c0dS9Wm2nXo7Lr4YpTz", "url": "https://visage.example/s/q3Vh1c0dS9Wm2nXo7Lr4YpTz"}),
]
LINK_GET = [OpenApiExample("A share link", value=LINK, response_only=True)]
LINK_UNLOCK = [OpenApiExample("Unlocked: nobody waits", response_only=True, value={
    **LINK, "pin_lock": {"locked": False, "retry_after": 0, "wrong_pins": 0, "devices_locked": 0, "addresses_paused": 0}})]
LINK_UPDATE = [OpenApiExample("Remove the PIN, allow previews only", request_only=True,
                              value={"pin": None, "allow_download": "previews"}),
               OpenApiExample("Updated", response_only=True, value={**LINK, "has_pin": False, "allow_download": "previews"})]
LINK_REVOKE = [OpenApiExample("Revoked", response_only=True, value={
    **LINK, "state": "revoked", "revoked_at": "2026-06-22T08:00:00Z", "qr_png_url": None, "qr_svg_url": None,
    "card_png_url": None})]
PRINTABLE = [OpenApiExample("Revoked link: its QR code is gone", status_codes=["404"], response_only=True, value={
    "error": {"code": "not_found", "message": "This link is revoked: its QR code is gone.", "details": None}})]
ORGANIZER = {"user_id": 88, "email": "couple@example.com", "invited_by": "studio@example.com", "has_password": False,
             "created_at": "2026-06-01T12:00:00Z"}
ORGANIZER_LIST = [OpenApiExample("Organizers", value=[ORGANIZER], response_only=True)]
ORGANIZER_INVITE = [OpenApiExample("Invite", value={"email": "couple@example.com"}, request_only=True),
                    OpenApiExample("Invited", value=ORGANIZER, status_codes=["201"], response_only=True)]
ORGANIZER_REMOVE = [NOT_FOUND]
POLICY = [OpenApiExample("Keep guest data 90 days", value={"retention_days": 90})]
REMOVAL = {"id": 5, "state": "pending", "person_id": 31, "link_id": 3, "faces": 2, "face_ids": [5120, 5121],
           "hidden_for_everyone": False, "verified_at": None,
           "created_at": "2026-06-22T09:00:00Z", "decided_at": None, "decided_by": None,
           "log": [{"action": "filed", "at": "2026-06-22T09:00:00Z", "by": None, "faces": 2}]}
REMOVAL_LIST = [OpenApiExample("Requests, newest first", value=[REMOVAL], response_only=True)]
REMOVAL_DECIDE = [OpenApiExample("Confirmed", response_only=True, value={
    **REMOVAL, "state": "confirmed", "hidden_for_everyone": True, "decided_at": "2026-06-22T10:00:00Z",
    "decided_by": "studio@example.com"}),
    OpenApiExample("Already decided", status_codes=["409"], response_only=True, value={"error": {
        "code": "already_decided", "message": "This request was already confirmed.", "details": None}})]
GUEST_PHOTO = {"photo_id": 1042, "confidence": 93.5, "confidence_band": "very_likely",
               "preview_url": "/api/v1/guest/K7QM2XPD/photos/1042/preview",
               "original_url": "/api/v1/guest/K7QM2XPD/photos/1042/original"}
GUEST_LINK = [OpenApiExample("A selfie link with a PIN", response_only=True, value={
    "event_name": "Anna & Ben's wedding", "scope": "selfie", "requires_pin": True, "download": "originals",
    "consent_version": "2025-06-01.v1", "consent_text": "We compare your selfie with the faces in this event's photos…",
    "session_active": False}),
    OpenApiExample("Revoked link", status_codes=["410"], response_only=True, value={"error": {
        "code": "link_revoked", "message": "This link has been switched off by the organizer.", "details": None}})]
GUEST_SESSION = [OpenApiExample("Consent and PIN", value={"consent": True, "pin": "4821"}, request_only=True),
                 OpenApiExample("Session started", status_codes=["201"], response_only=True,
                                value={"session": "s3cr3t-Xb7…", "expires_at": "2026-06-22T21:00:00Z"})]
GUEST_SEARCH = [OpenApiExample("Matches", response_only=True, value={
    "matches": [GUEST_PHOTO], "note": "", "faces": [{"index": 0, "box": [120, 80, 260, 250], "usable": True}], "face": 0,
    "session": "s3cr3t-Xb7…"}),
    OpenApiExample("No consent", status_codes=["400"], response_only=True, value={"error": {
        "code": "consent_required", "message": "Please agree to face matching (consent=true) before we look at "
        "your selfie.", "details": None}})]
GUEST_PHOTOS = [OpenApiExample("Your photos", value={"photos": [GUEST_PHOTO]}, response_only=True)]
GUEST_FILE = [OpenApiExample("No session yet", status_codes=["403"], response_only=True, value={"error": {
    "code": "session_required", "message": "Your visit has ended or has not started yet. Open the link again to continue.", "details": None}})]
GUEST_FORGET = [OpenApiExample("Forgotten", response_only=True, value={
    "message": "Done. Your visit has ended and your consent is withdrawn. …", "faces_hidden": 2,
    "hidden_for_everyone": False, "request_state": "pending", "verify_token": None})]
GUEST_FORGET_VERIFY = [
    OpenApiExample("Hidden from everyone", response_only=True, value={
        "message": "Thank you. Those photos are now hidden from every guest until the studio reviews your request.",
        "hidden_for_everyone": True}),
    OpenApiExample("Another person's selfie", status_codes=["403"], response_only=True, value={"error": {
        "code": "selfie_mismatch", "message": "This selfie does not match the person you asked to remove. …",
        "details": None}})]
REMOVAL_POLICY = [OpenApiExample("Hide at once after a second selfie (schools)", value={"hide_at_once": True})]

"""The event page's camera upload card: credentials with a QR code, a new password (shown once, on
the page that answers the POST, never stored in the session), and the owners' on/off switch."""
import base64
from functools import lru_cache
from urllib.parse import quote

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from camera.conf import connection_details
from camera.services import camera_credentials, camera_password_rotate, camera_upload_switch
from events.access import EventAccess
from sharing.codes import qr_png
from web.views.common import event_page, event_tabs, permissions


def camera_card(request, access: EventAccess, credentials=None) -> dict | None:
    """The card's context, or None for roles that may not see camera credentials."""
    if not access.can("camera_upload"):
        return None
    details = connection_details(credentials=credentials or camera_credentials(event=access.event),
                                 request_host=request.get_host())
    uri = details["uri"]
    if details["password"]:  # camera apps that scan a URI get the whole login, on the one page that shows it
        uri = f"ftp://{quote(details['username'], safe='')}:{quote(details['password'], safe='')}@" \
              f"{details['host']}:{details['port']}/"
        qr = _qr_data_uri(uri)  # never cached: a password stays in memory no longer than its one page
    else:
        qr = _qr_data_uri_cached(uri)
    return {**details, "qr_uri": uri, "qr": qr, "block": _copy_block(details)}


def _qr_data_uri(uri: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(uri)).decode()


@lru_cache(maxsize=512)
def _qr_data_uri_cached(uri: str) -> str:
    """The password-less URI's QR (account and host only) is the same on every event page view:
    drawing and PNG-encoding it is 5–10 ms of CPU per view (timed alone; cProfile inflates it to ~120 ms)."""
    return _qr_data_uri(uri)


def _copy_block(details: dict) -> str:
    lines = [f"Host: {details['host']}", f"Port: {details['port']}", f"Username: {details['username']}"]
    if details["password"]:
        lines.append(f"Password: {details['password']}")
    lines += ["Mode: passive", f"FTPS (AUTH TLS): {details['tls']}"]
    return "\n".join(lines)


@require_POST
@event_page("camera_upload", "Your role on this event cannot manage camera upload.")
def camera_password_new(request, access):
    card = camera_card(request, access, camera_password_rotate(event=access.event))
    return render(request, "web/camera_password.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "photos"),
        "camera": card,
    })


@require_POST
@event_page("camera_switch", "Only studio owners and admins turn camera upload on or off.")
def camera_switch(request, access):
    enabled = request.POST.get("enabled") == "true"
    camera_upload_switch(event=access.event, enabled=enabled)
    messages.success(request, "Camera upload is on." if enabled else "Camera upload is off: cameras can no longer log in.")
    return redirect("web:event-detail", event_id=access.event.id)

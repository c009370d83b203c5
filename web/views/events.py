"""Event pages: create, edit, delete, and the event page (upload, progress, gallery)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import membership_can
from events.conf import uploads as uploads_config
from events import selectors, services
from web.gallery import gallery_people
from web.forms import EventForm
from web.views.camera import camera_card
from web.views.common import event_page, event_tabs, permissions, studio_page


@event_page("view")
def event_detail(request, access):
    return render(request, "web/event_detail.html", {
        "event": access.event,
        "access": access,
        "can": permissions(access),
        "counters": selectors.event_counters(event=access.event),
        "tabs": event_tabs(access, "photos"),
        "upload": _upload_tuning(),
        "camera": camera_card(request, access),
        "gallery_people": gallery_people(event=access.event),
    })


def _upload_tuning() -> dict[str, int]:
    """Small batches (one failure costs a few files) and a couple of requests in flight."""
    return {
        "batch_files": max(1, min(4, uploads_config().max_files_per_request)),
        "parallel": uploads_config().upload_parallel_requests,
        "max_bytes": uploads_config().max_upload_bytes,
        "max_mb": uploads_config().max_upload_bytes // (1024 * 1024),
    }


@require_http_methods(["GET", "POST"])
@studio_page
def event_create(request, membership):
    if not membership_can(membership, "create_event"):
        raise PermissionDenied("Only studio photographers, admins and owners create events.")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(studio=membership.studio, user=request.user, **form.cleaned_data)
        messages.success(request, f"“{event.name}” is ready. Drop your photos in to start.")
        return redirect("web:event-detail", event_id=event.id)
    return render(request, "web/event_form.html", {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@event_page("upload", "Your role on this event cannot edit it.")  # the API's PATCH needs the same permission
def event_edit(request, access):
    initial = {"name": access.event.name, "starts_on": access.event.starts_on}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=access.event, **form.cleaned_data)
        messages.success(request, "Event saved.")
        return redirect("web:event-detail", event_id=access.event.id)
    return render(request, "web/event_form.html", {"form": form, "event": access.event, "can": permissions(access)})


@require_http_methods(["GET", "POST"])
@event_page("delete", "Only studio owners and admins delete events.")
def event_delete(request, access):
    if request.method == "POST":
        name = access.event.name
        services.event_delete(event=access.event)
        messages.success(request, f"“{name}” and all its photos were deleted.")
        return redirect("web:dashboard")
    counters = selectors.event_counters(event=access.event)
    return render(request, "web/event_delete.html", {"event": access.event, "counters": counters})

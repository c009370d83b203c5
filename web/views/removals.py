"""The event's "removal requests" page: guests' "forget me" requests, confirmed or rejected here."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sharing.services.removals import RemovalAlreadyDecided, removal_request_decide, removal_request_list
from web.views.common import event_page, event_tabs, permissions


_CURATORS_ONLY = "Your role on this event cannot decide removal requests."


@require_http_methods(["GET"])
@event_page("curate", _CURATORS_ONLY)
def removal_requests(request, access):
    return render(request, "web/removals.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "removals"),
        "requests": removal_request_list(event=access.event),
    })


@require_POST
@event_page("curate", _CURATORS_ONLY)
def removal_request_decision(request, access, request_id: int):
    confirm = request.POST.get("decision") == "confirm"
    try:
        removal_request_decide(event=access.event, request_id=request_id, user=request.user, confirm=confirm)
        messages.success(request, "Confirmed: those faces stay hidden from guests." if confirm
                         else "Rejected: those faces are searchable by guests again.")
    except RemovalAlreadyDecided as exc:
        messages.error(request, exc.message)
    return redirect("web:event-removals", event_id=access.event.id)

"""The event's "removal requests" page: guests' "forget me" requests, confirmed or rejected here."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sharing.services.removals import RemovalAlreadyDecided, removal_request_decide, removal_request_list
from web.views.common import access_for, event_tabs, permissions


def _curator_access(request, event_id: int):
    access = access_for(request, event_id)
    if not access.can("curate"):
        raise PermissionDenied("Your role on this event cannot decide removal requests.")
    return access


@login_required
@require_http_methods(["GET"])
def removal_requests(request, event_id: int):
    access = _curator_access(request, event_id)
    return render(request, "web/removals.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "removals"),
        "requests": removal_request_list(event=access.event),
    })


@login_required
@require_POST
def removal_request_decision(request, event_id: int, request_id: int):
    access = _curator_access(request, event_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        removal_request_decide(event=access.event, request_id=request_id, user=request.user, confirm=confirm)
        messages.success(request, "Confirmed: those faces stay hidden from guests." if confirm
                         else "Rejected: those faces are searchable by guests again.")
    except RemovalAlreadyDecided as exc:
        messages.error(request, exc.message)
    return redirect("web:event-removals", event_id=access.event.id)

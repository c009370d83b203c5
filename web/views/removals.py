"""The event's "removal requests" page: guests' "forget me" requests, confirmed or rejected here."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from sharing.selectors import removal_policy_get
from sharing.services.removals import (
    RemovalAlreadyDecided, removal_policy_set, removal_request_decide, removal_request_list,
)
from web.views.common import event_page, event_tabs, permissions


_CURATORS_ONLY = "Your role on this event cannot decide removal requests."


@require_http_methods(["GET"])
@event_page("curate", _CURATORS_ONLY)
def removal_requests(request, access):
    tabs = event_tabs(access, "removals")
    return render(request, "web/removals.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": tabs,
        "requests": removal_request_list(event=access.event),
        "removals_pending": next(tab["badge"] for tab in tabs if tab["key"] == "removals"),
        "policy": removal_policy_get(event=access.event),
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


@require_POST
@event_page("curate", _CURATORS_ONLY)
def removal_policy_page(request, access):
    hide = request.POST.get("hide_at_once") == "1"
    removal_policy_set(event=access.event, hide_at_once=hide)
    messages.success(request, gettext("Saved: a second selfie now hides the faces from everyone pending review.") if hide
                     else gettext("Saved: a request hides the faces from the requester only until you decide."))
    return redirect("web:event-removals", event_id=access.event.id)

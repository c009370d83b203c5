"""The event's access page: share links (create, QR, card, revoke) and organizers.

The page is a shell; static/visage/js/sharing.js drives the share-link and organizer APIs. The
PIN locks section is rendered here, so an organizer can unlock a venue's guests without script.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sharing import pin_limits, selectors
from sharing.notify.subscriptions import notify_opted_in_count, notify_policy_get, notify_policy_set
from sharing.services.links import share_link_unlock
from sharing.selectors import studio_policy_get
from web.views.common import event_page, event_tabs, permissions


@event_page("share", "Your role on this event cannot manage its sharing.")
def sharing(request, access):
    return render(request, "web/sharing.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "sharing"),
        "pin_locks": _pin_locks(access.event),
        "link_defaults": studio_policy_get(studio=access.event.studio),  # a new link's starting values
        "notify": {"enabled": notify_policy_get(event=access.event).enabled,
                   "opted_in": notify_opted_in_count(event=access.event)},
    })


def _pin_locks(event) -> list[dict]:
    """The PIN links where guests wait now or wrong PINs were typed, with their state."""
    links = [link for link in selectors.share_link_list(event=event) if link.has_pin and link.revoked_at is None]
    states = pin_limits.lock_states(link_ids=[link.id for link in links])
    return [{"link": link, "state": states[link.id]} for link in links
            if states[link.id].locked or states[link.id].wrong_pins]


@require_POST
@event_page("share", "Your role on this event cannot manage its sharing.")
def share_link_unlock_page(request, access, link_id: int):
    link = share_link_unlock(link=selectors.share_link_get(event=access.event, link_id=link_id))
    messages.success(request, gettext("Unlocked: every guest of “%(link)s” can try the PIN again.") % {"link": link})
    return redirect("web:event-sharing", event_id=access.event.id)


@require_POST
@event_page("share", "Your role on this event cannot manage its sharing.")
def notify_policy_page(request, access):
    """The "new photos of me" switch (the API's PATCH /events/{id}/notify-policy/)."""
    enabled = notify_policy_set(event=access.event, enabled=request.POST.get("enabled") == "yes").enabled
    messages.success(request, "Guests are offered new-photo messages." if enabled else
                     "New-photo messages are off: nothing is offered or sent.")
    return redirect("web:event-sharing", event_id=access.event.id)

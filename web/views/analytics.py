"""The analytics page; the chart is drawn in the browser from the analytics API."""
from django.shortcuts import render

from web.views.common import event_page, event_tabs, permissions


@event_page("view")
def analytics(request, access):
    return render(request, "web/analytics.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "analytics"),
    })

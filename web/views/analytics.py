"""The analytics page; the chart is drawn in the browser from the analytics API."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from web.views.common import access_for, event_tabs, permissions


@login_required
def analytics(request, event_id: int):
    access = access_for(request, event_id)
    return render(request, "web/analytics.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "analytics"),
    })

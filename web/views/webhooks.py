"""The studio's webhooks page: list, add (the secret is shown once, on the answer to the add),
delete, recent deliveries with status and response time, redeliver. Owners and admins only."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import membership_can
from web.views.common import studio_page
from webhooks import selectors, services
from webhooks.models import EventType
from webhooks.urlsafety import WebhookUrlRefused


class WebhookForm(forms.Form):
    url = forms.URLField(label="Endpoint URL", max_length=2000, assume_scheme="https",
                         help_text="Visage POSTs signed JSON here; check each delivery's signature as shown above.")
    events = forms.MultipleChoiceField(choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[EventType.EVENT_PROCESSED])


def _manager(membership):
    if membership is None:
        raise Http404("No studio found for this account.")
    if not membership_can(membership, "administer"):
        raise PermissionDenied("Only the studio's owners and admins manage webhooks.")
    return membership.studio


def _page(request, studio, form, created=None, status=200):
    return render(request, "web/webhooks.html", {
        "studio": studio, "form": form, "created": created, "webhooks": selectors.webhook_list(studio=studio),
        "deliveries": selectors.studio_recent_deliveries(studio=studio),
    }, status=status)


@require_http_methods(["GET", "POST"])
@studio_page
def webhooks(request, membership):
    studio = _manager(membership)
    if request.method == "GET":
        return _page(request, studio, WebhookForm())
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _page(request, studio, form, status=400)
    try:
        created = services.webhook_create(studio=studio, user=request.user, **form.cleaned_data)
    except (WebhookUrlRefused, services.TooManyWebhooks) as exc:
        form.add_error("url" if isinstance(exc, WebhookUrlRefused) else None, exc.message)
        return _page(request, studio, form, status=400)
    # Rendered, not redirected: the secret is on this answer only (never in a cookie or a URL).
    return _page(request, studio, WebhookForm(), created=created, status=201)


@require_POST
@studio_page
def webhook_delete(request, membership, webhook_id: int):
    webhook = selectors.webhook_get(studio=_manager(membership), webhook_id=webhook_id)
    services.webhook_delete(webhook=webhook)
    messages.success(request, f"Removed the webhook to {webhook.url}.")
    return redirect("web:webhooks")


@require_POST
@studio_page
def webhook_ping(request, membership, webhook_id: int):
    webhook = selectors.webhook_get(studio=_manager(membership), webhook_id=webhook_id)
    services.webhook_ping(webhook=webhook)
    messages.success(request, f"A test delivery to {webhook.url} is on its way; it appears below.")
    return redirect("web:webhooks")


@require_POST
@studio_page
def delivery_redeliver(request, membership, webhook_id: int, delivery_id):
    webhook = selectors.webhook_get(studio=_manager(membership), webhook_id=webhook_id)
    services.delivery_redeliver(delivery=selectors.delivery_get(webhook=webhook, delivery_uid=delivery_id))
    messages.success(request, "Queued again as a new delivery.")
    return redirect("web:webhooks")

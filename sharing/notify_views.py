"""Guest pages of "new photos of me": the opt-in form on the photos page (its POST here), opting
out, a message's way back to the gallery, and the unsubscribe page. Same services as the API."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.api import dangerously_unscoped
from sharing.apis import base_url
from sharing.authentication import GuestAccess, set_session_cookie
from sharing.clients import client_from_request
from sharing.errors import GuestError, NotifyLinkInvalid
from sharing.guest_messages import guest_message
from sharing.models import NotifyMedium
from sharing.notify.consent import notify_consent_text_for
from sharing.notify.page import offer_cookie_name
from sharing.notify.links import guest_session_restore, subscription_for_unsubscribe
from sharing.notify.optin import notify_opt_in_confirmed
from sharing.notify.subscriptions import notify_opt_out, notify_unsubscribe
from sharing.services.access import share_link_resolve
from sharing.views import _error_page, guest_page


@require_POST
@guest_page
def notify_subscribe(request, key: str, guest: GuestAccess):
    if guest.session is None:
        return redirect("sharing:landing", key=key)
    shown = notify_consent_text_for(request.POST.get("consent_language") or request.LANGUAGE_CODE)
    try:
        notify_opt_in_confirmed(
            session=guest.session, client=guest.client, consent=request.POST.get("notify_consent") == "yes",
            shown=shown, medium=request.POST.get("medium", NotifyMedium.EMAIL),
            address=request.POST.get("address", "")[:254],
            offer_token=request.COOKIES.get(offer_cookie_name(guest.link), ""),
            language=request.LANGUAGE_CODE, base_url=base_url(request))
    except GuestError as error:
        if error.status == 410:
            raise
        messages.error(request, guest_message(error))
        return redirect(reverse("sharing:photos", args=[key]) + "#notify")
    messages.success(request, _("Done: we will write to you when new photos of you arrive."))
    response = redirect(reverse("sharing:photos", args=[key]) + "#notify")
    response.delete_cookie(offer_cookie_name(guest.link), path="/")
    return response


@require_POST
@guest_page
def notify_stop(request, key: str, guest: GuestAccess):
    if guest.session is not None:
        notify_opt_out(session=guest.session)
        messages.success(request, _("Done: no more messages, and your face data and address are deleted."))
    return redirect("sharing:photos", key=key)


def notify_back(request, key: str, token: str):
    """A message's link: a new visit with the opt-in's photos, the new ones marked; no selfie.

    Not through guest_page: a link whose uses are all taken still lets its guests back in (this
    guest spent theirs when they searched); revoked and expired links answer 410 as everywhere."""
    try:
        link = share_link_resolve(key=key, client=client_from_request(request))
        session, secret = guest_session_restore(link=link, token=token)
    except GuestError as error:
        return _error_page(request, error, key=key)
    photo = request.GET.get("photo", "")
    listed = {photo_id for photo_id, _face, _conf in session.matches}
    if photo.isdigit() and int(photo) in listed:
        response = redirect("sharing:photo", key=key, photo_id=int(photo))
    else:
        response = redirect("sharing:photos", key=key)
    set_session_cookie(response, link=link, session=session, secret=secret)
    return response


notify_back.visage_scope = "guest-link"  # everything it reaches is looked up through the link and the signed opt-in


@csrf_exempt  # mail clients' one-click unsubscribe (RFC 8058) posts without a form; the signed token is the credential
@require_http_methods(["GET", "POST"])
@dangerously_unscoped("the signed unsubscribe link names one opt-in, and the only thing it can do is delete it")
def notify_unsubscribe_page(request, token: str):
    try:
        subscription = subscription_for_unsubscribe(token=token)
    except NotifyLinkInvalid as error:
        return _error_page(request, error)
    if request.method == "GET":  # mail scanners open links: only a POST deletes
        return render(request, "sharing/unsubscribe.html", {"token": token, "gone": subscription is None,
                                                            "event_name": subscription.event.name if subscription else ""})
    if subscription is not None:
        notify_unsubscribe(subscription=subscription)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(status=200)
    return render(request, "sharing/unsubscribe.html", {"token": token, "done": True})

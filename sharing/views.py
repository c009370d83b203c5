"""Guest pages: code → landing → PIN → consent → selfie → photos → forget me. Mobile first.

They call the same services as the guest API, and show every GuestError as a friendly page
(404 unknown, 410 revoked/expired/used up, 429 slow down) — never a trace.
"""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from core.api import public
from sharing import selectors
from sharing.authentication import GuestAccess, guest_access_for, session_cookie_name, set_session_cookie
from sharing.clients import client_from_request
from sharing.consent import consent_record_shown, consent_text_for
from sharing.errors import GuestError, LinkNotFound, SessionRequired
from sharing.models import Download, Scope
from sharing.services.access import guest_pin_verify, guest_session_start, share_link_resolve
from sharing.services.guests import guest_search, guest_search_throttle
from sharing.services.removals import guest_forget, removal_verify
from sharing.services.links import normalize_code
from sharing.thumbs import guest_thumbnail
from sharing.guest_messages import guest_message
from sharing.notify.page import notify_context, offer_cookie_name, offer_cookie_set
from sharing.notify.subscriptions import notify_offer

_PIN_OK = "sharing:pin-ok:{link_id}"


def _error_page(request, error: GuestError, *, key: str = ""):
    context = {"error": error, "message": guest_message(error), "key": key}
    response = render(request, "sharing/unavailable.html", context, status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


def guest_page(view):
    """Resolve the link (and the guest's session) for `key`, or answer with the error page."""
    def wrapper(request, key: str, **kwargs):
        try:
            guest = guest_access_for(request, key)
            return view(request, key, guest, **kwargs)
        except GuestError as error:
            return _error_page(request, error, key=key)
    wrapper.__name__ = view.__name__
    wrapper.visage_scope = "guest-link"  # everything inside is looked up through the link's event
    return wrapper


def _next_step(key: str, guest: GuestAccess, request) -> str:
    link = guest.link
    if guest.session is not None:
        wants_selfie = link.scope == Scope.SELFIE and not guest.session.searched
        return reverse("sharing:selfie" if wants_selfie else "sharing:photos", args=[key])
    if link.has_pin and not request.session.get(_PIN_OK.format(link_id=link.id)):
        return reverse("sharing:pin", args=[key])
    return reverse("sharing:consent", args=[key])


@require_http_methods(["GET", "POST"])
@public("the short-code form: resolves a code to its link, rate-limited")
def code_entry(request):
    code = normalize_code(request.POST.get("code", ""))
    if request.method == "GET":
        return render(request, "sharing/code.html", {})
    try:
        share_link_resolve(key=code, client=client_from_request(request))
    except LinkNotFound as error:
        return render(request, "sharing/code.html", {"error": guest_message(error), "code": request.POST.get("code", "")}, status=404)
    except GuestError as error:
        return _error_page(request, error, key=code)
    return redirect("sharing:landing", key=code)


@guest_page
def landing(request, key: str, guest: GuestAccess):
    return render(request, "sharing/landing.html", {"link": guest.link, "key": key, "next": _next_step(key, guest, request)})


@require_http_methods(["GET", "POST"])
@guest_page
def pin(request, key: str, guest: GuestAccess):
    if request.method == "POST":
        try:
            guest_pin_verify(link=guest.link, pin=request.POST.get("pin", "").strip(), client=guest.client)
        except GuestError as error:
            if error.status == 410:
                raise
            response = render(request, "sharing/pin.html", {"link": guest.link, "key": key, "error": guest_message(error)},
                              status=error.status)
            if error.retry_after:  # a lockout: the page says how long in words, the header in seconds
                response["Retry-After"] = str(error.retry_after)
            return response
        request.session[_PIN_OK.format(link_id=guest.link.id)] = True
        return redirect("sharing:consent", key=key)
    return render(request, "sharing/pin.html", {"link": guest.link, "key": key})


@require_http_methods(["GET", "POST"])
@guest_page
def consent(request, key: str, guest: GuestAccess):
    link = guest.link
    if guest.session is not None or (link.has_pin and not request.session.get(_PIN_OK.format(link_id=link.id))):
        return redirect(_next_step(key, guest, request))
    if request.method == "GET":
        context = {"link": link, "key": key, "consent": consent_text_for(request.LANGUAGE_CODE, studio_id=link.studio_id)}
        return render(request, "sharing/consent.html", context)
    # The text the guest read and ticked: the language its page was shown in, not today's cookie.
    shown = consent_text_for(request.POST.get("consent_language") or request.LANGUAGE_CODE, studio_id=link.studio_id)
    if request.POST.get("consent") != "yes":
        context = {"link": link, "key": key, "consent": shown,
                   "error": _("Please tick the box to agree, or close this page.")}
        return render(request, "sharing/consent.html", context, status=400)
    with transaction.atomic():
        guest.session, secret = guest_session_start(link=link, consent=True, client=guest.client)
        consent_record_shown(session=guest.session, shown=shown)
    response = redirect(_next_step(key, guest, request))
    set_session_cookie(response, link=link, session=guest.session, secret=secret)
    return response


@require_http_methods(["GET", "POST"])
@guest_page
def selfie(request, key: str, guest: GuestAccess):
    if guest.session is None:
        return redirect(_next_step(key, guest, request))
    context = {"link": guest.link, "key": key}
    if request.method == "GET":
        return render(request, "sharing/selfie.html", context)
    # selfie.js posts with Accept: application/json and, for a selfie with several faces, asks
    # "which one is you?" and posts again with face=<index>; without script the best face is used.
    wants_json = "application/json" in request.headers.get("Accept", "")
    face = request.POST.get("face", "")
    try:
        guest_search_throttle(link=guest.link, client=guest.client)
        outcome = guest_search(session=guest.session, selfie=request.FILES.get("selfie"),
                               face=int(face) if face.isdigit() else None)
    except GuestError as error:
        if error.status == 410:
            raise
        if wants_json:
            return JsonResponse({"error": guest_message(error)}, status=error.status)
        return render(request, "sharing/selfie.html", {**context, "error": guest_message(error)}, status=error.status)
    if wants_json:
        response = JsonResponse({"faces": outcome.faces, "face": outcome.face, "matches": len(outcome.matches),
                                 "next": reverse("sharing:photos", args=[key])})
    else:
        if outcome.note:
            messages.info(request, str(outcome.note))  # lazy: in the guest's language
        response = redirect("sharing:photos", key=key)
    offer_cookie_set(response, guest=guest, token=notify_offer(session=guest.session, embedding=outcome.embedding))
    return response


def _gallery(guest: GuestAccess) -> list[selectors.GuestPhoto] | None:
    """The guest's photos, or None while the visit has not reached them (no session, no selfie yet)."""
    if guest.session is None or (guest.link.scope == Scope.SELFIE and not guest.session.searched):
        return None
    return selectors.guest_photo_list(session=guest.session)


def _gallery_context(key: str, guest: GuestAccess) -> dict:
    return {"link": guest.link, "key": key, "can_download": guest.link.download != Download.NONE,
            "originals": guest.link.download == Download.ORIGINALS, "searched": guest.session.searched}


@guest_page
def photos(request, key: str, guest: GuestAccess):
    items = _gallery(guest)
    if items is None:
        return redirect(_next_step(key, guest, request))
    return render(request, "sharing/photos.html", {**_gallery_context(key, guest), "items": items,
                                                   **notify_context(request, guest)})


@guest_page
def photo(request, key: str, guest: GuestAccess, photo_id: int):
    """One photo, full screen: previous/next/back are plain links; viewer.js adds swipe, keys and share."""
    items = _gallery(guest)
    if items is None:
        return redirect(_next_step(key, guest, request))
    ids = [item.photo.id for item in items]
    if photo_id not in ids:
        raise Http404("No such photo in your gallery.")
    index = ids.index(photo_id)
    return render(request, "sharing/photo.html", {
        **_gallery_context(key, guest), "item": items[index], "number": index + 1, "count": len(ids),
        "prev_id": ids[index - 1] if index > 0 else None, "next_id": ids[index + 1] if index + 1 < len(ids) else None,
    })


@guest_page
def photo_thumb(request, key: str, guest: GuestAccess, photo_id: int):
    if guest.session is None:
        raise SessionRequired()
    found = selectors.guest_photo_get(session=guest.session, photo_id=photo_id)
    response = HttpResponse(guest_thumbnail(session=guest.session, photo=found), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"  # a guest's own photos: never in shared caches
    return response


@require_http_methods(["GET", "POST"])
@guest_page
def forget(request, key: str, guest: GuestAccess):
    if guest.session is None:
        return redirect(_next_step(key, guest, request))
    if request.method == "GET":
        return render(request, "sharing/forget.html", {"link": guest.link, "key": key})
    filed = guest_forget(session=guest.session, client=guest.client)
    request.session.pop(_PIN_OK.format(link_id=guest.link.id), None)  # a later visit starts from the beginning
    response = render(request, "sharing/forgotten.html", {
        "link": guest.link, "key": key, "verify_token": filed.verify_secret if filed else ""})
    response.delete_cookie(session_cookie_name(guest.link), path="/")
    response.delete_cookie(offer_cookie_name(guest.link), path="/")  # the search's sealed face, on the guest's device
    return response


set_language = public("sets the guest's language cookie and goes back; touches no data")(django_set_language)


@require_http_methods(["POST"])
@guest_page
def forget_verify(request, key: str, guest: GuestAccess):
    """Events that hide at once: the second, fresh selfie (the API's /forget/verify)."""
    context = {"link": guest.link, "key": key, "verify_token": request.POST.get("verify_token", "")}
    if request.POST.get("consent") != "yes":
        return render(request, "sharing/forgotten.html", {**context, "error": _("Please tick the box to agree, or close this page.")}, status=400)
    try:
        removal_verify(link=guest.link, client=guest.client, secret=context["verify_token"],
                       selfie=request.FILES.get("selfie"))
    except GuestError as error:
        if error.status == 410:
            raise
        return render(request, "sharing/forgotten.html", {**context, "error": guest_message(error)}, status=error.status)
    return render(request, "sharing/forgotten.html", {**context, "verified": True})


@public("Django's signed password-reset token is the credential; touches only that user")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """An invited organizer chooses a password (Django's one-time reset tokens)."""

    template_name = "sharing/set_password.html"
    success_url = reverse_lazy("sharing:set-password-done")


@public("a static page")
class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "sharing/set_password_done.html"


"""What can go wrong for a guest, with the status and a message a guest can act on.

Services raise these; the guest API and the guest pages turn them into responses. None of
them says anything about the event or its photos beyond what the guest already holds.
Messages are lazy: rendered in English by the API, in the guest's language by the pages.
"""
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.errors import DomainError


class GuestError(DomainError):
    """A guest-facing domain error (status, stable code, message; core.api_errors renders it)."""


def interpolated(template, **params):
    """`template % params`, put off until the message is shown: a number in a guest error must not
    fix its language when it is raised (ngettext_lazy templates name their count: "n", "left")."""
    return lazy(lambda: str(template % params), str)()


class LinkNotFound(GuestError):
    status, code = 404, "unknown_link"
    message = gettext_lazy("We don't know this link or code. Check it for typos, or ask the organizer for a new one.")


class LinkGone(GuestError):
    status = 410
    MESSAGES = {
        "revoked": gettext_lazy("This link has been switched off by the organizer."),
        "expired": gettext_lazy("This link has expired."),
        "exhausted": gettext_lazy("This link has been used as many times as the organizer allowed."),
    }

    def __init__(self, state: str):
        self.code = f"link_{state}"
        super().__init__(self.MESSAGES.get(state, gettext_lazy("This link is no longer available.")))


class RateLimited(GuestError):
    status, code = 429, "rate_limited"
    message = gettext_lazy("Too many attempts. Please wait a little and try again.")


class PinRequired(GuestError):
    status, code = 403, "pin_required"
    message = gettext_lazy("This gallery is protected by a PIN. Enter the PIN you were given.")


class PinWrong(GuestError):
    status, code = 403, "pin_wrong"
    message = gettext_lazy("That PIN is not right.")


class PinLocked(GuestError):
    status, code = 429, "pin_locked"
    message = gettext_lazy("Too many wrong PINs. Please wait and try again later.")

    @classmethod
    def waiting(cls, seconds: int) -> "PinLocked":
        """The refusal with the wait in words, rounded up (the Retry-After header has it in seconds)."""
        if seconds < 60:
            return cls(interpolated(ngettext_lazy("Too many wrong PINs. Please wait %(n)d second, then try again.",
                                                  "Too many wrong PINs. Please wait %(n)d seconds, then try again.", "n"),
                                    n=seconds), retry_after=seconds)
        return cls(interpolated(ngettext_lazy("Too many wrong PINs. Please wait %(n)d minute, then try again.",
                                              "Too many wrong PINs. Please wait %(n)d minutes, then try again.", "n"),
                                n=-(-seconds // 60)), retry_after=seconds)


class ConsentMissing(GuestError):
    status, code = 400, "consent_required"
    message = gettext_lazy("Please agree to face matching (consent=true) before we look at your selfie.")


class SelfieRejected(GuestError):
    status, code = 400, "selfie_rejected"


class SessionRequired(GuestError):
    status, code = 403, "session_required"
    message = gettext_lazy("Your visit has ended or has not started yet. Open the link again to continue.")


class DownloadNotAllowed(GuestError):
    status, code = 403, "download_not_allowed"
    message = gettext_lazy("The organizer has not allowed downloads through this link.")


class RemovalNotFound(GuestError):
    status, code = 404, "removal_not_found"
    message = gettext_lazy("We don't know this request, or it was filed from another phone.")


class RemovalVerifyExpired(GuestError):
    status, code = 410, "removal_verify_expired"
    message = gettext_lazy("This request can no longer be checked with a selfie. The studio will review it.")


class SelfieNotFresh(GuestError):
    status, code = 400, "selfie_not_fresh"
    message = gettext_lazy("Take a new selfie now: the photo you searched with cannot be used again.")


class SelfieMismatch(GuestError):
    status, code = 403, "selfie_mismatch"
    message = gettext_lazy("This selfie does not match the person you asked to remove. The photos stay hidden "
                           "from you, and the studio will review your request.")


# "Tell me when there are new photos of me" (sharing.notify)
class NotifyConsentMissing(GuestError):
    status, code = 400, "notify_consent_required"
    message = gettext_lazy("Please tick the box to agree to be told about new photos (consent=true).")


class NotifyUnavailable(GuestError):
    status, code = 409, "notify_unavailable"
    message = gettext_lazy("New-photo messages are not offered for this event.")


class NotifyAddressInvalid(GuestError):
    status, code = 400, "notify_address_invalid"
    message = gettext_lazy("Please enter a valid e-mail address.")


class NotifyPhoneInvalid(GuestError):
    status, code = 400, "notify_phone_invalid"
    message = gettext_lazy("Please enter your phone number with its country code, like +44 7700 900123.")


class NotifySearchFirst(GuestError):
    status, code = 400, "notify_search_first"
    message = gettext_lazy("Search with a selfie first: we use that search's face to find new photos of you.")


class NotifyLinkInvalid(GuestError):
    status, code = 404, "notify_link_invalid"
    message = gettext_lazy("This link is not valid any more. You may have unsubscribed, or the event's "
                           "notification period has ended.")

"""What can go wrong for a guest, with the status and a message a guest can act on.

Services raise these; the guest API and the guest pages turn them into responses. None of
them says anything about the event or its photos beyond what the guest already holds.
"""
from django.utils.translation import gettext, gettext_lazy, ngettext

from core.errors import DomainError


class GuestError(DomainError):
    """A guest-facing domain error (status, stable code, message; core.api_errors renders it)."""


class LinkNotFound(GuestError):
    status, code = 404, "unknown_link"
    message = "We don't know this link or code. Check it for typos, or ask the organizer for a new one."


class LinkGone(GuestError):
    status = 410
    MESSAGES = {
        "revoked": "This link has been switched off by the organizer.",
        "expired": "This link has expired.",
        "exhausted": "This link has been used as many times as the organizer allowed.",
    }

    def __init__(self, state: str):
        self.code = f"link_{state}"
        super().__init__(self.MESSAGES.get(state, "This link is no longer available."))


class RateLimited(GuestError):
    status, code = 429, "rate_limited"
    message = "Too many attempts. Please wait a little and try again."


class PinRequired(GuestError):
    status, code = 403, "pin_required"
    message = "This gallery is protected by a PIN. Enter the PIN you were given."


class PinWrong(GuestError):
    status, code = 403, "pin_wrong"
    message = "That PIN is not right."


class PinLocked(GuestError):
    status, code = 429, "pin_locked"
    message = "Too many wrong PINs. Please wait and try again later."

    @classmethod
    def waiting(cls, seconds: int) -> "PinLocked":
        """The refusal with the wait in words (the Retry-After header has it in seconds)."""
        return cls(gettext("Too many wrong PINs. Please wait %(wait)s, then try again.") % {"wait": wait_words(seconds)},
                   retry_after=seconds)


def wait_words(seconds: int) -> str:
    """ "40 seconds", "15 minutes" (rounded up: a guest who waits that long gets in)."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


class ConsentMissing(GuestError):
    status, code = 400, "consent_required"
    message = "Please agree to face matching (consent=true) before we look at your selfie."


class SelfieRejected(GuestError):
    status, code = 400, "selfie_rejected"


class SessionRequired(GuestError):
    status, code = 403, "session_required"
    message = "Your visit has ended or has not started yet. Open the link again to continue."


class DownloadNotAllowed(GuestError):
    status, code = 403, "download_not_allowed"
    message = "The organizer has not allowed downloads through this link."


class PhotoNotFound(GuestError):
    status, code = 404, "photo_not_found"
    message = "No such photo in your gallery."


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

"""Guest errors and notes in the guest's language on the guest pages (the API keeps English).

Services raise their messages in English (sharing.errors, sharing.services.guests); the pages look
each one up in the catalogue. The list below only tells `makemessages` about them: a message that
is not here (or that carries a number) is shown in English rather than not at all.
"""
from django.utils.translation import gettext, gettext_noop

from sharing.errors import GuestError

KNOWN = [
    gettext_noop("We don't know this link or code. Check it for typos, or ask the organizer for a new one."),
    gettext_noop("This link has been switched off by the organizer."),
    gettext_noop("This link has expired."),
    gettext_noop("This link has been used as many times as the organizer allowed."),
    gettext_noop("This link is no longer available."),
    gettext_noop("Too many attempts. Please wait a little and try again."),
    gettext_noop("This gallery is protected by a PIN. Enter the PIN you were given."),
    gettext_noop("That PIN is not right."),
    gettext_noop("Too many wrong PINs. Please wait and try again later."),
    gettext_noop("Your visit has ended or has not started yet. Open the link again to continue."),
    gettext_noop("The organizer has not allowed downloads through this link."),
    gettext_noop("No such photo in your gallery."),
    gettext_noop("Search is paused while this event's photos are being re-analysed. Try again later."),
    gettext_noop("That file is not a photo we can read. Please take a selfie or choose a JPEG or PNG."),
    gettext_noop("We couldn't find a face in that photo. Try again facing the camera, in good light."),
    gettext_noop("We found a face but couldn't see it clearly enough. Try again closer, facing the camera, in good light."),
    gettext_noop("No photos matched your face yet."),
]


def guest_message(error: GuestError) -> str:
    return gettext(error.message)

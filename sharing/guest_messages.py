"""Guest errors in the guest's language on the guest pages (the API keeps English).

Services raise their messages as lazy strings marked for makemessages (sharing.errors,
sharing.services): rendered here, while the page's language is active. A plain string from
elsewhere is looked up in the catalogue, and shown in English when it is not there.
"""
from django.utils.translation import gettext

from sharing.errors import GuestError


def guest_message(error: GuestError) -> str:
    message = error.message
    return gettext(message) if isinstance(message, str) else str(message)

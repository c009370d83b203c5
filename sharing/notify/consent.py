"""The opt-in's own consent text: separate from the search consent, versioned the same way
(change the English text → change NOTIFY_CONSENT_VERSION; a translation → its entry)."""
from django.utils.translation import gettext_noop

from sharing.consent import ConsentText, translated_text

NOTIFY_CONSENT_VERSION = "2026-12-03.v1"
NOTIFY_CONSENT_TEXT = gettext_noop(
    "To tell you when new photos of you arrive, we keep the face data of the selfie you just took "
    "(not the photo itself), encrypted, together with your e-mail address or phone number, and compare "
    "it with each new photo of this event. We write to you at most once every few minutes, only about "
    "photos you are in, and never after the event's notification period or its retention period ends. "
    "Every message has a link that stops the messages and deletes this data at once; \"Forget me\" "
    "deletes it too."
)
NOTIFY_TRANSLATION_VERSIONS = {"fr": "2026-12-03.1", "de": "2026-12-03.1", "es": "2026-12-03.1"}


def notify_consent_text_for(language: str | None) -> ConsentText:
    return translated_text(language, text=NOTIFY_CONSENT_TEXT, version=NOTIFY_CONSENT_VERSION,
                           versions=NOTIFY_TRANSLATION_VERSIONS)

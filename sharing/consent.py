"""The consent text a guest agrees to before their selfie is compared with the event's faces.

Change the English text → change CONSENT_VERSION; change a translation → bump its entry in
TRANSLATION_VERSIONS; a studio's own note under it is versioned by its StudioPolicy.consent_note_version.
Every GuestConsent row records the version and the language it was given in.
"""
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext_noop

from sharing.models import GuestConsent, GuestSession, StudioPolicy

CONSENT_VERSION = "2025-06-01.v1"
CONSENT_TEXT = gettext_noop(
    "To find the photos you appear in, we compare a selfie you take now with the faces in "
    "this event's photos. Your selfie is used for this search only and is not stored. "
    "We record that you agreed, when, a one-way hash of your IP address and your browser "
    "name, to show that consent was given. Face data of the event's photos is deleted when "
    "the event's retention period ends. You can withdraw at any time with \"Forget me\": "
    "the faces matched to you are then excluded from all further guest searches."
)
# Each translation of CONSENT_TEXT has its own version: fixing the French wording changes what French
# guests agree to, not what English ones did.
TRANSLATION_VERSIONS = {"fr": "2026-12-03.1", "de": "2026-12-03.1", "es": "2026-12-03.1"}
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class ConsentText:
    text: str
    version: str  # "2025-06-01.v1" (English), "2025-06-01.v1/fr-2026-12-03.1", "…+studio.3" with a studio's note
    language: str
    studio_note: str = ""  # the studio's own words under the text (studio settings), in the studio's language


def consent_text_for(language: str | None, *, studio_id: int | None = None) -> ConsentText:
    """The consent text in `language`, or the English one where that language has no translation of
    the current text (a stale catalogue falls back to English, and the record then says "en").
    With `studio_id`, the studio's own note (studio settings) comes under it, and the version says
    which edit of that note the guest was shown ("+studio.N": N counts the note's changes)."""
    shown = translated_text(language, text=CONSENT_TEXT, version=CONSENT_VERSION, versions=TRANSLATION_VERSIONS)
    note = StudioPolicy.objects.filter(studio_id=studio_id).values_list("consent_note", "consent_note_version").first() \
        if studio_id else None
    if not note or not note[0]:
        return shown
    return replace(shown, version=f"{shown.version}+studio.{note[1]}", studio_note=note[0])


def translated_text(language: str | None, *, text: str, version: str, versions: dict[str, str]) -> ConsentText:
    """A versioned text (a consent) in `language`, or in English where it has no current translation."""
    english = ConsentText(text, version, SOURCE_LANGUAGE)
    language = (language or "").split("-")[0].lower()
    if language not in versions:
        return english
    with translation.override(language):
        shown = translation.gettext(text)
    if shown == text:
        return english
    return ConsentText(shown, f"{version}/{language}-{versions[language]}", language)


def consent_record_shown(*, session: GuestSession, shown: ConsentText) -> None:
    """Say on the session's consent record which text the guest was shown (the record is made in
    English terms by guest_session_start; the page knows the language it showed)."""
    GuestConsent.objects.filter(session=session).update(text_version=shown.version, language=shown.language)

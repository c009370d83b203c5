"""The consent text a guest agrees to before their selfie is compared with the event's faces.

Change the text → change the version: every GuestConsent row records the version it was given for.
"""
CONSENT_VERSION = "2025-06-01.v1"
CONSENT_TEXT = (
    "To find the photos you appear in, we compare a selfie you take now with the faces in "
    "this event's photos. Your selfie is used for this search only and is not stored. "
    "We record that you agreed, when, a one-way hash of your IP address and your browser "
    "name, to show that consent was given. Face data of the event's photos is deleted when "
    "the event's retention period ends. You can withdraw at any time with \"Forget me\": "
    "the faces matched to you are then excluded from all further guest searches."
)

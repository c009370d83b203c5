"""Time-limited album download links for email: a signed person id, no login needed."""
from django.core import signing
from django.core.mail import send_mail
from django.http import Http404
from django.urls import reverse

from events.models import EventOrganizer
from recognition import conf
from recognition.albums import album_photos, person_label
from recognition.models import Person
from core.errors import DomainError
from core.mail import mail_subject
from core.tenancy.models import Membership

_SALT = "visage.album-link"


def album_link_token(person: Person) -> str:
    return signing.dumps({"person": person.id, "event": person.event_id}, salt=_SALT, compress=True)


def album_link_person(token: str) -> Person:
    """The person a link points to; expired, tampered or stale links are a 404."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=conf.album_link_days() * 86400)
    except signing.BadSignature:
        raise Http404("This album link is invalid or has expired.") from None
    person = Person.objects.filter(id=data["person"], event_id=data["event"], hidden=False).first()
    if person is None:
        raise Http404("This album is no longer available.")
    return person


class RecipientNotAllowed(DomainError):
    status, code = 400, "recipient_not_allowed"
    message = ("Album links can only be e-mailed to your own address, a member of the studio, or an organizer of "
               "this event. To give a guest their album, create a person share link for them instead.")


def album_email_allowed(*, person: Person, email: str, user) -> bool:
    """An album link is a capability to download originals: it may go only to people who could
    see the album anyway (the sender, the studio's members, the event's organizers), never to
    an arbitrary address typed in."""
    email = email.strip().lower()
    if getattr(user, "email", "").lower() == email:
        return True
    members = Membership.objects.filter(studio_id=person.studio_id, user__email__iexact=email, user__is_active=True)
    organizers = EventOrganizer.objects.filter(event_id=person.event_id, user__email__iexact=email,
                                               user__is_active=True)
    return members.exists() or organizers.exists()


def album_email_send(*, person: Person, email: str, base_url: str, user=None) -> str:
    if not album_email_allowed(person=person, email=email, user=user):
        raise RecipientNotAllowed()
    url = base_url.rstrip("/") + reverse("api:album-link-download", args=[album_link_token(person)])
    count = album_photos(person).count()
    body = (
        f"Hello,\n\nThe photos of {person_label(person)} from “{person.event.name}” are ready: {count} photo(s), "
        f"as one zip of the original files.\n\nDownload: {url}\n\nThe link works for "
        f"{conf.album_link_days()} days.\n"
    )
    send_mail(mail_subject(f"Your photos from {person.event.name}"), body, None, [email])
    return url

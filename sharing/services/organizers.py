"""Organizers: the event's clients, invited by email, who manage its sharing and nothing else.

A new address gets an account with no usable password and an email with a one-time
set-password link (Django's password-reset tokens: they stop working once the password is
set, and after PASSWORD_RESET_TIMEOUT).
"""
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from events.models import Event, EventOrganizer
from core.mail import mail_subject
from core.tenancy.api_keys import service_address_refuse
from core.tenancy.models import User


@transaction.atomic
def organizer_invite(*, event: Event, email: str, invited_by: User | None, base_url: str) -> EventOrganizer:
    email = User.objects.normalize_email(email).strip().lower()
    service_address_refuse(email)  # an API key's account stays in its own studio
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)  # unusable until they set one
    organizer, created = EventOrganizer.objects.get_or_create(
        event=event, user=user, defaults={"studio_id": event.studio_id, "invited_by": invited_by},
    )
    if created or not user.has_usable_password():  # a repeated invite re-sends a fresh link
        message = _invite_message(event=event, user=user, invited_by=invited_by, base_url=base_url)
        subject = mail_subject(f"You can now manage sharing for {event.name}")
        transaction.on_commit(lambda: send_mail(subject, message, None, [user.email]))
    return organizer


def organizer_remove(*, event: Event, user_id: int) -> bool:
    deleted, _ = EventOrganizer.objects.filter(event=event, user_id=user_id).delete()
    return bool(deleted)


def _invite_message(*, event: Event, user: User, invited_by: User | None, base_url: str) -> str:
    inviter = f"{invited_by.email} ({event.studio.name})" if invited_by else event.studio.name
    lines = [f"{inviter} invited you to organize the photos of \"{event.name}\".",
             "As an organizer you can create share links and QR codes for guests and hide photos."]
    if user.has_usable_password():
        lines.append(f"Sign in with your existing account at {base_url.rstrip('/')}/")
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        path = reverse("sharing:set-password", args=[uid, default_token_generator.make_token(user)])
        lines.append(f"Choose your password here (the link works once): {base_url.rstrip('/')}{path}")
    return "\n\n".join(lines)

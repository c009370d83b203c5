"""Writes for studios and members."""
from django.db import transaction
from django.utils.text import slugify

from visage.tenancy.models import Membership, Role, Studio, User


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "studio"
    slug, n = base, 1
    while Studio.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def studio_create(*, name: str, owner_email: str, owner_password: str | None) -> tuple[Studio, User]:
    """Create a studio and its owner (an existing user keeps their password)."""
    name = name.strip()
    if not name:
        raise ValueError("A studio needs a name.")
    studio = Studio.objects.create(name=name, slug=_unique_slug(name))
    user = User.objects.filter(email__iexact=owner_email).first()
    if user is None:
        user = User.objects.create_user(email=owner_email, password=owner_password)
    Membership.objects.create(studio=studio, user=user, role=Role.OWNER)
    return studio, user


def membership_add(*, studio: Studio, email: str, password: str | None, role: str) -> Membership:
    user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(email=email, password=password)
    membership, _ = Membership.objects.update_or_create(studio=studio, user=user, defaults={"role": role})
    return membership


def studio_delete(*, studio: Studio) -> int:
    """Each event first (data key, then objects, then rows), then whatever else the studio
    stored under its prefix, then the studio and its memberships; then the accounts that only
    existed for this studio stop working. Returns events deleted."""
    from events.models import Event, EventOrganizer
    from events.services import delete_prefix, event_delete
    from events.storage import object_storage

    people = set(Membership.objects.filter(studio=studio).values_list("user_id", flat=True))
    people |= set(EventOrganizer.objects.filter(event__studio=studio).values_list("user_id", flat=True))
    events = list(Event.objects.filter(studio=studio))
    for event in events:
        event_delete(event=event)
    delete_prefix(object_storage(), f"{studio.id}/")
    studio.delete()
    users_deactivate_orphaned(user_ids=people)
    return len(events)


@transaction.atomic
def users_deactivate_orphaned(*, user_ids: set[int]) -> int:
    """Accounts among `user_ids` that belong to no studio and organize no event any more:
    deactivated, password made unusable, API tokens deleted (their sessions die with is_active)."""
    from events.models import EventOrganizer
    from rest_framework.authtoken.models import Token

    still_used = set(Membership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    still_used |= set(EventOrganizer.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    orphans = list(User.objects.filter(id__in=user_ids - still_used))
    for user in orphans:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password", "password_changed_at"])
    Token.objects.filter(user__in=orphans).delete()
    return len(orphans)

"""Writes for studios and members."""
from django.db import transaction
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from core.tenancy.api_keys import (
    CREATOR_DEACTIVATED, CREATOR_LEFT, api_keys_of_creator_revoke, service_address_refuse,
)
from core.tenancy.models import Membership, Role, Studio, User


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
    service_address_refuse(owner_email)
    studio = Studio.objects.create(name=name, slug=_unique_slug(name))
    user = User.objects.filter(email__iexact=owner_email).first()
    if user is None:
        user = User.objects.create_user(email=owner_email, password=owner_password)
    Membership.objects.create(studio=studio, user=user, role=Role.OWNER)
    return studio, user


def studio_rename(*, studio: Studio, name: str) -> Studio:
    """The studio's shown name (its slug, used by X-Studio, stays)."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A studio needs a name.")
    studio.name = name[:120]
    studio.save(update_fields=["name"])
    return studio


def membership_add(*, studio: Studio, email: str, password: str | None, role: str) -> Membership:
    service_address_refuse(email)
    user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(email=email, password=password)
    membership, _ = Membership.objects.update_or_create(studio=studio, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def membership_remove(*, studio: Studio, user: User) -> bool:
    """The member leaves the studio, and the API keys they created there stop working with them.
    Returns whether they were a member."""
    deleted, _ = Membership.objects.filter(studio=studio, user=user).delete()
    api_keys_of_creator_revoke(user=user, studio=studio, reason=CREATOR_LEFT)
    return bool(deleted)


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """The account stops working everywhere: no sign-in, no token, none of the API keys it created."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    api_keys_of_creator_revoke(user=user, studio=None, reason=CREATOR_DEACTIVATED)

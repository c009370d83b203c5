"""Studio API keys: create, list, revoke, recognise.

A key is `vk_<prefix>_<secret>`: the prefix (8 hex characters, shown in lists) finds the row, the
SHA-256 of the whole key proves it. Each key acts through a hidden service account with exactly
one membership, in the key's studio, whose role follows the scope (core.tenancy.models.API_KEY_SCOPE_ROLES, published by core.access); what a scope may do beyond its
role (read only, upload only, never manage keys) is core.api_keys.ApiKeyScopePermission.

A key lives no longer than its creator's place in the studio: removing the member or deactivating
the account revokes the keys they created (core.tenancy.services), and authentication refuses, and
revokes, a key whose creator is no longer an active member (a membership deleted by other means).
"""
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.errors import DomainError
from core.tenancy.models import API_KEY_SCOPE_ROLES, ApiKeyScope, Membership, Studio, StudioApiKey, User

KEY_PREFIX = "vk_"
# Service accounts get an address nobody can guess (so nobody can invite it anywhere) under a
# reserved TLD (so no mail ever leaves for it).
SERVICE_EMAIL_DOMAIN = "api-keys.invalid"
# last_used_at is written at most this often per key: one UPDATE a minute, not one per request.
LAST_USED_PRECISION = timedelta(seconds=60)
CREATOR_LEFT = "its creator is no longer a member of the studio"
CREATOR_DEACTIVATED = "its creator's account was deactivated"


@dataclass(frozen=True)
class CreatedKey:
    api_key: StudioApiKey
    key: str  # shown once, never stored


class ApiKeyUnknown(Exception):
    pass


class ApiKeyRevoked(Exception):
    def __init__(self, api_key: StudioApiKey):
        self.api_key = api_key
        super().__init__(f"API key {api_key.prefix} was revoked")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_service_address(email: str) -> bool:
    return (email or "").strip().lower().endswith("@" + SERVICE_EMAIL_DOMAIN)


class ServiceAddressRefused(DomainError):
    status, code = 400, "reserved_address"
    message = "This address belongs to an API key; invite a person's email address instead."


def service_address_refuse(email: str) -> None:
    """A key's account has exactly one membership, in its key's studio: nobody may add it elsewhere."""
    if is_service_address(email):
        raise ServiceAddressRefused()


def api_key_create(*, studio: Studio, name: str, scope: str, created_by: User | None) -> CreatedKey:
    if scope not in ApiKeyScope.values:
        raise ValueError(f"unknown API key scope {scope!r}")
    for _ in range(5):  # 8 hex characters: a collision is rare, and retried
        prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
        key = f"{KEY_PREFIX}{prefix}_{secret}"
        try:
            with transaction.atomic():
                # No password given: an unusable one, so the account can never sign in on the web.
                user = User.objects.create_user(email=f"api-key-{uuid.uuid4().hex}@{SERVICE_EMAIL_DOMAIN}")
                Membership.objects.create(studio=studio, user=user, role=API_KEY_SCOPE_ROLES[scope])
                api_key = StudioApiKey.objects.create(
                    studio=studio, name=name.strip(), scope=scope, prefix=prefix, key_hash=key_hash(key),
                    service_user=user, created_by=created_by)
            return CreatedKey(api_key=api_key, key=key)
        except IntegrityError:
            if not StudioApiKey.objects.filter(prefix=prefix).exists():
                raise
    raise RuntimeError("could not find a free API key prefix")


def api_key_list(*, studio: Studio) -> QuerySet[StudioApiKey]:
    return StudioApiKey.objects.filter(studio=studio).select_related("created_by")


def api_key_get(*, studio: Studio, key_id: int) -> StudioApiKey:
    """The studio's key; another studio's and a missing one are the same 404."""
    api_key = api_key_list(studio=studio).filter(id=key_id).first()
    if api_key is None:
        raise Http404("No such API key.")
    return api_key


@transaction.atomic
def api_key_revoke(*, api_key: StudioApiKey, reason: str = "") -> StudioApiKey:
    """Works at once: the key is refused from the next request on, and its service account loses
    its membership and any token, so nothing it held keeps working. Revoking twice is harmless."""
    if api_key.revoked_at is None:
        api_key.revoked_at, api_key.revoked_reason = timezone.now(), reason
        api_key.save(update_fields=["revoked_at", "revoked_reason"])
    Membership.objects.filter(user_id=api_key.service_user_id).delete()
    Token.objects.filter(user_id=api_key.service_user_id).delete()
    return api_key


def api_keys_of_creator_revoke(*, user: User, studio: Studio | None, reason: str) -> int:
    """Revoke the live keys `user` created (in `studio`, or in every studio). Returns how many."""
    keys = StudioApiKey.objects.filter(created_by=user, revoked_at__isnull=True)
    if studio is not None:
        keys = keys.filter(studio=studio)
    revoked = list(keys)
    for api_key in revoked:
        api_key_revoke(api_key=api_key, reason=reason)
    return len(revoked)


def api_key_authenticate(key: str) -> StudioApiKey:
    """The live key for this secret; ApiKeyUnknown or ApiKeyRevoked otherwise (revoking it first
    when its creator has left the studio since)."""
    parts = key.split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != KEY_PREFIX:
        raise ApiKeyUnknown()
    # The creator's standing comes in the same query: no extra round trip per request.
    creator_member = Membership.objects.filter(studio_id=OuterRef("studio_id"), user_id=OuterRef("created_by_id"),
                                               user__is_active=True)
    api_key = (StudioApiKey.objects.select_related("service_user", "studio", "created_by")
               .annotate(creator_member=Exists(creator_member)).filter(prefix=parts[1]).first())
    if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash(key)):
        raise ApiKeyUnknown()
    if api_key.revoked_at is None and api_key.created_by_id is not None and not api_key.creator_member:
        reason = CREATOR_LEFT if api_key.created_by.is_active else CREATOR_DEACTIVATED
        api_key_revoke(api_key=api_key, reason=reason)
    if api_key.revoked_at is not None:
        raise ApiKeyRevoked(api_key)
    return api_key


def api_key_touch(*, api_key: StudioApiKey) -> None:
    """Record use, at most once per LAST_USED_PRECISION: no query at all while the time is fresh."""
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_PRECISION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    StudioApiKey.objects.filter(stale, id=api_key.id).update(last_used_at=now)
    api_key.last_used_at = now

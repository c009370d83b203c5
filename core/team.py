"""The studio's team: who is in it with which role, inviting a member by e-mail, changing a role,
removing a member. Who may do what is core.access.role_may_assign; the studio keeps at least one owner.

An invited address without an account gets one with no usable password and an e-mail with a
set-password link: Django's password-reset token, so it works once (it signs the password, which
setting one changes) and expires after PASSWORD_RESET_TIMEOUT. API keys' service accounts are not
people and are never listed, invited or changed here."""
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.access import OWNER_ROLES, is_owner, role_may_assign
from core.errors import DomainError, InvalidRequest
from core.mail import mail_subject
from core.tenancy.api_keys import service_address_refuse
from core.tenancy.models import Membership, Role, Studio, User
from core.tenancy.services import membership_remove


class TeamRefused(DomainError):
    status, code = 403, "permission_denied"
    message = "Your role in this studio does not allow this change to the team."


class LastOwner(DomainError):
    status, code = 409, "last_owner"
    message = "The studio needs at least one owner: make someone else owner first."


class MemberNotFound(DomainError):
    status, code = 404, "not_found"
    message = "No such member in this studio."


@dataclass(frozen=True)
class Member:
    user_id: int
    email: str
    role: str
    joined_at: object
    pending: bool  # invited, has not chosen a password yet


def team_list(*, studio: Studio) -> list[Member]:
    rows = (Membership.objects.filter(studio=studio, user__api_key__isnull=True).select_related("user")
            .order_by("created_at", "id"))
    return [_member(m) for m in rows]


def member_get(*, studio: Studio, user_id: int) -> Membership:
    membership = (Membership.objects.select_related("user")
                  .filter(studio=studio, user_id=user_id, user__api_key__isnull=True).first())
    if membership is None:
        raise MemberNotFound()
    return membership


def _check(actor: Membership, current: str | None, new: str | None) -> None:
    if new is not None and new not in Role.values:
        raise InvalidRequest(f"Unknown role {new!r}: one of {', '.join(Role.values)}.")
    if not role_may_assign(actor.role, current, new):
        raise TeamRefused("Only owners give, change or take the owner role." if is_owner(current) or is_owner(new)
                          else TeamRefused.message)


def _other_owners(studio: Studio, user_id: int) -> bool:
    return Membership.objects.filter(studio=studio, role__in=OWNER_ROLES).exclude(user_id=user_id).exists()


@transaction.atomic
def member_invite(*, actor: Membership, email: str, role: str, base_url: str) -> Member:
    """Add `email` to the actor's studio with `role` and e-mail them (after commit, from Celery)."""
    from core.tasks import mail_send  # tasks import the services

    _check(actor, None, role)
    email = User.objects.normalize_email(email).strip().lower()
    service_address_refuse(email)
    studio = actor.studio
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(studio=studio, user=user).exists():
        raise InvalidRequest(f"{email} is already in this studio: change their role instead.")
    if user is None:
        user = User.objects.create_user(email=email, password=None)  # no usable password until they choose one
    membership = Membership.objects.create(studio=studio, user=user, role=role)
    subject = mail_subject(f"{actor.user.email} invited you to {studio.name} on Visage")
    body = _invitation_text(studio=studio, user=user, role=role, inviter=actor.user, base_url=base_url)
    transaction.on_commit(lambda: mail_send.delay(subject, body, [user.email]))
    return _member(membership)


def _member(membership: Membership) -> Member:
    user = membership.user
    return Member(user_id=user.id, email=user.email, role=membership.role, joined_at=membership.created_at,
                  pending=not user.has_usable_password() and user.last_login is None)


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("web:invitation", args=[uid, default_token_generator.make_token(user)])


def _invitation_text(*, studio: Studio, user: User, role: str, inviter: User, base_url: str) -> str:
    lines = [f"{inviter.email} added you to the studio \"{studio.name}\" on Visage as {Role(role).label.lower()}."]
    if user.has_usable_password():
        lines.append(f"Sign in with your existing account: {base_url.rstrip('/')}/login/")
    else:
        lines.append("Choose your password here (the link works once and expires in a few days): "
                     f"{base_url.rstrip('/')}{invitation_path(user)}")
    return "\n\n".join(lines)


@transaction.atomic
def member_role_change(*, actor: Membership, user_id: int, role: str) -> Member:
    membership = member_get(studio=actor.studio, user_id=user_id)
    membership = Membership.objects.select_for_update().get(id=membership.id)
    _check(actor, membership.role, role)
    if is_owner(membership.role) and not is_owner(role) and not _other_owners(actor.studio, user_id):
        raise LastOwner()
    membership.role = role
    membership.save(update_fields=["role"])
    return _member(membership)


@transaction.atomic
def member_remove(*, actor: Membership, user_id: int) -> None:
    """The member leaves the studio (their API keys there stop working: membership_remove)."""
    membership = member_get(studio=actor.studio, user_id=user_id)
    _check(actor, membership.role, None)
    # Lock the owners' rows: two owners removing each other at once must not both succeed.
    owners = list(Membership.objects.select_for_update().filter(studio=actor.studio, role__in=OWNER_ROLES)
                  .values_list("user_id", flat=True))
    if is_owner(membership.role) and set(owners) <= {user_id}:
        raise LastOwner()
    membership_remove(studio=actor.studio, user=membership.user)

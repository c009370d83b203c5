"""Telling the studio at once that a guest asked to be forgotten: the removal.requested webhook
(through the hook sharing.hooks.removal_requested, in the request's transaction) and an e-mail to the studio's owners
(a Celery task once the request is committed). Neither says who asked or which faces."""
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import REMOVAL_NOTICE_ROLES
from core.tenancy.models import Membership
from sharing import conf
from sharing.models import RemovalRequest, RemovalState
from sharing.hooks import RemovalRequested, removal_requested


def removal_filed_announce(*, request: RemovalRequest) -> None:
    pending = RemovalRequest.objects.filter(event_id=request.event_id, state=RemovalState.PENDING).count()
    removal_requested.send(RemovalRequested(studio_id=request.studio_id, event_id=request.event_id,
                                            removal_request_id=request.id, face_count=len(request.face_ids),
                                            pending=pending))
    from sharing.tasks import removal_owners_notify  # tasks import the services

    transaction.on_commit(lambda: removal_owners_notify.delay(request.id))


def removal_owners_email(*, request_id: int) -> list[str]:
    """One e-mail to the studio's owners (not its photographers or viewers) → the addresses."""
    request = RemovalRequest.objects.select_related("event").filter(id=request_id).first()
    if request is None or request.state != RemovalState.PENDING:
        return []
    owners = sorted(Membership.objects.filter(studio_id=request.studio_id, role__in=REMOVAL_NOTICE_ROLES)
                    .values_list("user__email", flat=True))
    if not owners:
        return []
    pending = RemovalRequest.objects.filter(event_id=request.event_id, state=RemovalState.PENDING).count()
    page = conf.public_url() + reverse("web:event-removals", args=[request.event_id])
    event = request.event.name
    body = "\n\n".join([
        _("A guest of “%(event)s” asked to be forgotten: %(faces)s.") % {
            "event": event, "faces": ngettext("%(n)d face", "%(n)d faces", len(request.face_ids)) % {
                "n": len(request.face_ids)}},
        _("Until you decide, those faces are hidden from that guest only. Confirm to hide them from every "
          "guest for good, or reject if the request is not about the person who made it."),
        ngettext("%(n)d request waits for you on this event:", "%(n)d requests wait for you on this event:",
                 pending) % {"n": pending} + f" {page}",
    ])
    send_mail(_("Removal request for %(event)s") % {"event": event}, body, None, owners)
    return owners

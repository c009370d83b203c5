"""Opting in from the guest's page or the API: the opt-in (sharing.notify.subscriptions) and its
one confirmation message (sharing.notify.sending), in one transaction. Here rather than in
subscriptions because sending imports subscriptions (arrows between sibling modules point one way)."""
from django.db import transaction

from sharing.models import NotifySubscription
from sharing.notify.sending import notify_confirm
from sharing.notify.subscriptions import notify_opt_in


@transaction.atomic
def notify_opt_in_confirmed(**opt_in) -> NotifySubscription:
    """notify_opt_in(**opt_in), then the guest's confirmation, sent once this commits."""
    subscription = notify_opt_in(**opt_in)
    notify_confirm(subscription=subscription)
    return subscription

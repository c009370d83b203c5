"""recognition's answers to what events announces (events.signals): events sits below
recognition and may not call it, so the data recognition keeps about an event follows here."""
from django.dispatch import receiver

from events.signals import event_deleting, event_visibility_changed
from recognition.index_version import index_invalidate
from recognition.services.keys import event_key_destroy


@receiver(event_deleting, dispatch_uid="recognition.event_key_destroy")
def _destroy_event_key(sender, *, event, **kwargs) -> None:
    """Crypto-shredding: the data key goes before any object or row (an error aborts the delete)."""
    event_key_destroy(event=event)


@receiver(event_visibility_changed, dispatch_uid="recognition.index_invalidate")
def _invalidate_search_index(sender, *, event_id: int, **kwargs) -> None:
    index_invalidate(event_id=event_id)

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from events.hooks import photos_finished
        from recognition.hooks import people_changed
        from sharing.hooks import guest_matched, guest_searched, removal_requested
        from webhooks.tasks import notice_to_outbox

        # What the lower apps announce becomes an outbox row in their transaction, expanded into
        # deliveries by our own task (webhooks/outbox.py): never our queries under their locks.
        for hook in (photos_finished, people_changed, guest_searched, guest_matched, removal_requested):
            hook.subscribe(notice_to_outbox)

from django.core.management.base import BaseCommand, CommandError

from recognition.crypto import CryptoError
from recognition.services.keys import keyring, master_key_rotate, master_secrets_reseal


class Command(BaseCommand):
    help = (
        "Re-wrap every event's data key under the current (first) key of VISAGE_MASTER_KEYS. "
        "Rotation: prepend a new key, run this, then remove the old key."
    )

    def handle(self, *args, **options):
        try:
            current = keyring().current.key_id
            rewrapped, unchanged = master_key_rotate()
            resealed = master_secrets_reseal()
        except CryptoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Re-wrapped {rewrapped} data key(s) under {current!r}; {unchanged} already used it. "
                          f"Re-sealed {resealed} other secret(s).")

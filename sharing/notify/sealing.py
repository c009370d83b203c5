"""Everything "new photos of me" keeps about a guest is AES-GCM ciphertext (recognition.crypto).

* The **offer**: after a search, the selfie's embedding is handed to the guest's own device
  (the search answer's `notify_token`, a cookie on the pages), sealed under the event's data key
  and bound to that visit and an expiry. The server keeps nothing of the selfie unless the
  guest opts in with it, so the search consent's "your selfie is not stored" stays true.
* The **template** and **address** of an opt-in: sealed under the event's data key with the
  subscription's uid as associated data, so deleting the event key (event deleted, retention
  over) crypto-shreds them with every other embedding of the event.
* A studio's **channel URL**: sealed under the master key (it is the studio's, not an event's).
"""
import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

import numpy as np
from django.utils import timezone

from events.models import Event
from recognition import crypto
from recognition.services.calibration import event_pipeline
from recognition.services.keys import event_data_key, keyring


class OfferInvalid(Exception):
    """The notify token is not one this visit was given, or it expired."""


@dataclass(frozen=True)
class Template:
    embedding: np.ndarray
    embedder_name: str
    embedder_version: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def offer_seal(*, event: Event, session_id: int, embedding: np.ndarray, expires_at: datetime) -> str:
    """The token a guest may send back to opt in with this search's face (no server-side copy)."""
    embedder = event_pipeline(event=event).embedder
    body = json.dumps({"e": int(expires_at.timestamp()), "n": embedder.name, "v": embedder.version,
                       "f": _b64(np.ascontiguousarray(embedding, dtype="<f4").tobytes())}).encode()
    return _b64(crypto.seal(body, key=event_data_key(event=event), context=f"notify-offer:{event.id}:{session_id}"))


def offer_open(*, event: Event, session_id: int, token: str) -> Template:
    try:
        body = crypto.unseal(_unb64(token[:4096]), key=event_data_key(event=event),
                             context=f"notify-offer:{event.id}:{session_id}")
        data = json.loads(body)
    except (crypto.CryptoError, binascii.Error, ValueError):
        raise OfferInvalid() from None
    if datetime.fromtimestamp(data["e"], tz=dt_timezone.utc) <= timezone.now():
        raise OfferInvalid()
    return Template(np.frombuffer(_unb64(data["f"]), dtype="<f4").astype(np.float32), data["n"], data["v"])


def template_seal(*, event: Event, uid: str, embedding: np.ndarray) -> bytes:
    return crypto.encrypt_embedding(embedding, data_key=event_data_key(event=event), event_id=event.id,
                                    face_id=f"notify:{uid}")


def template_open(*, event: Event, uid: str, blob: bytes, data_key: bytes | None = None) -> np.ndarray:
    return crypto.decrypt_embedding(blob, data_key=data_key or event_data_key(event=event), event_id=event.id,
                                    face_id=f"notify:{uid}")


def address_seal(*, event: Event, uid: str, address: str) -> bytes:
    return crypto.seal(address.encode(), key=event_data_key(event=event), context=f"notify-address:{event.id}:{uid}")


def address_open(*, event: Event, uid: str, blob: bytes) -> str:
    return crypto.unseal(blob, key=event_data_key(event=event), context=f"notify-address:{event.id}:{uid}").decode()


def channel_url_seal(*, studio_id: int, url: str) -> bytes:
    return crypto.seal_with_master(url.encode(), keyring=keyring(), context=f"notify-channel:{studio_id}")


def channel_url_open(*, studio_id: int, blob: bytes) -> str:
    return crypto.unseal_with_master(blob, keyring=keyring(), context=f"notify-channel:{studio_id}").decode()

"""Envelope encryption for face embeddings (Django-free, so workers and scripts share it).

Master keys come from ``VISAGE_MASTER_KEYS`` ("k2:BASE64,k1:BASE64"; the first wraps, all
unwrap, so rotation is: prepend a new key, run ``rotate_master_key``, then drop the old one).
Each event has a random 32-byte data key, stored only wrapped (AES-GCM under a master key);
deleting that wrapped key crypto-shreds every embedding of the event. Embeddings are AES-GCM
ciphertext whose associated data binds event id, face id and dimension, so a blob copied onto
another face or event fails to decrypt instead of silently matching the wrong person.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MASTER_KEYS_ENV = "VISAGE_MASTER_KEYS"
KEY_BYTES = 32  # AES-256 for master and data keys
NONCE_BYTES = 12  # the GCM standard nonce; random nonces are safe far beyond 2**32 messages/key
TAG_BYTES = 16
WRAPPED_KEY_VERSION = 1
EMBEDDING_FORMAT_VERSION = 1
_KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_EMBEDDING_HEADER = bytes([EMBEDDING_FORMAT_VERSION])

Identifier = str | int


class CryptoError(Exception):
    """Base class for everything this module raises on purpose."""


class CryptoConfigError(CryptoError):
    """The master-key configuration is missing or malformed (like ImproperlyConfigured)."""


class DataKeyUnwrapError(CryptoError):
    """A wrapped data key cannot be opened with the configured master keys."""


class EmbeddingDecryptError(CryptoError):
    """An embedding blob fails authentication: wrong data key, event/face id, or tampered."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes = field(repr=False)  # never let a key reach logs through repr()


@dataclass(frozen=True)
class MasterKeyring:
    """Ordered master keys: ``keys[0]`` wraps new data keys, every key may unwrap."""

    keys: tuple[MasterKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise CryptoConfigError("a master keyring needs at least one key")
        ids = [k.key_id for k in self.keys]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise CryptoConfigError(f"duplicate master key ids: {', '.join(duplicates)}")
        for master in self.keys:
            if len(master.key) != KEY_BYTES:
                raise CryptoConfigError(
                    f"master key {master.key_id!r} is {len(master.key)} bytes; expected {KEY_BYTES}"
                )

    @property
    def current(self) -> MasterKey:
        return self.keys[0]

    def get(self, key_id: str) -> MasterKey | None:
        return next((k for k in self.keys if k.key_id == key_id), None)


# --- master keys -------------------------------------------------------------------------


def key_fingerprint(key: bytes) -> str:
    """Stable id for a key given without one, so wrapped keys still find it after a restart."""
    return "fp-" + hashlib.sha256(b"visage:master-key-id:" + key).hexdigest()[:12]


def _decode_key(encoded: str, *, position: int) -> bytes:
    # Accept both base64 alphabets and missing padding: `openssl rand -base64 32` is common.
    text = encoded.strip().replace("+", "-").replace("/", "_")
    text += "=" * (-len(text) % 4)
    try:
        key = base64.b64decode(text, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise CryptoConfigError(
            f"{MASTER_KEYS_ENV} entry #{position} is not valid base64"
        ) from None
    if len(key) != KEY_BYTES:
        raise CryptoConfigError(
            f"{MASTER_KEYS_ENV} entry #{position} decodes to {len(key)} bytes; expected "
            f"{KEY_BYTES} (generate one with `python -m recognition.crypto`)"
        )
    return key


def _parse_master_key_entry(entry: str, *, position: int) -> MasterKey:
    key_id, separator, encoded = entry.partition(":")
    if not separator:
        key = _decode_key(entry, position=position)
        return MasterKey(key_id=key_fingerprint(key), key=key)
    key_id = key_id.strip()
    if not _KEY_ID_PATTERN.match(key_id):
        raise CryptoConfigError(
            f"{MASTER_KEYS_ENV} entry #{position}: key id {key_id!r} must be 1-64 characters "
            "of letters, digits, '.', '_' or '-'"
        )
    return MasterKey(key_id=key_id, key=_decode_key(encoded, position=position))


def parse_master_keys(value: str) -> MasterKeyring:
    """Parse "id:BASE64,id:BASE64" (ids optional); the first key is the current one."""
    entries = [e for e in (value or "").split(",") if e.strip()]  # tolerate a trailing comma
    if not entries:
        raise CryptoConfigError(
            f"{MASTER_KEYS_ENV} is empty; set it to e.g. `k1:<32 random bytes, urlsafe base64>` "
            "(generate one with `python -m recognition.crypto`)"
        )
    keys = [_parse_master_key_entry(e, position=i) for i, e in enumerate(entries, start=1)]
    if len({k.key for k in keys}) != len(keys):
        raise CryptoConfigError(f"{MASTER_KEYS_ENV} lists the same key twice")
    return MasterKeyring(keys=tuple(keys))


def generate_master_key(key_id: str | None = None) -> str:
    """A new "id:BASE64" entry; the default id carries the date so rotations read in order."""
    if key_id is None:
        today = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d")
        key_id = f"k{today}-{secrets.token_hex(2)}"
    if not _KEY_ID_PATTERN.match(key_id):
        raise CryptoConfigError(f"invalid key id {key_id!r}")
    encoded = base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")
    return f"{key_id}:{encoded}"


# --- per-event data keys -----------------------------------------------------------------


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _wrapped_header(key_id: str) -> bytes:
    encoded_id = key_id.encode("ascii")
    return bytes([WRAPPED_KEY_VERSION, len(encoded_id)]) + encoded_id


def _data_key_aad(header: bytes, event_id: Identifier) -> bytes:
    # The header (version + key id) is authenticated too, so swapping ids is detected.
    return header + f"|visage:datakey:{event_id}".encode()


def _read_header(blob: bytes, *, unknown: str) -> tuple[int, str]:
    """(end of the header, master key id) of a blob that starts with _wrapped_header, or DataKeyUnwrapError."""
    if len(blob) < 2 or blob[0] != WRAPPED_KEY_VERSION:
        raise DataKeyUnwrapError(unknown)
    id_end = 2 + blob[1]
    return id_end, blob[2:id_end].decode("ascii", errors="replace")


def _split_wrapped(wrapped: bytes) -> tuple[bytes, str, bytes, bytes]:
    """(header, key_id, nonce, ciphertext) of a wrapped key, or DataKeyUnwrapError."""
    id_end, key_id = _read_header(wrapped, unknown="unknown wrapped data key format")
    if len(wrapped) != id_end + NONCE_BYTES + KEY_BYTES + TAG_BYTES:
        raise DataKeyUnwrapError("wrapped data key has the wrong length")
    nonce = wrapped[id_end : id_end + NONCE_BYTES]
    return wrapped[:id_end], key_id, nonce, wrapped[id_end + NONCE_BYTES :]


def wrapped_key_id(wrapped: bytes) -> str:
    """Which master key wrapped this data key (lets rotation report what is left to do)."""
    return _split_wrapped(bytes(wrapped))[1]


def wrap_data_key(data_key: bytes, *, keyring: MasterKeyring, event_id: Identifier) -> bytes:
    if len(data_key) != KEY_BYTES:
        raise ValueError(f"data key must be {KEY_BYTES} bytes, got {len(data_key)}")
    master = keyring.current
    header = _wrapped_header(master.key_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(master.key).encrypt(nonce, bytes(data_key), _data_key_aad(header, event_id))
    return header + nonce + sealed


def unwrap_data_key(wrapped: bytes, *, keyring: MasterKeyring, event_id: Identifier) -> bytes:
    header, key_id, nonce, sealed = _split_wrapped(bytes(wrapped))
    master = keyring.get(key_id)
    if master is None:
        raise DataKeyUnwrapError(
            f"data key was wrapped with master key {key_id!r}, which is not in {MASTER_KEYS_ENV}"
        )
    try:
        return AESGCM(master.key).decrypt(nonce, sealed, _data_key_aad(header, event_id))
    except InvalidTag:
        raise DataKeyUnwrapError(
            f"data key of event {event_id} fails authentication under master key {key_id!r}"
        ) from None


def rewrap_data_key(wrapped: bytes, *, keyring: MasterKeyring, event_id: Identifier) -> bytes:
    """Re-wrap under the current master key; already-current keys come back unchanged."""
    if wrapped_key_id(wrapped) == keyring.current.key_id:
        unwrap_data_key(wrapped, keyring=keyring, event_id=event_id)  # still verify it
        return bytes(wrapped)
    data_key = unwrap_data_key(wrapped, keyring=keyring, event_id=event_id)
    return wrap_data_key(data_key, keyring=keyring, event_id=event_id)


# --- small secrets (an address, a channel URL) --------------------------------------------

SEALED_FORMAT_VERSION = 1


def seal(plain: bytes, *, key: bytes, context: str) -> bytes:
    """Blob = version byte | nonce | AES-GCM(plain) + tag, `context` as associated data: a blob
    copied under another context (another row, another purpose) fails to open."""
    _check_data_key(key)
    nonce = os.urandom(NONCE_BYTES)
    return bytes([SEALED_FORMAT_VERSION]) + nonce + AESGCM(key).encrypt(nonce, bytes(plain), _sealed_aad(context))


def unseal(blob: bytes, *, key: bytes, context: str) -> bytes:
    _check_data_key(key)
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[0] != SEALED_FORMAT_VERSION:
        raise EmbeddingDecryptError(f"{context}: unknown sealed format")
    try:
        return AESGCM(key).decrypt(blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:], _sealed_aad(context))
    except InvalidTag:
        raise EmbeddingDecryptError(f"{context}: authentication failed (wrong key, wrong context, or tampered)") from None


def _sealed_aad(context: str) -> bytes:
    return f"visage:sealed:{context}:v{SEALED_FORMAT_VERSION}".encode()


def seal_with_master(plain: bytes, *, keyring: MasterKeyring, context: str) -> bytes:
    """A studio secret sealed under the current master key; the key id travels in the blob, so a
    rotation that keeps the old key in the ring still opens it."""
    master = keyring.current
    return _wrapped_header(master.key_id) + seal(plain, key=master.key, context=context)


def unseal_with_master(blob: bytes, *, keyring: MasterKeyring, context: str) -> bytes:
    blob = bytes(blob)
    id_end, key_id = _read_header(blob, unknown=f"{context}: unknown sealed secret format")
    master = keyring.get(key_id)
    if master is None:
        raise DataKeyUnwrapError(f"{context}: sealed with master key {key_id!r}, which is not in {MASTER_KEYS_ENV}")
    return unseal(blob[id_end:], key=master.key, context=context)


# --- embeddings --------------------------------------------------------------------------


def _embedding_aad(event_id: Identifier, face_id: Identifier, dim: int) -> bytes:
    return f"visage:face:{event_id}:{face_id}:dim={dim}:v{EMBEDDING_FORMAT_VERSION}".encode()


def _check_data_key(data_key: bytes) -> None:
    if len(data_key) != KEY_BYTES:
        raise ValueError(f"data key must be {KEY_BYTES} bytes, got {len(data_key)}")


def _blob_dim(blob: bytes, face_id: Identifier) -> int:
    payload = len(blob) - 1 - NONCE_BYTES - TAG_BYTES
    if len(blob) == 0 or blob[0] != EMBEDDING_FORMAT_VERSION:
        raise EmbeddingDecryptError(f"face {face_id}: unknown embedding format")
    if payload <= 0 or payload % 4:
        raise EmbeddingDecryptError(f"face {face_id}: truncated embedding blob")
    return payload // 4


def encrypt_embedding(
    vector: np.ndarray, *, data_key: bytes, event_id: Identifier, face_id: Identifier
) -> bytes:
    """Blob = version byte | 12-byte random nonce | AES-GCM(float32 little-endian) + tag."""
    _check_data_key(data_key)
    values = np.ascontiguousarray(vector, dtype="<f4")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"expected a non-empty 1-D embedding, got shape {values.shape}")
    nonce = os.urandom(NONCE_BYTES)
    aad = _embedding_aad(event_id, face_id, values.size)
    return _EMBEDDING_HEADER + nonce + AESGCM(data_key).encrypt(nonce, values.tobytes(), aad)


def _open_embedding(
    cipher: AESGCM, blob: bytes, *, event_id: Identifier, face_id: Identifier
) -> bytes:
    dim = _blob_dim(blob, face_id)
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return cipher.decrypt(nonce, sealed, _embedding_aad(event_id, face_id, dim))
    except InvalidTag:
        raise EmbeddingDecryptError(
            f"face {face_id} of event {event_id}: authentication failed "
            "(wrong data key, wrong ids, or tampered data)"
        ) from None


def decrypt_embedding(
    blob: bytes, *, data_key: bytes, event_id: Identifier, face_id: Identifier
) -> np.ndarray:
    _check_data_key(data_key)
    plain = _open_embedding(AESGCM(data_key), bytes(blob), event_id=event_id, face_id=face_id)
    return np.frombuffer(plain, dtype="<f4").astype(np.float32)  # a writable native copy


def decrypt_embeddings(
    blobs: Sequence[bytes],
    face_ids: Sequence[Identifier],
    *,
    data_key: bytes,
    event_id: Identifier,
    dim: int | None = None,
) -> np.ndarray:
    """Decrypt a whole event's matrix (n, d) with one AESGCM object; ``dim`` sizes empty input."""
    _check_data_key(data_key)
    if len(blobs) != len(face_ids):
        raise ValueError(f"{len(blobs)} blobs but {len(face_ids)} face ids")
    if not blobs:
        return np.empty((0, dim or 0), dtype=np.float32)
    width = _blob_dim(bytes(blobs[0]), face_ids[0])
    if dim is not None and dim != width:
        raise EmbeddingDecryptError(f"expected {dim}-D embeddings, found {width}-D")
    cipher = AESGCM(data_key)
    matrix = np.empty((len(blobs), width), dtype=np.float32)
    for row, (blob, face_id) in enumerate(zip(blobs, face_ids)):
        plain = _open_embedding(cipher, bytes(blob), event_id=event_id, face_id=face_id)
        if len(plain) != 4 * width:
            raise EmbeddingDecryptError(f"face {face_id}: {len(plain) // 4}-D among {width}-D")
        matrix[row] = np.frombuffer(plain, dtype="<f4")
    return matrix


if __name__ == "__main__":
    print(generate_master_key())

import base64
import uuid

import numpy as np
import pytest

from recognition import crypto
from recognition.crypto import (
    CryptoConfigError,
    DataKeyUnwrapError,
    EmbeddingDecryptError,
    decrypt_embedding,
    decrypt_embeddings,
    encrypt_embedding,
    generate_master_key,
    new_data_key,
    parse_master_keys,
    rewrap_data_key,
    unwrap_data_key,
    wrap_data_key,
    wrapped_key_id,
)

K1 = generate_master_key("k1")
K2 = generate_master_key("k2")


@pytest.fixture
def vector():
    rng = np.random.default_rng(7)
    v = rng.standard_normal(128).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def data_key():
    return new_data_key()


def test_generated_key_parses_and_first_key_is_current():
    keyring = parse_master_keys(f"{K2},{K1}")
    assert [k.key_id for k in keyring.keys] == ["k2", "k1"]
    assert keyring.current.key_id == "k2"
    assert len(keyring.current.key) == 32


def test_key_without_id_gets_a_stable_fingerprint_id():
    encoded = K1.split(":", 1)[1]
    first, again = parse_master_keys(encoded), parse_master_keys(f" {encoded} ,")
    assert first.current.key_id == again.current.key_id
    assert first.current.key_id.startswith("fp-")


def test_standard_base64_without_padding_is_accepted():
    raw = bytes(range(32))
    encoded = base64.b64encode(raw).decode().rstrip("=")
    assert parse_master_keys(f"k1:{encoded}").current.key == raw


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "is empty"),
        (" , ", "is empty"),
        ("k1:not*base64!", "not valid base64"),
        ("k1:" + base64.urlsafe_b64encode(b"x" * 16).decode(), "16 bytes; expected 32"),
        ("bad id:" + base64.urlsafe_b64encode(b"x" * 32).decode(), "key id"),
        (f"{K1},k1:{K2.split(':', 1)[1]}", "duplicate master key ids: k1"),
        (f"{K1},other:{K1.split(':', 1)[1]}", "same key twice"),
    ],
)
def test_bad_master_key_strings_give_clear_errors(value, message):
    with pytest.raises(CryptoConfigError, match=message):
        parse_master_keys(value)


def test_error_messages_do_not_echo_key_material():
    secret = base64.urlsafe_b64encode(b"s" * 20).decode()
    with pytest.raises(CryptoConfigError) as caught:
        parse_master_keys(f"k1:{secret}")
    assert secret not in str(caught.value)
    assert secret not in repr(parse_master_keys(K1))


def test_data_key_round_trip_and_event_binding(data_key):
    keyring = parse_master_keys(K1)
    wrapped = wrap_data_key(data_key, keyring=keyring, event_id=42)
    assert data_key not in wrapped
    assert wrapped_key_id(wrapped) == "k1"
    assert unwrap_data_key(wrapped, keyring=keyring, event_id=42) == data_key
    with pytest.raises(DataKeyUnwrapError):
        unwrap_data_key(wrapped, keyring=keyring, event_id=43)


def test_tampered_wrapped_key_fails(data_key):
    keyring = parse_master_keys(K1)
    wrapped = bytearray(wrap_data_key(data_key, keyring=keyring, event_id=1))
    wrapped[-1] ^= 1
    with pytest.raises(DataKeyUnwrapError):
        unwrap_data_key(bytes(wrapped), keyring=keyring, event_id=1)


def test_rotation(data_key):
    old, both, new_only = (parse_master_keys(v) for v in (K1, f"{K2},{K1}", K2))
    wrapped_k1 = wrap_data_key(data_key, keyring=old, event_id="e1")

    assert unwrap_data_key(wrapped_k1, keyring=both, event_id="e1") == data_key
    with pytest.raises(DataKeyUnwrapError, match="'k1', which is not in"):
        unwrap_data_key(wrapped_k1, keyring=new_only, event_id="e1")

    rewrapped = rewrap_data_key(wrapped_k1, keyring=both, event_id="e1")
    assert wrapped_key_id(rewrapped) == "k2"
    assert unwrap_data_key(rewrapped, keyring=new_only, event_id="e1") == data_key
    assert rewrap_data_key(rewrapped, keyring=both, event_id="e1") == rewrapped


def test_embedding_round_trip_with_int_and_uuid_face_ids(vector, data_key):
    for face_id in (17, str(uuid.uuid4())):
        blob = encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=face_id)
        assert blob[0] == crypto.EMBEDDING_FORMAT_VERSION
        restored = decrypt_embedding(blob, data_key=data_key, event_id=3, face_id=face_id)
        assert restored.dtype == np.float32
        np.testing.assert_array_equal(restored, vector)


def test_ciphertext_does_not_contain_the_vector_bytes(vector, data_key):
    blob = encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=1)
    assert vector.tobytes() not in blob
    assert vector[:4].tobytes() not in blob
    second = encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=1)
    assert second != blob  # fresh nonce every time


@pytest.mark.parametrize(
    "change", [{"event_id": 4}, {"face_id": 2}, {"data_key": b"\x00" * 32}]
)
def test_wrong_ids_or_key_fail(vector, data_key, change):
    blob = encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=1)
    arguments = {"data_key": data_key, "event_id": 3, "face_id": 1} | change
    with pytest.raises(EmbeddingDecryptError):
        decrypt_embedding(blob, **arguments)


@pytest.mark.parametrize("position", [0, 5, 40, -1])
def test_tampering_fails(vector, data_key, position):
    blob = bytearray(encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=1))
    blob[position] ^= 0x40
    with pytest.raises(EmbeddingDecryptError):
        decrypt_embedding(bytes(blob), data_key=data_key, event_id=3, face_id=1)


def test_truncated_blob_fails(vector, data_key):
    blob = encrypt_embedding(vector, data_key=data_key, event_id=3, face_id=1)
    with pytest.raises(EmbeddingDecryptError):
        decrypt_embedding(blob[:-4], data_key=data_key, event_id=3, face_id=1)


def test_batch_decrypt(data_key):
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((50, 128)).astype(np.float32)
    face_ids = list(range(100, 150))
    blobs = [
        encrypt_embedding(row, data_key=data_key, event_id=9, face_id=face_id)
        for row, face_id in zip(matrix, face_ids)
    ]
    restored = decrypt_embeddings(blobs, face_ids, data_key=data_key, event_id=9)
    np.testing.assert_array_equal(restored, matrix)
    assert decrypt_embeddings([], [], data_key=data_key, event_id=9, dim=128).shape == (0, 128)

    swapped = face_ids[:]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    with pytest.raises(EmbeddingDecryptError, match="face 101"):
        decrypt_embeddings(blobs, swapped, data_key=data_key, event_id=9)

"""What a delivery looks like on the wire: the exact bytes, the headers, the signature.

The signature is HMAC-SHA256 with the webhook's secret over "<timestamp>.<raw body>" (the
timestamp as sent in X-Visage-Timestamp), so a receiver can refuse replays of an old body.
"""
import hashlib
import hmac
import json
import secrets

SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(*, secret: str, timestamp: int, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)


def headers(*, secret: str, event_type: str, delivery_uid: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Visage-Webhooks/1",
        "X-Visage-Event": event_type,
        "X-Visage-Delivery": delivery_uid,
        "X-Visage-Timestamp": str(timestamp),
        "X-Visage-Signature": signature(secret=secret, timestamp=timestamp, body=body),
    }

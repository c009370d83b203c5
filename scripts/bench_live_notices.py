"""bench_live's time to the guest's e-mail: guests opted in to "new photos of me", and an SMTP server
on loopback (tests/smtp_server.py, aiosmtpd) that notes when it accepts each message.

The guests are people of the burst: the LFW identities pasted as large faces into the most photos
(scripts/bench_photos.photo_cast). Each searches through a selfie link with another photo of theirs
(one not pasted into any photo of the burst where LFW has one) and opts in by e-mail, as a phone
would over HTTP. A message lists its photos (one `?photo=ID` link each); the time to the guest is the
SMTP server's acceptance of the first message listing a photo minus that photo's upload completion.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

from scripts.bench_photos import LARGE_SIDES, LFW, photo_cast


@dataclass(frozen=True)
class Guest:
    name: str  # the LFW identity
    selfie: Path
    photos: frozenset[int]  # indexes into the burst of the photos they are in (any size)


def pick_guests(count: int, photos: int, *, seed: int = 7) -> list[Guest]:
    """The `count` identities pasted large into the most of the first `photos` burst photos."""
    cast = photo_cast(photos, seed=seed)
    pasted = {person for photo in cast for person, _side in photo}
    large = Counter(name for photo in cast for name in {p.parent.name for p, side in photo if side >= LARGE_SIDES[0]})
    guests = []
    for name, _n in large.most_common(count):
        own = sorted((LFW / name).glob("*.jpg"))
        selfie = next((p for p in own if p not in pasted), own[0])
        guests.append(Guest(name, selfie, frozenset(i for i, photo in enumerate(cast)
                                                    if any(p.parent.name == name for p, _side in photo))))
    return guests


def percentile(values: list[float], share: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2) if ordered else None


class EmailNoticeProbe:
    """bench_live.GuestNoticeProbe for one burst's event; `mailbox` is shared by the whole run."""

    def __init__(self, *, mailbox, guests: list[Guest], label: str, quiet_s: float = 15, wait_s: float = 120):
        self.mailbox, self.guests, self.label = mailbox, guests, label
        self.quiet_s, self.wait_s = quiet_s, wait_s
        self.addresses = {f"guest{k}.{label}@bench.example": guest for k, guest in enumerate(guests)}
        self.opted_in, self.refused = 0, []

    def prepare(self, *, url: str, session: requests.Session, event_id: int) -> None:
        token = session.post(f"{url}/api/v1/events/{event_id}/share-links/", data={"scope": "selfie"}).json()["token"]
        for address, guest in self.addresses.items():
            phone = requests.Session()
            found = phone.post(f"{url}/api/v1/guest/{token}/search", data={"consent": "true"}, timeout=120,
                               files={"selfie": (guest.selfie.name, guest.selfie.read_bytes())})
            offer = found.json().get("notify_token") if found.status_code == 200 else None
            answer = phone.post(f"{url}/api/v1/guest/{token}/notify", timeout=60, json={
                "consent": True, "medium": "email", "address": address, "notify_token": offer}) if offer else found
            if answer.status_code == 201:
                self.opted_in += 1
            else:
                self.refused.append(f"{guest.name}: {answer.status_code} {answer.text[:120]}")

    def report(self, *, completed: dict[int, float]) -> dict:
        """Waits until no message came for quiet_s (at most wait_s), then the times per announced photo."""
        deadline, seen = time.monotonic() + self.wait_s, -1
        while time.monotonic() < deadline and seen != len(self.mailbox.messages):
            seen = len(self.mailbox.messages)
            self.mailbox.wait(lambda box, before=seen: len(box.messages) > before, timeout=self.quiet_s)
        first: dict[tuple[str, int], float] = {}  # (address, photo id) → first acceptance listing it
        first_message: dict[str, float] = {}  # address → its first message's wait, from its earliest photo
        messages = 0
        for message, accepted in zip(list(self.mailbox.messages), list(self.mailbox.accepted_at)):
            address = str(message["To"])
            if address not in self.addresses:
                continue
            messages += 1
            body = message.get_body(preferencelist=("plain",)).get_content()
            listed = {int(i) for i in re.findall(r"\?photo=(\d+)", body)} & set(completed)
            for photo_id in listed:
                first.setdefault((address, photo_id), accepted)
            if listed and address not in first_message:
                first_message[address] = accepted - min(completed[pid] for pid in listed)
        latencies = [at - completed[pid] for (_address, pid), at in first.items()]
        return {
            "guests": len(self.guests), "opted_in": self.opted_in, "refused": self.refused[:3],
            "messages": messages, "guests_reached": len(first_message), "photos_announced": len(latencies),
            "guest_photo_pairs_in_burst": sum(len(g.photos) for g in self.guests),
            "p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
            "max": round(max(latencies), 2) if latencies else None,
            # each guest's first message, from the upload of the earliest photo it lists (no throttle before it)
            "first_message_p50": percentile(list(first_message.values()), 0.5),
            "first_message_p95": percentile(list(first_message.values()), 0.95),
        }

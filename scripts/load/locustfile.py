"""Locust users for scripts/load_test.py (which starts the stack and sets the LOAD_* variables).

Guests come from different addresses (X-Forwarded-For, one trusted proxy hop), as at a real event;
searches are paced under the per-link limit (300 a minute) so a 429 counts as an error.
"""
import io
import os
import random

from locust import HttpUser, between, task
from PIL import Image

SELFIE = open(os.environ["LOAD_SELFIE"], "rb").read()
SEARCH_LINK, GALLERY_LINK = os.environ["LOAD_SEARCH_LINK"], os.environ["LOAD_GALLERY_LINK"]
TOKEN, EVENT_ID = os.environ["LOAD_API_TOKEN"], os.environ["LOAD_EVENT_ID"]


def _client_address() -> str:
    return f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"


class GuestSearching(HttpUser):
    """Each search is a new guest at the event (own address, no cookies): one guest searching
    every second would be refused by the per-client limit (30 a minute), as it should be."""

    weight, wait_time = 2, between(1.0, 2.0)

    @task
    def search(self):
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = _client_address()
        self.client.post(f"/api/v1/guest/{SEARCH_LINK}/search", data={"consent": "true"},
                         files={"selfie": ("selfie.jpg", SELFIE, "image/jpeg")}, name="guest search")


class GuestBrowsing(HttpUser):
    weight, wait_time = 4, between(0.2, 0.6)

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = _client_address()
        started = self.client.post(f"/api/v1/guest/{GALLERY_LINK}/session", json={"consent": True}, name="guest session")
        self.previews = []
        if started.ok:
            self.client.headers["X-Guest-Session"] = started.json().get("session") or ""

    @task(3)
    def gallery_page(self):
        response = self.client.get(f"/s/{GALLERY_LINK}/photos", name="gallery page")
        listing = self.client.get(f"/api/v1/guest/{GALLERY_LINK}/photos", name="gallery list")
        if listing.ok:
            self.previews = [photo["preview_url"] for photo in listing.json()["photos"]]
        return response

    @task(2)
    def preview(self):
        if self.previews:
            self.client.get(random.choice(self.previews), name="gallery preview")


class Photographer(HttpUser):
    weight, wait_time = 1, between(1.0, 3.0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKEN}"

    @task
    def upload(self):
        buffer = io.BytesIO()  # a fresh image each time: never a duplicate
        Image.new("RGB", (1600, 1200), tuple(random.randint(0, 255) for _ in range(3))).save(buffer, "JPEG", quality=90)
        self.client.post(f"/api/v1/events/{EVENT_ID}/photos/", files={"files": ("upload.jpg", buffer.getvalue(), "image/jpeg")},
                         name="photo upload")

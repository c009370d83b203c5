"""A tiny image that declares a huge canvas must be refused from its header, on every path,
before a single pixel is decoded.

Before: the 38-byte WebP below passed the 200 MP pixel limit (177 MP) and was then decoded in
full, ~2.7 GB in the web process, as a guest selfie (no login) and as an upload.
"""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.inspection import ImageTooLarge, decode_cost_bytes, open_bounded
from events.models import Photo
from tests.abuse.conftest import WEBP_BOMB_177MP, assert_error, guest_client, make_link, peak_rss_growth_mib, search
from tests.factories import client_for

# Far below what decoding would cost (~2,700 MiB) and above the noise of one request.
MAX_GROWTH_MIB = 64


def test_the_bomb_is_what_it_claims():
    image = Image.open(io.BytesIO(WEBP_BOMB_177MP))
    assert image.format == "WEBP" and image.size == (13300, 13300) and len(WEBP_BOMB_177MP) == 38
    assert decode_cost_bytes(image) > 1024**3  # > the 1 GiB default budget, from the header alone


def test_bomb_as_guest_selfie_is_refused_without_decoding(event):
    link = make_link(event)
    response, growth = peak_rss_growth_mib(lambda: search(guest_client(), link.token, WEBP_BOMB_177MP, name="me.webp"))
    error = assert_error(response, 400, "selfie_rejected")
    assert "too large" in error["message"]
    assert growth < MAX_GROWTH_MIB, f"the request grew the process by {growth:.0f} MiB"


def test_bomb_as_upload_is_rejected_without_decoding(event, alice):
    client = client_for(alice)
    upload = SimpleUploadedFile("bomb.webp", WEBP_BOMB_177MP, content_type="image/webp")
    response, growth = peak_rss_growth_mib(
        lambda: client.post(f"/api/v1/events/{event.id}/photos/", {"files": [upload]}, format="multipart"))
    assert response.status_code == 400, response.content[:300]  # every file of the batch rejected
    (outcome,) = response.json()["results"]
    assert outcome["status"] == "rejected" and "memory" in outcome["reason"]
    assert not Photo.objects.filter(event=event, original_filename="bomb.webp").exists()
    assert growth < MAX_GROWTH_MIB, f"the upload grew the process by {growth:.0f} MiB"


@pytest.mark.parametrize("fmt,mode", [("PNG", "L"), ("TIFF", "RGB"), ("WEBP", "RGB")])
def test_every_format_is_bounded_by_its_header(fmt, mode, settings):
    """PNG, TIFF and WebP decode at full size (no draft): their cost must come from the header."""
    buffer = io.BytesIO()
    Image.new(mode, (4000, 3000)).save(buffer, fmt)
    with pytest.raises(ImageTooLarge, match="memory"):
        open_bounded(buffer, max_pixels=10**9, budget_bytes=4000 * 3000)
    # Measured peaks (tests/abuse/test_hostile_images.py): 16 to 20 bytes a pixel with every buffer.
    with open_bounded(buffer, max_pixels=10**9, budget_bytes=4000 * 3000 * 20) as image:
        assert image.size == (4000, 3000)


def test_selfie_pixels_are_capped(event, settings):
    settings.VISAGE_SELFIE_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1000), (90, 90, 90)).save(buffer, "JPEG")
    error = assert_error(search(guest_client(), make_link(event).token, buffer.getvalue()), 400, "selfie_rejected")
    assert "over the limit" in error["details"]["reason"], error

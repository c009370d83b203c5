"""Studio settings over the API and on their page, with two studios: who may read and change them, the
colour (strict #rrggbb, contrast ink) and logo (validated, size-limited, re-encoded, in the storage
backend) on the guest pages, the watermark text, and the share-link defaults a new link starts with."""
import io

import pytest
from django.test import Client
from PIL import Image

from events import services as event_services
from sharing.models import StudioPolicy
from sharing.services.studio_settings import DARK_INK, LIGHT_INK, brand_ink, contrast_ratio
from sharing.services.links import share_link_create
from tests.factories import jpeg_bytes, png_bytes, page_client

SETTINGS, LOGO = "/api/v1/studio/settings/", "/api/v1/studio/settings/logo"


@pytest.fixture
def event(studio_a, alice):
    return event_services.event_create(studio=studio_a, user=alice, name="Ana & Ben")



@pytest.mark.parametrize("color", ["#000000", "#ffffff", "#777777", "#757575", "#767676", "#0f766e", "#ffcc00", "#4338ca", "#ff0000"])
def test_the_ink_on_any_colour_reads_at_4_5_to_1(color):
    assert brand_ink(color) in (DARK_INK, LIGHT_INK) and contrast_ratio(color, brand_ink(color)) >= 4.58


def test_owners_change_settings_and_every_member_reads_them(as_alice, as_vera, as_bob, studio_a):
    changed = as_alice.patch(SETTINGS, {"name": "Lumen  Weddings", "brand_color": "#0F766E", "watermark_text": "© Lumen",
                                        "retention_days": 30, "link_expiry_days": 14}, format="json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["name"], body["brand_color"], body["brand_ink"]) == ("Lumen Weddings", "#0f766e", LIGHT_INK)
    assert as_vera.get(SETTINGS).json()["retention_days"] == 30
    assert as_bob.patch(SETTINGS, {"name": "Bob's"}, format="json").status_code == 403
    assert as_vera.patch(SETTINGS, {"retention_days": 1}, format="json").status_code == 403
    studio_a.refresh_from_db()
    assert studio_a.name == "Lumen Weddings"


def test_each_studio_sees_and_changes_only_its_own(as_alice, as_charlie, studio_a, studio_b):
    as_charlie.patch(SETTINGS, {"brand_color": "#ff0000"}, format="json")
    assert as_alice.get(SETTINGS).json()["brand_color"] == ""
    assert StudioPolicy.objects.get(studio=studio_b).brand_color == "#ff0000"
    assert not StudioPolicy.objects.filter(studio=studio_a).exists()


@pytest.mark.parametrize("value", ["red", "#fff", "#12345g", "#123456; background:url(x)", "</style>"])
def test_a_colour_that_is_not_rrggbb_is_refused(as_alice, value):
    response = as_alice.patch(SETTINGS, {"brand_color": value}, format="json")
    assert response.status_code == 400 and "#rrggbb" in response.json()["error"]["message"]


def test_the_logo_is_validated_re_encoded_and_stored_under_the_studio(as_alice, as_charlie, studio_a, settings):
    assert as_alice.put(LOGO, {"logo": io.BytesIO(b"not an image")}, format="multipart").status_code == 400
    big = io.BytesIO(b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    assert as_alice.put(LOGO, {"logo": big}, format="multipart").status_code == 400
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    gif.seek(0)
    assert as_alice.put(LOGO, {"logo": gif}, format="multipart").status_code == 400

    upload = io.BytesIO(jpeg_bytes(1200, 600))
    upload.name = "logo.jpg"
    response = as_alice.put(LOGO, {"logo": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["has_logo"] is True
    key = StudioPolicy.objects.get(studio=studio_a).logo_key
    assert key.startswith(f"{studio_a.id}/studio/logo-") and (settings.MEDIA_ROOT / key).exists()
    served = as_alice.get(LOGO)
    image = Image.open(io.BytesIO(served.content))
    assert served["Content-Type"] == "image/png" and image.format == "PNG" and max(image.size) == 512
    assert as_charlie.get(LOGO).status_code == 404  # charlie's studio has none; alice's is not reachable from B
    assert as_alice.delete(LOGO).status_code == 204 and as_alice.get(LOGO).status_code == 404


def test_a_new_link_starts_with_the_studios_defaults(as_alice, event, studio_a):
    as_alice.patch(SETTINGS, {"link_expiry_days": 7, "link_max_uses": 40, "link_download": "previews",
                              "link_watermark": True}, format="json")
    link = as_alice.post(f"/api/v1/events/{event.id}/share-links/", {"scope": "event"}, format="json").json()
    assert (link["max_uses"], link["allow_download"], link["watermark"]) == (40, "previews", True)
    assert link["expires_at"] is not None
    explicit = as_alice.post(f"/api/v1/events/{event.id}/share-links/", {
        "scope": "event", "max_uses": None, "expires_at": None, "allow_download": "originals", "watermark": False},
        format="json").json()
    assert (explicit["max_uses"], explicit["expires_at"], explicit["allow_download"], explicit["watermark"]) == (
        None, None, "originals", False)


def test_a_studio_that_requires_a_pin_refuses_a_link_without_one(as_alice, event):
    as_alice.patch(SETTINGS, {"link_pin_required": True}, format="json")
    refused = as_alice.post(f"/api/v1/events/{event.id}/share-links/", {"scope": "event"}, format="json")
    assert refused.status_code == 400 and "need a PIN" in refused.json()["error"]["message"]
    assert as_alice.post(f"/api/v1/events/{event.id}/share-links/", {"scope": "event", "pin": "4821"},
                         format="json").status_code == 201


def test_the_guest_pages_show_the_studios_colour_and_logo(as_alice, event, alice):
    as_alice.patch(SETTINGS, {"brand_color": "#ffcc00"}, format="json")
    upload = io.BytesIO(png_bytes(64, 64))
    upload.name = "l.png"
    as_alice.put(LOGO, {"logo": upload}, format="multipart")
    created = share_link_create(event=event, user=alice, base_url="http://testserver", scope="event")
    guest = Client()
    page = guest.get(f"/s/{created.token}").content.decode()
    if 'data-brand-color' not in page:  # the landing may redirect to consent first
        page = guest.get(f"/s/{created.token}", follow=True).content.decode()
    assert 'data-brand-color="#ffcc00"' in page and f'data-brand-ink="{DARK_INK}"' in page
    assert f'src="/s/{created.token}/logo.png"' in page and "brand.js" in page
    logo = guest.get(f"/s/{created.token}/logo.png")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert Client().get("/s/not-a-token/logo.png").status_code == 404


def test_the_settings_page_saves_for_owners_and_is_a_403_for_photographers(alice, bob, studio_a):
    page = page_client(alice)
    assert "New share links start with" in page.get("/studio/settings/").content.decode()
    saved = page.post("/studio/settings/", {"name": "Lumen", "brand_color": "#0f766e", "watermark_text": "© Lumen",
                                            "retention_days": 60, "link_download": "originals",
                                            "link_expiry_days": "", "link_max_uses": ""}, follow=True)
    assert "Studio settings saved." in saved.content.decode()
    policy = StudioPolicy.objects.get(studio=studio_a)
    assert (policy.brand_color, policy.watermark_text, policy.retention_days) == ("#0f766e", "© Lumen", 60)
    bad = page.post("/studio/settings/", {"name": "Lumen", "brand_color": "teal", "retention_days": 0,
                                          "link_download": "originals"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "#rrggbb" in text and "greater than or equal to 1" in text
    refused = page_client(bob).get("/studio/settings/")
    assert refused.status_code == 403 and "Only the studio&#x27;s owners and admins" in refused.content.decode()


def test_the_studios_consent_words_are_shown_and_versioned_in_each_record(as_alice, event, alice):
    from sharing.consent import CONSENT_VERSION
    from sharing.models import GuestConsent

    def agree() -> str:
        created = share_link_create(event=event, user=alice, base_url="http://testserver", scope="event")
        guest = Client()
        page = guest.get(f"/s/{created.token}/consent").content.decode()
        assert guest.post(f"/s/{created.token}/consent", {"consent": "yes", "consent_language": "en"}).status_code == 302
        return page

    page = agree()
    assert "studio-consent-note" not in page
    assert GuestConsent.objects.get().text_version == CONSENT_VERSION  # no note: the record is as before

    body = as_alice.patch(SETTINGS, {"consent_note": "Lumen keeps event photos for two years."}, format="json").json()
    assert body["consent_note_version"] == 1
    page = agree()
    assert "Lumen keeps event photos for two years." in page
    assert GuestConsent.objects.order_by("-id").first().text_version == f"{CONSENT_VERSION}+studio.1"

    as_alice.patch(SETTINGS, {"consent_note": "Lumen keeps event photos for two years."}, format="json")  # unchanged
    as_alice.patch(SETTINGS, {"consent_note": "Lumen keeps photos for one year."}, format="json")
    agree()
    versions = list(GuestConsent.objects.order_by("id").values_list("text_version", flat=True))
    assert versions == [CONSENT_VERSION, f"{CONSENT_VERSION}+studio.1", f"{CONSENT_VERSION}+studio.2"]

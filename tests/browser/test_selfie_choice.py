"""A guest's selfie with two faces: the page asks "which one is you?" with both faces, and choosing
the other one shows that person's photos, not the default face's."""
import io
import re

from PIL import Image
from playwright.sync_api import expect

from events.models import Photo
from sharing.services.links import share_link_create
from tests.browser.helpers import BBT
from tests.recognition.helpers import event_with_faces
from core.tenancy.services import studio_create

EVENT_PHOTOS = [f"bbt/people/{name}/{name}{k}.png" for name in ("penny", "amy") for k in (1, 2)]


def _event_with_link(live_server, pipeline):
    """The photos analysed here (not by the live server's workers), then a selfie link."""
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_with_faces(studio, owner, EVENT_PHOTOS, pipeline)
    return event, share_link_create(event=event, user=owner, base_url=live_server.url, scope="selfie")


def _two_face_selfie(path) -> None:
    """Amy larger but turned, Penny smaller and frontal: Penny is searched by default."""
    amy = Image.open(BBT / "people" / "amy" / "amy1.png").convert("RGB").resize((300, 300))
    penny = Image.open(BBT / "people" / "penny" / "penny1.png").convert("RGB").resize((240, 240))
    canvas = Image.new("RGB", (640, 400), (200, 200, 200))
    canvas.paste(amy, (20, 50))
    canvas.paste(penny, (380, 80))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())


def _send_two_face_selfie(page, url: str, tmp_path):
    selfie = tmp_path / "two.jpg"
    _two_face_selfie(selfie)
    page.goto(url)
    page.get_by_role("link", name="Start").click()
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_label("Your selfie").set_input_files(str(selfie))
    page.get_by_role("button", name="Find my photos").click()
    return page


def _shown(page, event) -> set[str]:
    downloads = page.get_by_role("link", name="Download", exact=True)
    expect(downloads.first).to_be_visible(timeout=60_000)
    ids = {int(re.search(r"/photos/(\d+)/original", href).group(1))
           for href in downloads.evaluate_all("els => els.map(e => e.href)")}
    return set(Photo.objects.filter(event=event, id__in=ids).values_list("original_filename", flat=True))


def test_a_two_face_selfie_asks_which_one_is_you(live_server, new_page, shot, tmp_path, face_pipeline):
    event, created = _event_with_link(live_server, face_pipeline)
    page = _send_two_face_selfie(new_page("guest-phone"), created.url, tmp_path)

    chooser = page.get_by_role("region", name="Which one is you?")
    expect(chooser).to_be_visible(timeout=60_000)
    expect(chooser.get_by_role("heading")).to_be_in_viewport()  # not below the fold on a 390×844 phone
    expect(page.locator("#go")).to_be_disabled()  # no second search while the guest chooses
    expect(page.locator("#preview-face")).to_be_visible()  # the circle shows the face that was searched
    faces = chooser.get_by_role("button", name=re.compile("This is me"))
    expect(faces).to_have_count(2)
    shot(page, "guest-which-one")
    chooser.get_by_role("button", name="This is me (face 2)").click()  # not Penny (the default): Amy
    shown = _shown(page, event)
    assert "amy2.png" in shown and not any(name.startswith("penny") for name in shown), shown


def test_the_default_face_is_one_tap(live_server, new_page, tmp_path, face_pipeline):
    event, created = _event_with_link(live_server, face_pipeline)
    page = _send_two_face_selfie(new_page("phone"), created.url, tmp_path)
    page.get_by_role("button", name="This is me (the face we searched with)").click(timeout=60_000)
    shown = _shown(page, event)
    assert "penny2.png" in shown and not any(name.startswith("amy") for name in shown), shown

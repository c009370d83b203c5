"""The guest photo viewer as plain HTML (previous/next/back links, download only where the link
allows, downloads-off said out loud), the context lines, and face-centred grid thumbnails."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from events.services import event_create, photos_upload
from recognition.models import Face, Person
from recognition.ingest.worker import ingest_run_task
from sharing.models import Scope
from tests.factories import FACES_DIR
from tests.sharing.conftest import make_link


def visit(event, **link) -> tuple[Client, str]:
    created = make_link(event, **link)
    browser = Client()
    assert browser.post(f"/s/{created.token}/consent", {"consent": "yes"}).status_code == 302
    return browser, created.token


def tile_ids(page) -> list[int]:
    return [int(i) for i in re.findall(rb'<li id="photo-(\d+)"', page.content)]


def test_viewer_links_walk_the_gallery_and_back_to_the_tile(db, bbt):
    browser, key = visit(bbt.event, scope=Scope.EVENT)
    ids = tile_ids(browser.get(f"/s/{key}/photos"))
    assert len(ids) > 3
    first = browser.get(f"/s/{key}/photos/{ids[0]}").content.decode()
    assert f'href="/s/{key}/photos/{ids[1]}" data-key="next"' in first and 'data-key="prev"' not in first
    middle = browser.get(f"/s/{key}/photos/{ids[1]}").content.decode()
    assert f'href="/s/{key}/photos/{ids[0]}" data-key="prev"' in middle
    assert f'href="/s/{key}/photos#photo-{ids[1]}" data-key="back"' in middle  # back to where they were
    assert f'/api/v1/guest/{key}/photos/{ids[1]}/original" download' in middle and "2 of " in middle


def test_viewer_only_shows_this_guests_photos(db, bbt):
    amy = Person.objects.get(id=Face.objects.get(photo_id=bbt.photo_ids["amy2.png"]).person_id)
    browser, key = visit(bbt.event, scope=Scope.PERSON, person=amy)
    assert browser.get(f"/s/{key}/photos/{bbt.photo_ids['amy2.png']}").status_code == 200
    assert browser.get(f"/s/{key}/photos/{bbt.photo_ids['penny2.png']}").status_code == 404
    assert browser.get(f"/s/{key}/photos/{bbt.photo_ids['penny2.png']}/thumb.jpg").status_code == 404
    assert Client().get(f"/s/{key}/photos/{bbt.photo_ids['amy2.png']}/thumb.jpg").status_code == 403  # no visit


@pytest.mark.parametrize("download, saved", [("originals", "original"), ("previews", "preview"), ("none", None)])
def test_viewer_download_follows_the_link(db, bbt, download, saved):
    browser, key = visit(bbt.event, scope=Scope.EVENT, download=download)
    photo_id = tile_ids(browser.get(f"/s/{key}/photos"))[0]
    page = browser.get(f"/s/{key}/photos/{photo_id}").content.decode()
    if saved:
        assert re.search(rf'href="/api/v1/guest/{key}/photos/{photo_id}/{saved}" download', page)
        assert 'id="share"' in page and "Downloads are turned off" not in page
    else:
        assert " download" not in page and 'id="share"' not in page
        assert "Downloads are turned off for this link." in page


def test_person_album_says_whose_album_it_is(db, bbt):
    amy = Person.objects.get(id=Face.objects.get(photo_id=bbt.photo_ids["amy2.png"]).person_id)
    Person.objects.filter(id=amy.id).update(name="Amy")
    browser, key = visit(bbt.event, scope=Scope.PERSON, person=amy)
    assert "Amy's album" in browser.get(f"/s/{key}").content.decode()
    assert "Amy's album" in browser.get(f"/s/{key}/photos").content.decode()


@pytest.mark.parametrize("path", ["/consent", "/selfie", "/forget"])
def test_every_guest_page_names_the_event(db, bbt, path):
    created = make_link(bbt.event, scope=Scope.SELFIE)
    browser = Client()
    if path != "/consent":
        browser.post(f"/s/{created.token}/consent", {"consent": "yes"})
    page = browser.get(f"/s/{created.token}{path}").content.decode()
    assert f'<p class="guest-bar__event">{bbt.event.name}</p>' in page


def _tall_photo_with_a_face_at_the_top() -> bytes:
    """A 600×1500 portrait with a face in its top fifth: a centre crop shows only grey."""
    face = Image.open(FACES_DIR / "bbt" / "people" / "penny" / "penny1.png").convert("RGB").resize((360, 360))
    canvas = Image.new("RGB", (600, 1500), (128, 128, 128))
    canvas.paste(face, (120, 40))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_grid_thumbnails_are_square_and_centred_on_the_face(db, studio_a, alice, face_pipeline):
    event = event_create(studio=studio_a, user=alice, name="Tall photos")
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile("tall.jpg", _tall_photo_with_a_face_at_the_top())])
    ingest_run_task.apply()
    browser, key = visit(event, scope=Scope.EVENT)
    grid = browser.get(f"/s/{key}/photos").content.decode()
    src = re.search(r'<a class="tile"[^>]*>\s*<img src="([^"]+)"', grid).group(1)
    thumb = browser.get(src)
    assert thumb.status_code == 200 and thumb["Cache-Control"] == "private, max-age=300"
    image = Image.open(io.BytesIO(thumb.content))
    assert image.width == image.height  # the grid shows exactly this square, nothing cut by CSS
    faces = face_pipeline.analyze(thumb.content)
    assert faces, "the thumbnail shows the face"
    x1, y1, x2, y2 = max(faces, key=lambda f: f.area).box
    assert abs((x1 + x2) / 2 - image.width / 2) < 0.15 * image.width
    assert abs((y1 + y2) / 2 - image.height / 2) < 0.15 * image.height

"""The guest selfie flow over the API on the real event: search, previews, originals, zip, scopes."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Photo
from events.services import event_create, photos_upload
from core.storage import object_storage
from recognition.models import Face, Person
from sharing.authentication import SESSION_HEADER
from sharing.models import Download, GuestConsent, GuestSession, RemovalRequest, Scope, ShareLink
from tests.factories import jpeg_bytes
from tests.sharing.conftest import guest_client, make_link, read_face, search

AMY = "bbt/people/amy/amy1.png"
PENNY = "bbt/people/penny/penny1.png"
AMY_PHOTOS = {"amy2.png", "amy3.png", "amy4.png", "amy5.png", "bbt4.jpg"}


def names(bbt, photo_ids) -> set[str]:
    by_id = {photo_id: name for name, photo_id in bbt.photo_ids.items()}
    return {by_id[photo_id] for photo_id in photo_ids}


def test_search_answers_matches_with_guest_scoped_urls(db, bbt):
    created = make_link(bbt.event)
    client = guest_client()
    response = search(client, created.token, read_face(AMY))
    assert response.status_code == 200, response.content
    body = response.json()
    assert names(bbt, [m["photo_id"] for m in body["matches"]]) - {"amy1.png"} == AMY_PHOTOS
    first = body["matches"][0]
    assert first["preview_url"] == f"/api/v1/guest/{created.token}/photos/{first['photo_id']}/preview"
    assert first["original_url"] == f"/api/v1/guest/{created.token}/photos/{first['photo_id']}/original"
    assert body["note"] == ""
    link = ShareLink.objects.get(id=created.link.id)
    assert (link.use_count, link.search_count) == (1, 1)
    consent = GuestConsent.objects.get(link=link)
    assert consent.text_version and len(consent.ip_hash) == 64 and "203.0.113.7" not in consent.ip_hash
    assert consent.user_agent == "pytest-guest/1.0"
    # The cookie now carries the session: previews and the original load, searching again is no new use.
    original = client.get(first["original_url"])
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == object_storage().open(Photo.objects.get(id=first["photo_id"]).original_key).read()
    assert client.get(first["preview_url"]).status_code == 200
    assert search(client, created.token, read_face(AMY), consent="false").status_code == 200
    assert ShareLink.objects.get(id=link.id).use_count == 1


def test_api_client_uses_the_session_header(db, bbt):
    created = make_link(bbt.event)
    response = search(guest_client(), created.token, read_face(PENNY))
    secret = response.json()["session"]
    assert secret and response[SESSION_HEADER] == secret
    assert GuestSession.objects.filter(secret_hash=secret).count() == 0  # only its hash is stored
    api = guest_client()
    photo_id = response.json()["matches"][0]["photo_id"]
    assert api.get(f"/api/v1/guest/{created.token}/photos/{photo_id}/preview").status_code == 403
    api.credentials(HTTP_X_GUEST_SESSION=secret)
    assert api.get(f"/api/v1/guest/{created.token}/photos/{photo_id}/preview").status_code == 200
    listed = api.get(f"/api/v1/guest/{created.token}/photos").json()["photos"]
    assert [p["photo_id"] for p in listed] == [m["photo_id"] for m in response.json()["matches"]]


def test_a_guest_cannot_reach_another_guests_photos(db, bbt):
    created = make_link(bbt.event)
    amy, penny = guest_client("198.51.100.1"), guest_client("198.51.100.2")
    search(amy, created.token, read_face(AMY))
    search(penny, created.token, read_face(PENNY))
    amy_only = bbt.photo_ids["amy3.png"]
    assert amy.get(f"/api/v1/guest/{created.token}/photos/{amy_only}/preview").status_code == 200
    for kind in ("preview", "original"):
        assert penny.get(f"/api/v1/guest/{created.token}/photos/{amy_only}/{kind}").status_code == 404
    stuart = bbt.photo_ids["stuart2.png"]  # in the event, matched by nobody
    assert amy.get(f"/api/v1/guest/{created.token}/photos/{stuart}/preview").status_code == 404


def test_token_of_one_event_cannot_reach_another_events_photos(db, bbt, studio_a, alice):
    other = event_create(studio=studio_a, user=alice, name="Other wedding")
    photos_upload(event=other, user=alice, files=[SimpleUploadedFile("x.jpg", jpeg_bytes())])
    other_photo = Photo.objects.get(event=other)
    ours, theirs = make_link(bbt.event, scope=Scope.EVENT), make_link(other, scope=Scope.EVENT)
    client = guest_client()
    assert client.post(f"/api/v1/guest/{ours.token}/session", {"consent": True}, format="json").status_code == 201
    assert client.get(f"/api/v1/guest/{ours.token}/photos/{other_photo.id}/preview").status_code == 404
    assert client.get(f"/api/v1/guest/{theirs.token}/photos/{bbt.photo_ids['amy2.png']}/preview").status_code == 403
    assert client.post(f"/api/v1/guest/{theirs.token}/session", {"consent": True}, format="json").status_code == 201
    assert client.get(f"/api/v1/guest/{theirs.token}/photos/{bbt.photo_ids['amy2.png']}/preview").status_code == 404


def test_several_faces_uses_the_largest_and_says_so(db, bbt):
    response = search(guest_client(), make_link(bbt.event).token, read_face("bbt/group/bbt4.jpg"))
    assert response.status_code == 200
    assert "6 faces" in response.json()["note"] and "largest" in response.json()["note"]


def test_hidden_photos_are_never_found(db, bbt):
    from events.services import photo_set_hidden

    photo_set_hidden(photo=bbt.photo("amy2.png"), hidden=True)
    response = search(guest_client(), make_link(bbt.event).token, read_face(AMY))
    found = names(bbt, [m["photo_id"] for m in response.json()["matches"]])
    assert "amy2.png" not in found and "amy3.png" in found


def test_forget_me_ends_my_visit_and_hides_my_faces_from_me(db, bbt, django_capture_on_commit_callbacks):
    created = make_link(bbt.event)
    client = guest_client()
    before = search(client, created.token, read_face(AMY)).json()["matches"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/guest/{created.token}/forget")
    body = response.json()
    assert response.status_code == 200 and body["faces_hidden"] == len(before) and body["request_state"] == "pending"
    assert not GuestSession.objects.filter(link=created.link).exists()  # the session (its matches) is gone at once
    removal = RemovalRequest.objects.get(event_id=bbt.event_id)
    assert set(Face.objects.filter(id__in=removal.face_ids).values_list("photo_id", flat=True)) <= {
        m["photo_id"] for m in before}
    assert GuestConsent.objects.get(link=created.link).withdrawn_at is not None
    assert client.get(f"/api/v1/guest/{created.token}/photos").status_code == 403  # the visit is over
    again = search(client, created.token, read_face("bbt/people/amy/amy2.png")).json()["matches"]
    assert names(bbt, [m["photo_id"] for m in again]) & AMY_PHOTOS == set()  # other guests: test_forget_me.py


def test_zip_of_my_originals(db, bbt):
    created = make_link(bbt.event)
    client = guest_client()
    matches = search(client, created.token, read_face(PENNY)).json()["matches"]
    response = client.get(f"/api/v1/guest/{created.token}/download.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(names(bbt, [m["photo_id"] for m in matches]))
    assert archive.read("penny2.png") == object_storage().open(bbt.photo("penny2.png").original_key).read()


@pytest.mark.parametrize("download", [Download.PREVIEWS, Download.NONE])
def test_download_attribute_is_respected(db, bbt, download):
    created = make_link(bbt.event, download=download, watermark=True)
    client = guest_client()
    match = search(client, created.token, read_face(PENNY)).json()["matches"][0]
    assert match["original_url"] is None
    assert client.get(f"/api/v1/guest/{created.token}/photos/{match['photo_id']}/original").status_code == 403
    preview = client.get(match["preview_url"])
    assert preview.status_code == 200 and preview.content[:2] == b"\xff\xd8"
    stored = object_storage().open(Photo.objects.get(id=match["photo_id"]).preview_key).read()
    assert preview.content != stored  # watermarked, never the clean preview
    archive = client.get(f"/api/v1/guest/{created.token}/download.zip")
    if download == Download.NONE:
        assert archive.status_code == 403
    else:
        names_in_zip = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
        assert all(name.endswith(".jpg") for name in names_in_zip) and len(names_in_zip) >= 5


def test_person_link_shows_the_album_without_a_selfie(db, bbt):
    amy2 = Face.objects.get(photo_id=bbt.photo_ids["amy2.png"])
    person = Person.objects.get(id=amy2.person_id)
    created = make_link(bbt.event, scope=Scope.PERSON, person=person)
    client = guest_client()
    assert client.get(f"/api/v1/guest/{created.token}/photos").status_code == 403  # consent first
    assert client.post(f"/api/v1/guest/{created.token}/session", {"consent": True}, format="json").status_code == 201
    album = {p["photo_id"] for p in client.get(f"/api/v1/guest/{created.token}/photos").json()["photos"]}
    assert album == set(Face.objects.filter(person=person).values_list("photo_id", flat=True))
    assert names(bbt, album) >= {"amy2.png", "amy3.png"}
    assert client.get(f"/api/v1/guest/{created.token}/photos/{bbt.photo_ids['penny2.png']}/preview").status_code == 404


def test_event_link_shows_every_visible_photo(db, bbt):
    Photo.objects.filter(id=bbt.photo_ids["raj3.png"]).update(hidden=True)
    created = make_link(bbt.event, scope=Scope.EVENT)
    client = guest_client()
    client.post(f"/api/v1/guest/{created.token}/session", {"consent": True}, format="json")
    shown = {p["photo_id"] for p in client.get(f"/api/v1/guest/{created.token}/photos").json()["photos"]}
    assert shown == set(bbt.photo_ids.values()) - {bbt.photo_ids["raj3.png"]}
    assert client.get(f"/api/v1/guest/{created.token}/photos/{bbt.photo_ids['raj3.png']}/preview").status_code == 404


def test_maximum_guests_counts_guests_who_searched_not_who_opened(db, bbt):
    """Before: opening the link spent the use ("1 of 1 guests · 0 searches · All uses taken")."""
    created = make_link(bbt.event, max_uses=1)
    opener, searcher = guest_client("198.51.100.1"), guest_client("198.51.100.2")
    for guest in (opener, searcher):
        assert guest.post(f"/api/v1/guest/{created.token}/session", {"consent": True}, format="json").status_code == 201
    assert ShareLink.objects.get(id=created.link.id).use_count == 0  # before: 1, and the second guest got a 410
    assert search(searcher, created.token, read_face(AMY)).status_code == 200
    assert search(searcher, created.token, read_face(PENNY)).status_code == 200  # the same guest again: no new use
    link = ShareLink.objects.get(id=created.link.id)
    assert (link.use_count, link.search_count, link.state) == (1, 2, "exhausted")
    gone = search(opener, created.token, read_face(PENNY))
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "link_exhausted"
    assert search(guest_client("198.51.100.3"), created.token, read_face(AMY)).status_code == 410


def test_confidence_spreads_over_calibrated_bands(db, bbt):
    """Before: every match read ~100 % (logistic P(same) is ~99.8 % above the search threshold)."""
    created = make_link(bbt.event)
    guest = guest_client()
    matches = search(guest, created.token, read_face("bbt/people/stuart/stuart1.png")).json()["matches"]
    found = {names(bbt, [m["photo_id"]]).pop(): (m["confidence"], m["confidence_band"]) for m in matches}
    # All three are portraits of Stuart himself, matched less and less closely.
    assert found["stuart2.png"][1] == "very_likely" and found["stuart3.png"][1] == "probably"
    assert found["stuart5.png"][1] == "maybe"
    assert found["stuart2.png"][0] > found["stuart3.png"][0] > found["stuart5.png"][0] >= 50
    assert sum(confidence >= 99.5 for confidence, _band in found.values()) == 1  # only the selfie's own photo
    listed = guest.get(f"/api/v1/guest/{created.token}/photos").json()["photos"]
    assert {p["confidence_band"] for p in listed} == {"very_likely", "probably", "maybe"}

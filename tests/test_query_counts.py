"""Queries stay bounded as data grows: the dashboard, the API lists and guest galleries make the
same number of queries for 3 rows as for 30 (each test measures both) and stay under a ceiling."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import Client

from events.models import Photo, PhotoState
from events.services import event_create
from recognition.models import Face, Person
from sharing.models import GuestSession
from sharing.services.links import share_link_create
from tests.factories import client_for

SMALL, LARGE = 3, 30


def _photos(event, count: int) -> list[Photo]:
    start = Photo.objects.count()
    return Photo.objects.bulk_create([Photo(
        studio_id=event.studio_id, event=event, original_filename=f"p{i}.jpg",
        original_key=f"{event.studio_id}/events/{event.id}/originals/{start + i}.jpg", size=1,
        sha256=f"{event.id:08d}{start + i:056d}", content_type="image/jpeg", width=10, height=10,
        state=PhotoState.DONE, preview_key=f"prev/{start + i}.jpg", thumbnail_key=f"thumb/{start + i}.jpg",
    ) for i in range(count)])


def _person_with_faces(event, photos, person: Person | None = None) -> Person:
    person = person or Person.objects.create(studio_id=event.studio_id, event=event)
    Face.objects.bulk_create([Face(
        studio_id=event.studio_id, event=event, photo=photo, x1=0, y1=0, x2=5, y2=5, probability=0.99,
        landmarks=[], embedding_ciphertext=b"x", embedder_name="sface", embedder_version="t", embedder_dim=128,
        usable=True, blur=100.0, person=person) for photo in photos])
    return person


def _count(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def _grows(make_rows, fetch) -> tuple[int, int]:
    make_rows(SMALL)
    small = _count(fetch)
    make_rows(LARGE - SMALL)
    return small, _count(fetch)


def test_dashboard(studio_a, alice, django_assert_max_num_queries):
    client = Client()
    client.force_login(alice)

    def more_events(count):
        for i in range(count):
            event = event_create(studio=studio_a, user=alice, name=f"E{i}")
            person = _person_with_faces(event, _photos(event, 2))
            assert person.faces.count() == 2
    small, large = _grows(more_events, lambda: client.get("/"))
    assert large == small, f"{small} queries for {SMALL} events, {large} for {LARGE}"
    with django_assert_max_num_queries(12):
        client.get("/")


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/events/{id}/photos/", "/api/v1/events/{id}/people/"])
def test_api_lists(studio_a, alice, path, django_assert_max_num_queries):
    client = client_for(alice)
    event = event_create(studio=studio_a, user=alice, name="Lists")

    def more_rows(count):
        for _ in range(count):
            other = event_create(studio=studio_a, user=alice, name="More")
            _person_with_faces(event, _photos(event, 1))
            _photos(other, 1)
    url = path.format(id=event.id)
    small, large = _grows(more_rows, lambda: client.get(url))
    assert large == small, f"{url}: {small} queries for {SMALL} rows, {large} for {LARGE}"
    with django_assert_max_num_queries(12):
        client.get(url)


@pytest.mark.parametrize("scope", ["event", "person"])
@pytest.mark.parametrize("page", [False, True])
@pytest.mark.parametrize("searched", [False, True])
def test_guest_galleries(studio_a, alice, scope, page, searched, django_assert_max_num_queries):
    event = event_create(studio=studio_a, user=alice, name="Party")
    person = _person_with_faces(event, _photos(event, 1))
    link = share_link_create(event=event, user=None, base_url="http://testserver", scope=scope,
                             person=person if scope == "person" else None)
    guest = Client(REMOTE_ADDR="203.0.113.9")
    started = guest.post(f"/api/v1/guest/{link.token}/session", {"consent": True}, content_type="application/json")
    assert started.status_code == 201, started.content
    url = f"/s/{link.token}/photos" if page else f"/api/v1/guest/{link.token}/photos"

    def more_photos(count):
        _person_with_faces(event, _photos(event, count), person=person)
        if searched:  # as if a selfie matched every face: the gallery lists the matches
            matches = [[face.photo_id, face.id, 90.0] for face in Face.objects.filter(event=event)]
            GuestSession.objects.filter(link__event=event).update(searched=True, matches=matches)
    small, large = _grows(more_photos, lambda: guest.get(url))
    assert large == small, f"{url}: {small} queries for {SMALL} photos, {large} for {LARGE}"
    with django_assert_max_num_queries(12):
        guest.get(url)


"""Two users merge the same people at the same moment: row locks mean no face is ever lost."""
import threading

import pytest
from django.db import connection, connections

from recognition.models import Face, Person
from recognition.services import curation
from tests.recognition.helpers import event_with_faces

pytestmark = pytest.mark.skipif(
    "postgresql" not in connection.vendor, reason="row locks need PostgreSQL (CI runs on it)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_merges_lose_no_faces(studio_a, alice, face_pipeline):
    photos = [f"bbt/people/{name}/{name}1.png" for name in ("amy", "penny", "raj")]
    event = event_with_faces(studio_a, alice, photos, face_pipeline)
    people = list(Person.objects.filter(event=event).order_by("id"))
    assert len(people) >= 3
    a, c = people[0], people[-1]
    faces_before = Face.objects.filter(event=event, person__isnull=False).count()
    barrier, outcomes = threading.Barrier(2), []

    def merge(target, others):
        barrier.wait()
        try:
            outcomes.append(curation.person_merge(event=event, person_id=target.id, other_ids=[o.id for o in others]).id)
        except Exception as exc:  # the loser finds its people gone: a 404, not lost faces
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=(a, people[1:])), threading.Thread(target=merge, args=(c, people[:-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) in ([str(a.id), "Http404"], [str(c.id), "Http404"])
    assert Person.objects.filter(event=event).count() == 1
    assert Face.objects.filter(event=event, person__isnull=False).count() == faces_before

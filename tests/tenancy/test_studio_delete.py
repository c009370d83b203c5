import pytest
from django.core.management import CommandError, call_command

from events.models import Event, Photo
from core.storage import object_storage
from recognition.models import EventKey
from tests.recognition.helpers import event_with_faces
from core.tenancy.models import Studio


def test_deleting_a_studio_destroys_keys_objects_and_rows_of_that_studio_only(studio_a, studio_b, alice, charlie, face_pipeline):
    mine = event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)
    theirs = event_with_faces(studio_b, charlie, ["portraits/biden.jpg"], face_pipeline)
    my_key, their_key = (Photo.objects.get(event=e).original_key for e in (mine, theirs))
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete_studio", studio_a.slug)
    assert Studio.objects.filter(id=studio_a.id).exists()
    call_command("delete_studio", studio_a.slug, "--yes")
    storage = object_storage()
    assert not Studio.objects.filter(id=studio_a.id).exists() and not Event.objects.filter(id=mine.id).exists()
    assert not EventKey.objects.filter(event_id=mine.id).exists() and not storage.exists(my_key)
    assert storage.exists(their_key) and EventKey.objects.filter(event=theirs).exists()

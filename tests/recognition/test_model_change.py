"""Changing the embedding model re-embeds faces and maps them back onto the existing people."""
from django.core.management import call_command

from recognition.models import Face, Person
from recognition.search import event_search
from recognition.services.calibration import pipeline_for
from recognition.services.face_edits import face_add
from tests.factories import FACES_DIR
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "raj") for i in (1, 2, 3)] + ["bbt/group/bbt4.jpg"]


def test_names_curation_and_rejections_survive_a_model_change(studio_a, alice, face_pipeline, capsys):
    event = event_with_faces(studio_a, alice, PHOTOS, face_pipeline)
    amy = Face.objects.get(event=event, photo__original_filename="amy1.png").person
    raj = Face.objects.get(event=event, photo__original_filename="raj1.png").person
    Person.objects.filter(id=amy.id).update(name="Amy", curated=True)
    rejected = raj.faces.get(photo__original_filename="raj2.png")
    rejected.person = None
    rejected.save()
    rejected.rejected_people.add(raj)
    Face.objects.filter(event=event, photo__original_filename="amy3.png").update(guest_excluded=True)
    # fixed by hand: amy drawn in the group shot (the detector "missed" her), a bystander ignored
    missed = amy.faces.get(photo__original_filename="bbt4.jpg")
    missed_box = missed.box
    missed.delete()
    drawn = face_add(photo=missed.photo, box=[missed_box[0], missed_box[1], missed_box[2] - missed_box[0],
                                              missed_box[3] - missed_box[1]]).face
    assert drawn.person_id == amy.id
    ignored = Face.objects.filter(event=event, photo__original_filename="bbt4.jpg", person__isnull=True).first() or \
        Face.objects.filter(event=event, photo__original_filename="bbt4.jpg").exclude(id=drawn.id).exclude(person=amy).first()
    Face.objects.filter(id=ignored.id).update(person=None, set_aside="ignored")
    ignored_box = ignored.box
    people_before = {p.id: (p.name, sorted(p.faces.values_list("photo_id", flat=True))) for p in Person.objects.filter(event=event)}

    call_command("reembed_event", "--event", str(event.id), "--embedder", "sface-fast")

    assert set(Face.objects.filter(event=event).values_list("embedder_name", flat=True)) == {"sface-fast"}
    people_after = {p.id: (p.name, sorted(p.faces.values_list("photo_id", flat=True))) for p in Person.objects.filter(event=event)}
    assert people_after == people_before
    new_rejected = Face.objects.get(event=event, photo__original_filename="raj2.png")
    assert new_rejected.person is None and list(new_rejected.rejected_people.all()) == [raj]
    assert "kept their person" in capsys.readouterr().out
    assert Face.objects.get(event=event, photo__original_filename="amy3.png").guest_excluded
    redrawn = Face.objects.get(event=event, photo=drawn.photo, added_by_hand=True)
    assert redrawn.person_id == amy.id and redrawn.embedder_name == "sface-fast"
    assert Face.objects.get(event=event, photo=drawn.photo, x1__gt=ignored_box[0] - 5, x1__lt=ignored_box[0] + 5,
                            y1__gt=ignored_box[1] - 5, y1__lt=ignored_box[1] + 5).set_aside == "ignored"
    # search now runs on the new vectors: a fresh sface-fast selfie of amy finds amy's photos
    selfie = pipeline_for("sface-fast").analyze(FACES_DIR / "bbt/people/amy/amy4.png")[0]
    found = {m.photo_id for m in event_search(event=event, embedding=selfie.embedding)}
    assert found == set(Face.objects.filter(person=amy, guest_excluded=False).values_list("photo_id", flat=True))

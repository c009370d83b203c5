"""Per-person albums: the person's originals (byte for byte) plus a "Faces" index image.

One list of entries feeds both outputs: a streaming zip (core.downloads.zip_response, for the
download and the email link) and a folder on disk (`export_people`, the seeds' OUT/<person>/ +
OUT/Faces/ layout).
"""
import io
import shutil
from pathlib import Path

from django.db.models import QuerySet
from PIL import Image, ImageDraw

from events.models import Photo
from core.storage import CHUNK_SIZE, object_storage
from core.zipstream import ZipEntry, safe_name, storage_entry, unique_name
from recognition.models import Face, Person
from recognition.thumbnails import face_crop

INDEX_TILE, INDEX_COLUMNS, INDEX_MAX_FACES = 160, 6, 60
LEFT_OUT_NAME = "Left out.txt"


def person_label(person: Person) -> str:
    return safe_name(person.name or f"Person {person.id}").replace("/", "-")


def album_photos(person: Person) -> QuerySet[Photo]:
    """The person's photos that may leave the studio (hidden photos stay out)."""
    return Photo.objects.filter(faces__person=person, hidden=False).distinct().order_by("taken_at", "id")


def album_entries(person: Person, *, with_index: bool = True) -> list[ZipEntry]:
    storage, taken = object_storage(), set()
    entries = [
        storage_entry(storage=storage, key=photo.original_key, name=unique_name(safe_name(photo.original_filename), taken),
                      size=photo.size, modified=photo.taken_at)
        for photo in album_photos(person)
    ]
    index = faces_index_jpeg(person) if with_index else None
    if index is not None:
        entries.append(ZipEntry(name=unique_name(f"Faces/{person_label(person)}.jpg", taken), open=lambda: io.BytesIO(index)))
    left_out = album_left_out(person) if with_index else []  # the zips, not sort_photos' byte-identical folders
    if left_out:
        note = ("\n".join(["Photos of this person's event left out of this album, and why:", "", *left_out]) + "\n").encode()
        entries.append(ZipEntry(name=unique_name(LEFT_OUT_NAME, taken), open=lambda: io.BytesIO(note)))
    return entries


def album_left_out(person: Person) -> list[str]:
    """One line per photo the album leaves out that a user may expect in it, so none is dropped
    silently: photos hidden from guests, and photos whose face was said to be "not this person"."""
    hidden = Photo.objects.filter(faces__person=person, hidden=True).distinct().order_by("id")
    rejected = (Photo.objects.filter(faces__rejected_people=person, hidden=False).exclude(faces__person=person)
                .distinct().order_by("id"))
    return ([f"{photo.original_filename}: hidden from guests" for photo in hidden]
            + [f"{photo.original_filename}: a face in it was marked \u201cnot this person\u201d (assign it again "
               "from Unassigned faces if that was a mistake)" for photo in rejected])


def faces_index_jpeg(person: Person) -> bytes | None:
    """A contact sheet of the person's faces, each captioned with its photo's filename."""
    faces = list(Face.objects.filter(person=person, photo__hidden=False).select_related("photo").order_by("-blur")[:INDEX_MAX_FACES])
    if not faces:
        return None
    rows = (len(faces) + INDEX_COLUMNS - 1) // INDEX_COLUMNS
    sheet = Image.new("RGB", (INDEX_TILE * min(len(faces), INDEX_COLUMNS), rows * (INDEX_TILE + 18)), "white")
    draw = ImageDraw.Draw(sheet)
    for n, face in enumerate(faces):
        x, y = (n % INDEX_COLUMNS) * INDEX_TILE, (n // INDEX_COLUMNS) * (INDEX_TILE + 18)
        sheet.paste(face_crop(face, side=INDEX_TILE), (x, y))
        draw.text((x + 4, y + INDEX_TILE + 3), face.photo.original_filename[:24], fill="black")
    out = io.BytesIO()
    sheet.save(out, "JPEG", quality=88)
    return out.getvalue()


def album_write_folder(person: Person, out_dir: Path) -> int:
    """OUT/<person>/<files> and OUT/Faces/<person>.jpg (the cover face), byte-identical copies."""
    label = person_label(person)
    written = 0
    for entry in album_entries(person, with_index=False):
        target = out_dir / label / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with entry.open() as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK_SIZE)
        written += 1
    if person.cover_face_id:
        (out_dir / "Faces").mkdir(parents=True, exist_ok=True)
        face_crop(person.cover_face, side=320).save(out_dir / "Faces" / f"{label}.jpg", "JPEG", quality=92)
    return written

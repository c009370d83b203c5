"""Factories of events, photos and organizers: each takes its studio from its parent, so a photo
of studio B's event is studio B's photo, never a row that straddles two tenants."""
import hashlib

import factory
from django.core.files.base import ContentFile
from PIL import Image

from core.storage import object_storage, original_key
from events.models import Event, EventOrganizer, Photo, PhotoState
from tests.factories.tenancy import StudioFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    studio = factory.SubFactory(StudioFactory)
    name = factory.Sequence(lambda n: f"Event {n}")


class EventOrganizerFactory(factory.django.DjangoModelFactory):
    """An event's client (the organizer role): no studio membership, this one event only."""

    class Meta:
        model = EventOrganizer

    event = factory.SubFactory(EventFactory)
    studio = factory.LazyAttribute(lambda o: o.event.studio)
    user = factory.SubFactory(UserFactory)


class PhotoFactory(factory.django.DjangoModelFactory):
    """A stored photo: its bytes (`content`, a generated JPEG unless given, e.g. a shared/data file's
    bytes) are written to the object store under the event's key prefix, as the upload service does."""

    class Meta:
        model = Photo
        exclude = ("content",)

    event = factory.SubFactory(EventFactory)
    studio = factory.LazyAttribute(lambda o: o.event.studio)
    original_filename = factory.Sequence(lambda n: f"photo{n}.jpg")
    content = factory.LazyAttribute(lambda o: _jpeg(o.original_filename))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    content_type = "image/jpeg"
    width = factory.LazyAttribute(lambda o: _size(o.content)[0])
    height = factory.LazyAttribute(lambda o: _size(o.content)[1])
    state = PhotoState.DONE
    original_key = factory.LazyAttribute(
        lambda o: original_key(studio_id=o.studio.id, event_id=o.event.id, filename=o.original_filename))

    @classmethod
    def _create(cls, model_class, *args, content: bytes = b"", **kwargs):
        object_storage().save(kwargs["original_key"], ContentFile(content))
        return super()._create(model_class, *args, **kwargs)


def _jpeg(name: str) -> bytes:
    """A small JPEG whose bytes are this photo's alone (its name in a JPEG comment): photos of one event
    never share a SHA-256 (a shade picked from the name's hash collided 1 time in 256)."""
    import io

    shade = int(hashlib.sha256(name.encode()).hexdigest()[:2], 16)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 40)).save(out, "JPEG", quality=90, comment=name.encode())
    return out.getvalue()


def _size(content: bytes) -> tuple[int, int]:
    import io

    with Image.open(io.BytesIO(content)) as image:
        return image.size



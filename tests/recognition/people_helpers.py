"""People built from factories (no model pass): a person in `photos` photos, one face in each."""
import numpy as np

from recognition.models import Person
from recognition.services.people import people_refresh_covers
from tests.factories.events import PhotoFactory
from tests.factories.recognition import FaceFactory, PersonFactory


def person_in_photos(event, *, name: str = "", photos: int = 1, hidden: bool = False, embedding=None) -> Person:
    person = PersonFactory(event=event, name=name, hidden=hidden)
    for _ in range(photos):
        face_kwargs = {"embedding": embedding(person)} if embedding else {}
        FaceFactory(photo=PhotoFactory(event=event), person=person, **face_kwargs)
    people_refresh_covers(event=event)
    return person


def near(vector: np.ndarray, rng: np.random.Generator, noise: float = 0.05):
    """A unit vector close to `vector` (another photo of the same person)."""
    v = vector + noise * rng.standard_normal(vector.shape)
    return (v / np.linalg.norm(v)).astype(np.float32)

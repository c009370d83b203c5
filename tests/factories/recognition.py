"""Factories of people and faces: a face takes its event and studio from its photo, a person from
its event. A face's embedding (a real one: the pipeline's, for a shared/data photo) is encrypted
with its event's data key, as the ingest engine stores it."""
import uuid

import factory
import numpy as np

from recognition import crypto
from recognition.conf import ml_config
from recognition.ml.embedders import get_embedder
from recognition.models import Face, Person
from recognition.services.calibration import event_calibration_record
from recognition.services.keys import event_data_key
from tests.factories.events import EventFactory, PhotoFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    event = factory.SubFactory(EventFactory)
    studio = factory.LazyAttribute(lambda o: o.event.studio)
    name = factory.Sequence(lambda n: f"Person {n}")


class FaceFactory(factory.django.DjangoModelFactory):
    """A face on a photo. `embedding` defaults to a random unit vector of the default embedder's size:
    give a real one where recognition matters."""

    class Meta:
        model = Face
        exclude = ("embedding",)

    photo = factory.SubFactory(PhotoFactory)
    event = factory.LazyAttribute(lambda o: o.photo.event)
    studio = factory.LazyAttribute(lambda o: o.photo.studio)
    person = None
    uid = factory.LazyFunction(uuid.uuid4)
    x1, y1, x2, y2 = 4.0, 4.0, 44.0, 44.0
    probability = 0.99
    landmarks = factory.LazyFunction(lambda: [[14.0, 18.0], [34.0, 18.0], [24.0, 26.0], [16.0, 34.0], [32.0, 34.0]])
    embedder_name = factory.LazyFunction(lambda: get_embedder(ml_config()).name)
    embedder_version = factory.LazyFunction(lambda: get_embedder(ml_config()).version)
    embedder_dim = factory.LazyFunction(lambda: get_embedder(ml_config()).dim)
    embedding = factory.LazyAttribute(lambda o: _unit(np.random.default_rng().normal(size=o.embedder_dim)))
    embedding_ciphertext = factory.LazyAttribute(lambda o: crypto.encrypt_embedding(
        np.asarray(o.embedding, np.float32), data_key=event_data_key(event=o.event), event_id=o.event.id,
        face_id=str(o.uid)))
    usable = True
    blur = 120.0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # What the ingest engine does with an event's first face: record the model and its thresholds.
        event_calibration_record(event_id=kwargs["event"].id, embedder=get_embedder(ml_config(), kwargs["embedder_name"]))
        return super()._create(model_class, *args, **kwargs)


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)

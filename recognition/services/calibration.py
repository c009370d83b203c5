"""Which embedder and thresholds an event uses: recorded with its first face, then enforced.

Faces of two embedders are not comparable, so an event never mixes them: storing faces of another
embedder raises EmbedderMismatch (re-embed the event to change model: services.reembed), and every
reader (assignment, clustering, suggestions, search) uses only faces of the recorded embedder.
"""
import functools

from django.db import IntegrityError, transaction

from events.models import Event
from recognition.ml.calibration import Calibration, calibration_for
from recognition.conf import face_pipeline, ml_config
from recognition.ml.pipeline import FacePipeline
from recognition.ml.embedders import Embedder
from recognition.models import EventCalibration


class EmbedderMismatch(Exception):
    """Faces of another embedder than the event's: refused (re-embed the event instead)."""

    code = "embedder_mismatch"


def event_calibration_record(*, event_id: int, embedder: Embedder) -> None:
    """Record the embedder with the event's first faces; refuse faces of any other one.

    One primary-key read per stored face (no cache: a re-embed may switch the event at any time).
    """
    row = EventCalibration.objects.filter(event_id=event_id).first()
    if row is None:
        try:
            with transaction.atomic():
                row = EventCalibration.objects.create(event_id=event_id, **_fields(embedder))
        except IntegrityError:  # another worker recorded it first
            row = EventCalibration.objects.get(event_id=event_id)
    if (row.embedder_name, row.embedder_version) != (embedder.name, embedder.version):
        raise EmbedderMismatch(
            f"event {event_id} was embedded with {row.embedder_name} {row.embedder_version}, not "
            f"{embedder.name} {embedder.version}: re-embed it (manage.py reembed_event) to change model")


def event_calibration_switch(*, event: Event, embedder: Embedder) -> EventCalibration:
    """Point the event at another embedder (its faces are re-embedded right after)."""
    row, _ = EventCalibration.objects.update_or_create(event=event, defaults=_fields(embedder))
    return row


def event_calibration(*, event: Event) -> tuple[EventCalibration | None, Calibration]:
    """The event's record (None before its first face) and thresholds (else the default embedder's)."""
    row = EventCalibration.objects.filter(event_id=event.id).first()
    if row is None:
        return None, calibration_for(ml_config().embedder)
    return row, Calibration.from_event_fields(row)


def event_embedder_filter(*, event: Event) -> dict[str, str]:
    """Face filter kwargs for the faces of the event's recorded embedder (all faces before one is)."""
    row = EventCalibration.objects.filter(event_id=event.id).only("embedder_name", "embedder_version").first()
    return {} if row is None else {"embedder_name": row.embedder_name, "embedder_version": row.embedder_version}


def event_pipeline(*, event: Event):
    """The face pipeline of the event's embedder (for queries such as a guest's selfie)."""
    row = EventCalibration.objects.filter(event_id=event.id).first()
    default = face_pipeline()
    if row is None:
        return default
    pipeline = default if default.embedder.name == row.embedder_name else pipeline_for(row.embedder_name)
    if pipeline.embedder.version != row.embedder_version:
        raise EmbedderMismatch(f"event {event.id} was embedded with {row.embedder_name} {row.embedder_version}; "
                               f"this install has {pipeline.embedder.version}: re-embed the event")
    return pipeline


@functools.lru_cache(maxsize=2)
def pipeline_for(embedder_name: str) -> FacePipeline:
    return FacePipeline(ml_config(), embedder_name=embedder_name)


def _fields(embedder: Embedder) -> dict:
    return {"embedder_name": embedder.name, "embedder_version": embedder.version, "embedder_dim": embedder.dim,
            **calibration_for(embedder.name).event_fields()}

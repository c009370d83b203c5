"""The ingest loop a worker runs when woken: claim → load → analyze → store, batch after batch.

Loading (storage read, one reduced decode, preview and thumbnail) of the next batch runs on
loader threads (VISAGE_INGEST_LOADERS) while the models work on the current one; Pillow and
torch release the GIL, so on a GPU node many loaders keep the device fed. The database is the
source of truth throughout: a live worker's leases are renewed (LeaseKeeper), so what a killed
worker held, and only that, comes back when its lease runs out (claims.py). A transient
error (storage or database away) while loading or storing a batch sends its photos back to the
queue after a backoff, their attempts untouched (retries.py). How a photo ends is events'
lifecycle (events/lifecycle.py), which announces it (events.hooks.photos_finished).
"""
import logging
import os
import socket
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import close_old_connections, connection

from events.lifecycle import photo_fail
from events.transient import is_transient
from events.conf import ingest as ingest_config
from recognition.ingest.analysis import analyze_batch
from recognition.ingest.claims import Claim, LeaseKeeper, photos_claim
from recognition.ingest.loading import LoadedPhoto, load_photo
from recognition.ingest.retries import photo_retry_later
from recognition.ingest.store import store_batch
from recognition.ml.embedders import EmbedderUnavailable
from recognition.conf import face_pipeline
from recognition.ml.pipeline import FacePipeline
from recognition.services.calibration import EmbedderMismatch, event_embedder_filter, event_pipeline

logger = logging.getLogger(__name__)


@dataclass
class RunReport:
    batches: int = 0
    done: int = 0
    failed: int = 0
    released: int = 0  # sent back to wait out a backoff (storage or database away)
    events: set[int] = field(default_factory=set)
    more_waiting: bool = False  # stopped on the time budget with work left


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ingest_run(*, budget_s: float | None = None, batch_size: int | None = None,
               pipeline: FacePipeline | None = None) -> RunReport:
    """Process waiting photos until none is left or ``budget_s`` has passed."""
    budget_s = ingest_config().ingest_task_seconds if budget_s is None else budget_s
    batch_size = batch_size or ingest_config().ingest_batch
    pipeline = pipeline or face_pipeline()
    deadline = time.monotonic() + budget_s
    report, worker = RunReport(), worker_name()
    loaders = ingest_config().ingest_loaders
    with LeaseKeeper() as leases, ThreadPoolExecutor(max_workers=loaders, thread_name_prefix="ingest-loader") as loader:
        pending = _claim_and_load(loader, leases, worker, batch_size, pipeline)
        while pending is not None:
            claim, loading = pending
            loaded = [future.result() for future in loading]
            # Claim and start loading the next batch before the models run on this one.
            pending = (_claim_and_load(loader, leases, worker, batch_size, pipeline)
                       if time.monotonic() < deadline else None)
            try:
                _process(claim, loaded, pipeline, report)
            finally:
                leases.release(claim)
        report.more_waiting = time.monotonic() >= deadline
    return report


def _claim_and_load(loader: ThreadPoolExecutor, leases: LeaseKeeper, worker: str, batch_size: int,
                    pipeline: FacePipeline) -> tuple[Claim, list[Future]] | None:
    claim = photos_claim(worker=worker, limit=batch_size)
    if claim is None:
        return None
    leases.hold(claim)
    return claim, [loader.submit(_load_in_thread, photo, pipeline) for photo in claim.photos]


def _load_in_thread(photo, pipeline: FacePipeline) -> LoadedPhoto:
    try:
        return load_photo(photo, pipeline)
    finally:
        close_old_connections()  # the loader thread may touch the database through storage


def _process(claim: Claim, loaded: list[LoadedPhoto], pipeline: FacePipeline, report: RunReport) -> None:
    faces, embedders = {}, {}
    for event_pipeline_, items in _by_event_pipeline(loaded, pipeline).values():
        faces.update(analyze_batch(items, event_pipeline_))
        embedders.update({item.photo.id: event_pipeline_.embedder for item in items})
    stored = _store(claim, loaded, faces, embedders)
    for item in loaded:
        if item.transient:
            photo_retry_later(photo_id=item.photo.id, token=claim.token, reason=item.transient)
            report.released += 1
        elif item.failure:
            photo_fail(photo_id=item.photo.id, token=claim.token, reason=item.failure)
            report.failed += 1
            report.events.add(item.photo.event_id)  # its people may have been waiting for it
    report.batches += 1
    report.done += len(stored)
    report.events.update(item.photo.event_id for item in stored)
    logger.info("ingest batch of %d: %d done, %d failed, %d released", len(loaded), len(stored),
                sum(1 for item in loaded if item.failure), sum(1 for item in loaded if item.transient))


def _store(claim: Claim, loaded: list[LoadedPhoto], faces: dict, embedders: dict) -> list[LoadedPhoto]:
    """Store the batch; if storage or the database fails meanwhile, nothing was stored (one
    transaction) and every photo still in the running waits out a backoff instead."""
    try:
        return store_batch(claim=claim, loaded=loaded, faces=faces, embedders=embedders)
    except Exception as exc:
        if not is_transient(exc):
            raise
        logger.warning("storing a batch of %d failed (%s: %s); its photos retry later", len(loaded),
                       exc.__class__.__name__, exc)
        if not connection.in_atomic_block:  # a connection the database dropped is replaced on next use
            connection.close_if_unusable_or_obsolete()
        for item in loaded:
            if not item.failure:
                item.transient = item.transient or f"could not store the results ({exc.__class__.__name__}: {exc})"
        return []


def _by_event_pipeline(loaded: list[LoadedPhoto], pipeline: FacePipeline) -> dict[int, tuple[FacePipeline, list]]:
    """Ready photos grouped by the pipeline of their event's embedder (an event never mixes models):
    the worker's own where it matches; a photo whose event's model cannot run here ends failed."""
    groups: dict[int, tuple[FacePipeline, list]] = {}
    pipelines: dict[int, FacePipeline | str] = {}  # event id -> its pipeline, or why there is none
    for item in loaded:
        if item.input is None:
            continue
        event = item.photo.event
        if event.id not in pipelines:
            pipelines[event.id] = _event_pipeline(event, pipeline)
        chosen = pipelines[event.id]
        if isinstance(chosen, str):
            item.failure = chosen
            continue
        groups.setdefault(id(chosen), (chosen, []))[1].append(item)
    return groups


def _event_pipeline(event, pipeline: FacePipeline) -> FacePipeline | str:
    recorded = event_embedder_filter(event=event)
    mine = {"embedder_name": pipeline.embedder.name, "embedder_version": pipeline.embedder.version}
    if not recorded or recorded == mine:
        return pipeline
    try:
        return event_pipeline(event=event)
    except (EmbedderMismatch, EmbedderUnavailable) as exc:
        return f"this event's faces were made with another model, which this worker cannot run ({exc})"

"""Typed configuration of uploads, image limits and the ingest engine (docs/ingest.md,
docs/image-limits.md). Values and defaults: the configuration surface (visage/settings/surface.py),
read from the Django settings at each call (override_settings applies)."""
from __future__ import annotations

from dataclasses import dataclass

from core.conf import settings_object


@dataclass(frozen=True)
class UploadsConfig:
    max_upload_bytes: int
    max_files_per_request: int
    upload_parallel_requests: int  # requests the upload page keeps in flight
    max_image_pixels: int
    decode_budget_bytes: int
    decode_cpu_seconds: int
    preview_long_side: int
    thumbnail_long_side: int


@dataclass(frozen=True)
class IngestConfig:
    ingest_queue: str
    ingest_batch: int
    ingest_lease_seconds: int
    ingest_max_attempts: int
    ingest_task_seconds: int
    ingest_max_wakes: int
    ingest_loaders: int
    ingest_retry_first_seconds: int
    ingest_retry_max_seconds: int
    ingest_retry_patience_seconds: int
    reconcile_people_grace_seconds: int


def uploads() -> UploadsConfig:
    return settings_object(UploadsConfig)


def ingest() -> IngestConfig:
    return settings_object(IngestConfig)

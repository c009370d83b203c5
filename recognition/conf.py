"""Recognition's typed configuration: the face models (handed to recognition/ml as an MLConfig),
the event key store, album links. Values and defaults: the configuration surface
(visage/settings/surface.py), read from the Django settings at each call."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from core.conf import settings_object
from events.conf import uploads
from recognition.ml.config import MLConfig


@dataclass(frozen=True)
class KeysConfig:
    master_keys: str | None  # "k2:BASE64,k1:BASE64" (first wraps, all unwrap)
    key_store_dir: str | None  # wrapped event keys as files here; empty: in the database
    require_master_keys: bool  # production: the "visage" system check refuses to start without them


def keys() -> KeysConfig:
    return settings_object(KeysConfig)


def album_link_days() -> int:
    return settings.VISAGE_ALBUM_LINK_DAYS


def ml_config() -> MLConfig:
    """The face pipeline's configuration: one pixel limit and decode budget for the whole product
    (a photo the upload accepted is one the workers decode), the work decode at the preview's size."""
    images = uploads()
    return MLConfig(embedder=settings.VISAGE_EMBEDDER, facenet_weights=settings.VISAGE_FACENET_WEIGHTS,
                    torch_threads=settings.VISAGE_TORCH_THREADS, cpu_bf16=settings.VISAGE_CPU_BF16,
                    max_pixels=images.max_image_pixels, work_long_side=images.preview_long_side,
                    decode_limits=(images.decode_cpu_seconds, images.decode_budget_bytes))


def face_pipeline(embedder_name: str | None = None):
    """The process-wide face pipeline (models load once per configuration), of the configured
    embedder or the one named."""
    from recognition.ml.pipeline import get_pipeline  # torch: only where faces are analysed

    config = ml_config()
    if embedder_name and embedder_name != config.embedder:
        from dataclasses import replace

        config = replace(config, embedder=embedder_name)
    return get_pipeline(config)

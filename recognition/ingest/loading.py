"""Stage 1 of a batch, run on loader threads while the models work on the previous batch:
read each original once, decode it once (reduced), render and store the preview and thumbnail."""
import logging
from dataclasses import dataclass, field


from events.conf import uploads as uploads_config
from events.derivatives import derivatives_store, render_derivatives
from events.models import Photo
from events.transient import is_transient
from core.storage import object_storage
from recognition.ml.images import ImageDecodeError
from recognition.ml.pipeline import FacePipeline, PhotoInput

logger = logging.getLogger(__name__)


@dataclass
class LoadedPhoto:
    """A claimed photo after loading: ready (``input`` set) or with the reason it is not."""

    photo: Photo
    input: PhotoInput | None = None
    derivative_keys: dict[str, str] = field(default_factory=dict)
    failure: str = ""  # the photo's own fault: ends failed, never retried
    transient: str = ""  # storage away: retried after a backoff, no attempt spent


def load_photo(photo: Photo, pipeline: FacePipeline) -> LoadedPhoto:
    loaded = LoadedPhoto(photo=photo)
    try:
        with object_storage().open(photo.original_key, "rb") as handle:
            raw = handle.read()
        loaded.input = pipeline.prepare(raw)
        renders = render_derivatives(loaded.input.decoded.image, preview_side=uploads_config().preview_long_side,
                                     thumbnail_side=uploads_config().thumbnail_long_side)
        loaded.derivative_keys = derivatives_store(photo=photo, renders=renders)
    except ImageDecodeError as exc:
        loaded.input, loaded.failure = None, f"cannot read the image: {exc.reason}"
    except FileNotFoundError:
        loaded.input, loaded.failure = None, "the original is missing from storage"
    except Exception as exc:  # noqa: BLE001 - reading the original or storing the previews
        loaded.input = None
        if is_transient(exc):  # S3 unreachable or answering 5xx: the storage's fault, not the photo's
            loaded.transient = f"storage unavailable ({exc.__class__.__name__}: {exc})"
        else:
            logger.exception("photo %s: loading failed", photo.id)
            loaded.failure = f"could not prepare the photo ({exc.__class__.__name__}: {exc})"
    return loaded

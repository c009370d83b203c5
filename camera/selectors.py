"""Reads for camera accounts."""
from camera.models import CameraAccount
from events.models import Event, Photo


def camera_account_get(*, event: Event) -> CameraAccount | None:
    return CameraAccount.objects.filter(event=event).first()


def event_photo_files(*, event_id: int) -> dict[str, tuple[int, float]]:
    """What the camera's folder lists: each photo name of the event → (size, upload time), newest wins."""
    rows = Photo.objects.filter(event_id=event_id).order_by("id").values_list("original_filename", "size", "created_at")
    return {name: (size, created_at.timestamp()) for name, size, created_at in rows}

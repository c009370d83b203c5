"""Face-centred square thumbnails for a guest's grid, cut from the preview the guest may see.

A centre crop of a tall photo shows a torso; the guest wants to see their own face. The square
is centred on the face that made the photo theirs (their selfie's match, the album person's face),
else on the photo's largest face, else the upper middle (where portraits keep heads).
"""
import io

from PIL import Image

from core.storage import object_storage
from events.models import Photo
from recognition.ml.facecrop import square_inside
from recognition.models import Face
from recognition.thumbnails import photo_display_height, photo_display_width
from sharing import downloads
from sharing.models import GuestSession, Scope
from sharing.services.studio_settings import watermark_text

GUEST_THUMB_SIDE = 480
# Context around the face: 1.25× its size each side, so a thumbnail shows head and shoulders, not a mugshot.
GUEST_THUMB_MARGIN = 1.25


def thumb_face(*, session: GuestSession, photo: Photo) -> Face | None:
    link = session.link
    faces = Face.objects.filter(photo=photo, guest_excluded=False)
    matched = [face_id for photo_id, face_id, _conf in session.matches if photo_id == photo.id]
    if session.searched and matched:
        face = faces.filter(id=matched[0]).first()
        if face is not None:
            return face
    if link.scope == Scope.PERSON and link.person_id:
        face = faces.filter(person_id=link.person_id).first()
        if face is not None:
            return face
    return max(faces, key=lambda f: (f.x2 - f.x1) * (f.y2 - f.y1), default=None)


def thumb_box(*, face: Face | None, width: float, height: float) -> tuple[float, float, float, float]:
    """The square to cut, in display pixels of a `width`×`height` photo."""
    if face is not None:
        return square_inside(face.box, width, height, margin=GUEST_THUMB_MARGIN)
    side = min(width, height)
    top = min(max(height * 0.3 - side / 2, 0), height - side)  # a third of the way down
    left = (width - side) / 2
    return left, top, left + side, top + side


def guest_thumbnail(*, session: GuestSession, photo: Photo) -> bytes:
    link = session.link
    width, height = photo_display_width(photo), photo_display_height(photo)
    box = thumb_box(face=thumb_face(session=session, photo=photo), width=width, height=height)
    if link.watermark:  # the clean preview never reaches the guest, not even a piece of it
        image = Image.open(io.BytesIO(downloads.watermarked_preview(photo=photo, text=watermark_text(studio=link.studio))))
    else:
        image = _open_preview(photo, scale=GUEST_THUMB_SIDE / (box[2] - box[0]) * 1.0)
    image = image.convert("RGB")
    scale_x, scale_y = image.width / width, image.height / height
    crop = image.crop(tuple(round(v * s) for v, s in zip(box, (scale_x, scale_y, scale_x, scale_y))))
    side = min(GUEST_THUMB_SIDE, crop.width)
    out = io.BytesIO()
    crop.resize((side, side), Image.Resampling.LANCZOS).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _open_preview(photo: Photo, *, scale: float) -> Image.Image:
    """The stored preview, decoded at the smallest JPEG draft size that still gives the thumbnail
    full resolution (a wide crop of a 1600 px preview decodes at half size: ~4× less work)."""
    with object_storage().open(photo.preview_key, "rb") as fh:
        image = Image.open(fh)
        wanted = photo_display_width(photo) * scale, photo_display_height(photo) * scale
        image.draft("RGB", (max(1, round(wanted[0])), max(1, round(wanted[1]))))
        image.load()
    return image

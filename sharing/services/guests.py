"""What a guest does inside a session: search with a selfie ("forget me" is sharing.services.removals)."""
from dataclasses import dataclass, field

import numpy as np
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from recognition.ml.images import ImageDecodeError, ImageTooCostly, decode_limits
from events.conf import uploads as uploads_config
from events.inspection import ImageTooLarge, RejectedFile, open_bounded
from recognition.ml.query import rank_query_faces
from recognition.search import event_search
from recognition.services.calibration import EmbedderMismatch, event_pipeline
from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.errors import SelfieRejected, interpolated
from sharing.models import FIXED_ALBUMS, GuestSession, ShareLink
from sharing.selectors import album_photo_ids, faces_hidden_for
from sharing.uploads import upload_sha256
from sharing.services.access import guest_use_claim
from sharing.hooks import GuestSearched, guest_searched


UNREADABLE = _("That file is not a photo we can read. Please take a selfie or choose a JPEG or PNG.")
NO_MATCH = _("No photos matched your face yet.")
TOO_COSTLY = _("That photo is too large to analyse. Please take a selfie or choose a smaller photo.")


@dataclass(frozen=True)
class SearchOutcome:
    matches: list[tuple[int, float]]  # (photo_id, confidence %), best first
    note: str
    # The selfie's faces, best query face first: {"index", "box" (x1, y1, x2, y2 px), "usable"}; the
    # guest page asks "which one is you?" and searches again with face=index.
    faces: list[dict] = field(default_factory=list)
    face: int = 0  # the index searched with
    # The searched face's embedding, for the "new photos of me" offer handed to the guest's own
    # device (sharing.notify.subscriptions.notify_offer); never stored by the search.
    embedding: np.ndarray | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SelfieFace:
    embedding: np.ndarray
    note: str
    faces: list[dict]
    index: int


def selfie_embedding(*, selfie, event, face: int | None = None) -> SelfieFace:
    """The embedding of the selfie's chosen face (default: the best query face) and a note for the
    guest; the bytes are not kept. Embedded by the event's own model (services.calibration)."""
    if selfie is None:
        raise SelfieRejected(_("Add a selfie: a photo of your face (multipart field 'selfie')."))
    limit_mb = conf.selfie_max_bytes() // (1024 * 1024)
    if getattr(selfie, "visage_oversize", False) or selfie.size > conf.selfie_max_bytes():
        raise SelfieRejected(interpolated(_("That photo is too large. Please use one under %(mb)d MB."), mb=limit_mb))
    if not selfie.size:
        raise SelfieRejected(_("That file is empty. Please take a selfie or choose a JPEG or PNG."))
    _selfie_header_check(selfie)
    try:
        pipeline = event_pipeline(event=event)
        # Every decode of this selfie, in a child, within one anonymous request's share of CPU and memory.
        with decode_limits(cpu_seconds=conf.selfie_decode_cpu_seconds(), memory_bytes=conf.selfie_decode_budget_bytes()):
            faces = rank_query_faces(pipeline.analyze(selfie.read()))
    except EmbedderMismatch:
        raise SelfieRejected(_("Search is paused while this event's photos are being re-analysed. Try again later.")) from None
    except ImageTooCostly as exc:
        raise SelfieRejected(TOO_COSTLY, details={"reason": exc.reason}) from None
    except ImageDecodeError:
        raise SelfieRejected(UNREADABLE) from None
    if not faces:
        raise SelfieRejected(_("We couldn't find a face in that photo. Try again facing the camera, in good light."))
    if face is not None and not 0 <= face < len(faces):
        raise SelfieRejected(interpolated(ngettext_lazy("That photo has %(n)d face; choose one of 0 to %(last)d.",
                                                        "That photo has %(n)d faces; choose one of 0 to %(last)d.", "n"),
                                          n=len(faces), last=len(faces) - 1))
    index = face or 0
    chosen = faces[index]
    if not chosen.usable:
        raise SelfieRejected(_("We found a face but couldn't see it clearly enough. Try again closer, facing the camera, in good light."))
    note = ""
    if len(faces) > 1 and face is None:
        note = interpolated(_("We found %(n)d faces in your selfie and used the largest one that is clear and frontal. "
                                "Not you? Choose yours."), n=len(faces))
    listed = [{"index": k, "box": [round(float(v), 1) for v in f.box], "usable": bool(f.usable)} for k, f in enumerate(faces)]
    return SelfieFace(chosen.embedding, note, listed, index)


def _selfie_header_check(selfie) -> None:
    """Refuse from the header alone what is too big to decode on a public endpoint (pixel bombs)."""
    try:
        with open_bounded(selfie, max_pixels=conf.selfie_max_pixels(), budget_bytes=conf.selfie_decode_budget_bytes(),
                          draft_long_side=uploads_config().preview_long_side):
            pass
    except ImageTooLarge as exc:
        raise SelfieRejected(TOO_COSTLY, details={"reason": str(exc)}) from None
    except RejectedFile:
        raise SelfieRejected(UNREADABLE) from None
    finally:
        selfie.seek(0)


def _joined(*notes) -> str:
    """Notes joined when shown, each in the language of the page (the API's is English)."""
    return lazy(lambda: " ".join(filter(None, map(str, notes))), str)()


def guest_search_throttle(*, link: ShareLink, client: Client) -> None:
    """Before anything else: count the search against the client, and refuse at once if the link's
    budget is already spent. Called before a session is started, so that a refused search never
    uses up one of the link's uses."""
    # The client first: one greedy client is refused before it can touch the link's budget.
    ratelimit.hit(key=f"search-client:{client.ip_hash}", limit=conf.searches_per_client())
    ratelimit.check(key=f"search-link:{link.id}", limit=conf.searches_per_link())


def guest_search(*, session: GuestSession, selfie, face: int | None = None) -> SearchOutcome:
    """Replace the session's matches with the photos this selfie's face is in (within the link's scope).

    The link's shared budget is charged only here, once consent is given and the selfie holds a
    usable face: junk uploads from many addresses cannot use it up for real guests.
    """
    link = session.link
    query = selfie_embedding(selfie=selfie, event=link.event, face=face)
    note = query.note
    ratelimit.hit(key=f"search-link:{link.id}", limit=conf.searches_per_link())
    guest_use_claim(session=session)  # "maximum guests" counts guests who searched, not who opened
    # Faces this device asked to forget stay hidden from it until the studio decides.
    hits = event_search(event=link.event, embedding=query.embedding, exclude_face_ids=faces_hidden_for(session=session))
    if link.scope in FIXED_ALBUMS:  # a selfie finds photos only inside the studio's choice
        album = album_photo_ids(link=link, session=session)
        hits = [hit for hit in hits if hit.photo_id in album]
    session.matches = [[hit.photo_id, hit.face_id, round(hit.confidence, 1)] for hit in hits]
    session.searched, session.selfie_sha256 = True, upload_sha256(selfie)
    session.save(update_fields=["matches", "searched", "selfie_sha256"])
    ShareLink.objects.filter(id=link.id).update(search_count=F("search_count") + 1, last_used_at=timezone.now())
    guest_searched.send(GuestSearched(studio_id=link.studio_id, event_id=link.event_id, share_link_id=link.id,
                                      match_count=len(hits)))
    if not hits:
        note = _joined(note, NO_MATCH)
    return SearchOutcome(matches=[(hit.photo_id, round(hit.confidence, 1)) for hit in hits], note=note,
                         faces=query.faces, face=query.index, embedding=query.embedding)

"""Reads for the event page's live view: photos arriving from every source, counts per state,
failures with their reasons and files refused at upload.

The page polls `event_live` every few seconds with the cursor it was last given. The cursor is a
fingerprint of what the view shows (counts per state, the newest photo, the last claim and
finish, the newest refusal), taken with two aggregate queries; while nothing changed, that is all
a poll costs and the answer carries no lists. When something changed, the newest few of each list
come back whole, so a photo committed late (a long upload request) is never skipped the way an
"id > last seen" cursor would skip it, and the answer stays small at 3,000 photos.
"""
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from events.models import Event, Photo, PhotoSource, PhotoState, UploadRejection

LIVE_ITEMS = 12  # newest arrivals, failures and refusals shown (the full lists are paginated endpoints)


@dataclass(frozen=True)
class LiveView:
    cursor: str
    changed: bool
    counts: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    arrivals: list[Photo] = field(default_factory=list)
    failures: list[Photo] = field(default_factory=list)
    rejections: list[UploadRejection] = field(default_factory=list)


def event_live(*, event: Event, since: str | None = None) -> LiveView:
    """What the live view shows; only the cursor when `since` is the current one (nothing changed)."""
    photos = (Photo.objects.filter(event=event).order_by()
              .aggregate(**{state: Count("id", filter=Q(state=state)) for state in PhotoState.values},
                         last_id=Max("id"), last_claimed=Max("claimed_at"), last_processed=Max("processed_at")))
    refused = UploadRejection.objects.filter(event=event).order_by().aggregate(rejected=Count("id"), last=Max("id"))
    counts = {state: photos[state] for state in PhotoState.values}
    counts["total"] = sum(counts.values())
    counts["rejected"] = refused["rejected"]
    cursor = _fingerprint(counts, photos["last_id"], photos["last_claimed"], photos["last_processed"],
                          refused["last"])
    if since == cursor:
        return LiveView(cursor=cursor, changed=False)
    recent = Photo.objects.filter(event=event)
    return LiveView(
        cursor=cursor, changed=True, counts=counts, sources=_sources(event),
        arrivals=list(recent.order_by("-id")[:LIVE_ITEMS]),
        failures=list(recent.filter(state=PhotoState.FAILED).order_by("-processed_at", "-id")[:LIVE_ITEMS]),
        rejections=list(upload_rejection_list(event=event)[:LIVE_ITEMS]),
    )


def upload_rejection_list(*, event: Event, source: str | None = None) -> QuerySet[UploadRejection]:
    """Files refused at upload for this event, newest first."""
    rejections = UploadRejection.objects.filter(event=event)
    if source:
        rejections = rejections.filter(source=source)
    return rejections.order_by("-created_at", "-id")


def _sources(event: Event) -> dict[str, int]:
    """Photos per source (web, api, ftp, hot_folder, import), every source present even at 0."""
    rows = Photo.objects.filter(event=event).order_by().values("source").annotate(n=Count("id"))
    found = {row["source"]: row["n"] for row in rows}
    return {source: found.get(source, 0) for source in PhotoSource.values}


def _fingerprint(*parts) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()

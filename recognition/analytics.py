"""Event analytics as chart-friendly JSON: who appears how often, coverage, timings."""
import statistics

from django.db.models import Count, F, Q

from events.models import Event, Photo, PhotoState
from recognition.models import Face, Person, SearchLog

TOP_N = 10


def event_analytics(*, event: Event) -> dict:
    people = list(
        Person.objects.filter(event=event)
        .annotate(photos=Count("faces__photo", distinct=True))
        .order_by("-photos", "id")
        .values("id", "name", "hidden", "photos")
    )
    appearances = [{"person_id": p["id"], "label": p["name"] or f"Person {p['id']}", "photos": p["photos"],
                    "hidden": p["hidden"]} for p in people]
    return {
        "event_id": event.id,
        "appearances": appearances,
        "most_photographed": appearances[:TOP_N],
        "photos": _photo_coverage(event),
        "faces": _face_split(event),
        "timings": {"processing_seconds": _processing_seconds(event), "search_ms": _search_ms(event)},
    }


def _photo_coverage(event: Event) -> dict:
    done = Photo.objects.filter(event=event, state=PhotoState.DONE)
    with_person = done.filter(faces__person__isnull=False).distinct().count()
    with_faces = done.filter(faces__isnull=False).distinct().count()
    total = done.count()
    return {"processed": total, "with_recognised_person": with_person,
            "without_recognised_person": total - with_person, "without_faces": total - with_faces}


def _face_split(event: Event) -> dict:
    counts = Face.objects.filter(event=event).aggregate(
        assigned=Count("id", filter=Q(person__isnull=False)),
        unknown=Count("id", filter=Q(person__isnull=True, usable=True)),
        low_quality=Count("id", filter=Q(usable=False)),
    )
    return counts


def _processing_seconds(event: Event) -> dict:
    """Upload → done, per photo (queueing included: what a photographer waits)."""
    waits = [
        delta.total_seconds()
        for delta in Photo.objects.filter(event=event, processed_at__isnull=False)
        .annotate(wait=F("processed_at") - F("created_at")).values_list("wait", flat=True)
    ]
    return {"photos": len(waits), **_median_p95(waits)}


def _search_ms(event: Event) -> dict:
    """Face searches (guest selfies) of the event: the in-memory search step, in milliseconds."""
    times = list(SearchLog.objects.filter(event=event).values_list("search_ms", flat=True))
    return {"searches": len(times), **_median_p95(times)}


def _median_p95(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p95": None}
    values = sorted(values)
    return {"median": round(statistics.median(values), 3), "p95": round(values[min(len(values) - 1, int(0.95 * len(values)))], 3)}

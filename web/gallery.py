"""The event page's gallery: who its person filter offers."""
from dataclasses import dataclass

from django.db.models import Q

from events.models import Event
from recognition.selectors import person_list

PERSON_CHOICES = 300  # named people and people in 2+ photos, most photographed first; the API takes any id


@dataclass(frozen=True)
class PersonChoice:
    id: int
    label: str


def gallery_people(*, event: Event) -> list[PersonChoice]:
    people = person_list(event=event).filter(Q(photo_count__gte=2) | ~Q(name=""))[:PERSON_CHOICES]
    return [PersonChoice(person.id, f"{person.name or f'Person {person.id}'} · {person.photo_count}") for person in people]

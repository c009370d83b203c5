from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.models import Event
from recognition.albums import album_write_folder
from recognition.models import Person


class Command(BaseCommand):
    help = "Write an event's people as folders: OUT_DIR/<person>/ (original bytes) and OUT_DIR/Faces/<person>.jpg."

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--event", type=int, required=True)

    def handle(self, *args, out_dir: Path, event: int, **options):
        event_row = Event.objects.filter(id=event).first()
        if event_row is None:
            raise CommandError(f"No event {event}.")
        people = list(Person.objects.filter(event=event_row).select_related("cover_face__photo"))
        total = 0
        for person in tqdm(people, unit="person", file=self.stderr, disable=None):
            total += album_write_folder(person, out_dir)
        self.stdout.write(f"Wrote {len(people)} people, {total} photo copies, to {out_dir}")

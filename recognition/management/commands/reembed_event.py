from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.models import Event, PhotoState
from recognition.ml.embedders import EmbedderUnavailable
from recognition.services.reembed import event_reembed


class Command(BaseCommand):
    help = (
        "Re-detect and re-embed an event's faces with another embedder; each new face keeps the "
        "person (name, curation, 'not this person' marks) of the old face at the same place."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", type=int, required=True)
        parser.add_argument("--embedder", required=True, help="e.g. sface, sface-fast, facenet")

    def handle(self, *args, event: int, embedder: str, **options):
        event_row = Event.objects.filter(id=event).first()
        if event_row is None:
            raise CommandError(f"No event {event}.")
        total = event_row.photos.filter(state=PhotoState.DONE).count()
        with tqdm(total=total, unit="photo", file=self.stderr, disable=None) as bar:
            try:
                result = event_reembed(event=event_row, embedder_name=embedder, progress=lambda photo: bar.update())
            except EmbedderUnavailable as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Re-embedded {result['faces']} faces in {result['photos']} photos with {embedder}; "
            f"{result['kept_person']} kept their person."
        )

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.integrity import original_problems
from events.models import Photo


class Command(BaseCommand):
    help = "Re-hash stored originals and report any whose bytes changed or that are missing."

    def add_arguments(self, parser):
        parser.add_argument("--event", type=int, help="only this event id")

    def handle(self, *args, event=None, **options):
        photos = Photo.objects.order_by("id")
        if event is not None:
            photos = photos.filter(event_id=event)
        total, problems = photos.count(), 0
        for photo, problem in tqdm(original_problems(photos), total=total, unit="photo", file=self.stderr, disable=None):
            if problem is not None:
                problems += 1
                self.stdout.write(f"{problem.problem.upper()} photo {photo.id} ({photo.original_filename}, event {photo.event_id}): {problem.detail}")
        self.stdout.write(f"Checked {total} originals: {total - problems} OK, {problems} with problems.")
        if problems:
            raise CommandError(f"{problems} original(s) missing or changed.")

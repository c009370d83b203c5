from django.core.management.base import BaseCommand, CommandError

from core.tenancy.models import Studio
from events.services import studio_delete


class Command(BaseCommand):
    help = "Delete a studio for good: its events' data keys (crypto-shredding), stored objects, then rows."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--yes", action="store_true", help="confirm; nothing is deleted without it")

    def handle(self, *args, slug: str, yes: bool, **options):
        studio = Studio.objects.filter(slug=slug).first()
        if studio is None:
            raise CommandError(f"No studio with slug {slug!r}.")
        if not yes:
            raise CommandError(f"This deletes {studio.name!r} and all its photos. Run again with --yes to confirm.")
        events = studio_delete(studio=studio)
        self.stdout.write(f"Deleted studio {studio.name!r} with {events} event(s), their keys and stored objects.")

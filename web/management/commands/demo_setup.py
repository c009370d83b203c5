from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from events.services import event_create, photos_upload
from core.tenancy.models import Studio, User
from core.tenancy.services import studio_create

DEMO_EMAIL, DEMO_PASSWORD, DEMO_STUDIO = "demo@visage.local", "visage-demo", "Demo Studio"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}


class Command(BaseCommand):
    help = "Create (or refresh) the demo studio and login; optionally load photos from a folder."

    def add_arguments(self, parser):
        parser.add_argument("--photos", type=Path, help="folder of photos to upload into a demo event")

    def handle(self, *args, photos=None, **options):
        studio = Studio.objects.filter(name=DEMO_STUDIO).first()
        if studio is None:
            studio, user = studio_create(name=DEMO_STUDIO, owner_email=DEMO_EMAIL, owner_password=DEMO_PASSWORD)
        else:
            user = User.objects.get(email=DEMO_EMAIL)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if photos:
            self._load_photos(studio, user, photos)
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD} (studio {studio.name!r})"))

    def _load_photos(self, studio, user, folder: Path) -> None:
        if not folder.is_dir():
            raise CommandError(f"--photos {folder} is not a folder.")
        event = Event.objects.filter(studio=studio, name="Demo event").first() or event_create(
            studio=studio, user=user, name="Demo event"
        )
        paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        for path in paths:
            with path.open("rb") as fh:
                (outcome,) = photos_upload(event=event, user=user, source="import",
                                           files=[UploadedFile(fh, name=path.name, size=path.stat().st_size)])
            self.stdout.write(f"  {outcome.status:9} {path.name} {outcome.reason if outcome.status == 'rejected' else ''}")

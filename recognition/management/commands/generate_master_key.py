"""Print a new master key entry ("id:BASE64") for VISAGE_MASTER_KEYS; docker/compose.yml names it."""
from django.core.management.base import BaseCommand

from recognition.crypto import generate_master_key


class Command(BaseCommand):
    help = "Print a new master key for VISAGE_MASTER_KEYS (put it first to make it the wrapping key)."
    requires_system_checks: list = []  # must work before the keys it makes are configured

    def add_arguments(self, parser):
        parser.add_argument("--id", default=None, help="key id (default: k<date>-<random>)")

    def handle(self, *args, **options):
        self.stdout.write(generate_master_key(options["id"]))

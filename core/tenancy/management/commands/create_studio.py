from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.core.exceptions import ValidationError

from core.tenancy.services import studio_create


class Command(BaseCommand):
    help = "Create a studio (tenant) with an owner who signs in with EMAIL and PW."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--owner", required=True, help="owner's email address")
        parser.add_argument("--password", required=True, help="owner's password (kept if the user exists)")

    def handle(self, *args, name, owner, password, **options):
        try:
            validate_email(owner)
        except ValidationError as exc:
            raise CommandError(f"--owner {owner!r} is not a valid email address.") from exc
        try:
            studio, user = studio_create(name=name, owner_email=owner, owner_password=password)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created studio {studio.name!r} (id {studio.id}, slug {studio.slug}); owner {user.email}")

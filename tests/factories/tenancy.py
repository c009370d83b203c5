"""Factories of the tenancy core: users, studios and the memberships that join them."""
import factory
from django.utils.text import slugify

from core.tenancy.models import Membership, Role, Studio, User

PASSWORD = "pw-factory-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@factory.example")
    password = factory.django.Password(PASSWORD)


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MembershipFactory(factory.django.DjangoModelFactory):
    """A user's role in a studio (a photographer unless said otherwise)."""

    class Meta:
        model = Membership

    studio = factory.SubFactory(StudioFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PHOTOGRAPHER
